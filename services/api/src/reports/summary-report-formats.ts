import type { SummaryReport } from "@aidtrail/projections";
import ExcelJS from "exceljs";
import { reportTables } from "./summary-report-tables.js";

export const REPORT_FORMATS = ["json", "csv", "xlsx"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_CONTENT_TYPES: Record<ReportFormat, string> = {
  json: "application/json; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/** RFC 4180 quoting: a field with a comma, quote or line break is quoted, quotes doubled. */
function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** CSV with a UTF-8 byte order mark (so spreadsheet programs read the Chinese labels), one section per table. */
export function reportCsv(report: SummaryReport): string {
  const sections = reportTables(report).map((t) => [[t.title], t.header, ...t.rows].map((row) => row.map(csvField).join(",")).join("\r\n"));
  return `\ufeff${sections.join("\r\n\r\n")}\r\n`;
}

/** XLSX with one sheet per table; amounts are text with two decimals so no float rounds a fen. */
export async function reportXlsx(report: SummaryReport): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "aidtrail";
  const names = ["发放汇总", "分类明细", "建档立卡", "贷款与入股", "附注"];
  reportTables(report).forEach((t, i) => {
    const sheet = workbook.addWorksheet(names[i] ?? `表${i + 1}`);
    sheet.addRow([t.title]).font = { bold: true };
    sheet.addRow(t.header).font = { bold: true };
    for (const row of t.rows) sheet.addRow(row);
    sheet.columns.forEach((c) => {
      c.width = 16;
    });
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

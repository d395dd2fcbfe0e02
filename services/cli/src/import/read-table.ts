import { readFile } from "node:fs/promises";
import ExcelJS from "exceljs";

/** One data row with the file line it came from (1 = the header), cells keyed by header name. */
export interface TableRow {
  line: number;
  cells: Record<string, string>;
}

/** Reads a CSV (RFC 4180, UTF-8, optional BOM) or the first sheet of an XLSX file into rows. */
export async function readTable(file: string): Promise<{ header: string[]; rows: TableRow[] }> {
  const records = file.toLowerCase().endsWith(".xlsx") ? await readXlsx(file) : parseCsv((await readFile(file, "utf8")).replace(/^\ufeff/, ""));
  const [header = [], ...data] = records;
  const names = header.map((h) => h.trim());
  const rows = data
    .map((r, i) => ({ line: i + 2, cells: Object.fromEntries(names.map((n, c) => [n, (r[c] ?? "").trim()])) }))
    .filter((r) => Object.values(r.cells).some((v) => v !== ""));
  return { header: names, rows };
}

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks. Lines are counted as records. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === ",") {
      record.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

async function readXlsx(file: string): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const out: string[][] = [];
  // Row numbers are kept, so an empty row in the sheet still counts as a line.
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= sheet.columnCount; c++) cells.push(cellText(row.getCell(c).value));
    out.push(cells);
  }
  return out;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object" && "text" in value) return String(value.text);
  if (typeof value === "object" && "result" in value) return String(value.result ?? "");
  return String(value);
}

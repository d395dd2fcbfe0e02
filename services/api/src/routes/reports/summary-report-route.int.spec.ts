import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type ApiHarness, createApiHarness } from "../../testing/api-harness.js";
import { fixtures } from "../../testing/fixtures.js";

let h: ApiHarness;
const post = (url: string, payload: object, headers: Record<string, string>) => h.app.inject({ method: "POST", url, payload, headers });
const get = (query: string, role: "auditor" | "admin" | "officer" = "auditor") => h.app.inject({ method: "GET", url: `/v1/reports/summary?${query}`, headers: h.auth(role) });

beforeAll(async () => {
  h = await createApiHarness(inject("pgAdminUrl"), { withProjector: true });
  const officer = h.auth("officer");
  await post("/v1/programs", fixtures.program("prog-project"), h.auth("admin"));
  await post("/v1/programs/prog-project/allocations", fixtures.allocation(), h.auth("admin"));
  await post("/v1/households", fixtures.household("h-1", "三铺村"), officer);
  await post("/v1/households", fixtures.household("h-2", "塔桥村"), officer);
  await post("/v1/disbursements", fixtures.disbursement("d-1", "h-1", "prog-project", 300_000), officer);
  await post("/v1/disbursements", fixtures.disbursement("d-2", "h-2", "prog-project", 450_050), officer);
  await post("/v1/households/h-2/status", { status: "pre_exit", reason: "income above the line", effectiveOn: "2024-05-01" }, officer);
});
afterAll(async () => h?.close());

describe("GET /v1/reports/summary", () => {
  it("JSON: per program and village, the township total, and the registry on `to`", async () => {
    const res = await get("from=2024-01-01&to=2024-06-30");
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.programs.map((p: { villageId: string | null; households: number; amountFen: number }) => [p.villageId, p.households, p.amountFen])).toEqual([
      ["三铺村", 1, 300_000],
      ["塔桥村", 1, 450_050],
      [null, 2, 750_050],
    ]);
    expect(r.registry.at(-1)).toMatchObject({ villageId: null, registeredHouseholds: 2, registeredPersons: 4, enrolled: { households: 1 }, plannedExit: { households: 1 } });
    // On a `to` before the status change took effect, h-2 is still enrolled.
    expect((await get("from=2024-01-01&to=2024-04-30")).json().registry.at(-1)).toMatchObject({ enrolled: { households: 2 }, plannedExit: { households: 0 } });
  });

  it("CSV with a byte order mark and Chinese labels, amounts in yuan", async () => {
    const res = await get("from=2024-01-01&to=2024-06-30&format=csv", "admin");
    expect(res.headers["content-type"]).toMatch(/^text\/csv/);
    expect(res.body.startsWith("\ufeff帮扶项目发放汇总")).toBe(true);
    expect(res.body).toContain("项目编号,项目名称,村,户数,人数(学生/患者/务工),笔数,金额(元)");
    expect(res.body).toContain("prog-project,到户项目资金,全镇合计,2,0,2,7500.50");
  });

  it("XLSX: one sheet per table, readable back", async () => {
    const res = await get("from=2024-01-01&to=2024-06-30&format=xlsx");
    expect(res.headers["content-type"]).toMatch(/spreadsheetml/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["发放汇总", "分类明细", "建档立卡", "贷款与入股", "附注"]);
    expect(workbook.getWorksheet("发放汇总")?.getRow(5).values).toEqual([undefined, "prog-project", "到户项目资金", "全镇合计", 2, 0, 2, "7500.50"]);
  });

  it("refuses a reversed range (400) and callers other than auditor and admin (403)", async () => {
    expect((await get("from=2024-06-30&to=2024-01-01")).statusCode).toBe(400);
    expect((await get("from=2024-01-01&to=2024-06-30", "officer")).statusCode).toBe(403);
  });
});

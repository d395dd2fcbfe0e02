import { describe, expect, it } from "vitest";
import { disbursementItems, householdItems } from "./import-rows.js";
import { parseCsv } from "./read-table.js";

const header = "disbursementId,householdId,memberId,programId,period,amountFen,paidOn,channel,reference,inputs";
function rows(text: string) {
  const [h = [], ...data] = parseCsv(text);
  return data.map((r, i) => ({ line: i + 2, cells: Object.fromEntries(h.map((n, c) => [n, r[c] ?? ""])) }));
}

describe("import rows", () => {
  it("a file with 3 bad rows gives 3 precise errors (line, column, message)", () => {
    const csv = [
      header,
      "d-1,h-1,,prog,once,300000,2024-03-15,one_card,ref-1,",
      "d-2,h-2,,prog,once,3000.50,2024-03-15,one_card,ref-2,",
      "d-3,h-3,,prog,once,300000,2024-02-30,one_card,ref-3,",
      "d-4,h-4,,prog,once,300000,2024-03-15,one_card,ref-4,",
      "d-1,h-5,,prog,once,300000,2024-03-15,one_card,ref-5,",
    ].join("\n");
    const { items, errors } = disbursementItems(rows(csv));
    expect(errors).toEqual([
      { line: 3, column: "amountFen", message: 'amountFen must be an integer (fen), got "3000.50"' },
      { line: 4, column: "paidOn", message: expect.stringMatching(/date/) },
      { line: 6, column: "disbursementId", message: "d-1 is already on line 2" },
    ]);
    expect(items.map((i) => i.id)).toEqual(["d-1", "d-4"]);
  });

  it("quoted CSV fields keep commas, quotes and JSON inputs", () => {
    const csv = `${header}\r\nd-1,h-1,h-1-m2,edu,2024-H1,50000,2024-03-15,one_card,"ref, ""a""","{""kind"":""education_aid""}"\r\n`;
    const { items, errors } = disbursementItems(rows(csv));
    expect(errors).toEqual([]);
    expect(items[0]?.body).toMatchObject({ memberId: "h-1-m2", reference: 'ref, "a"', inputs: { kind: "education_aid" } });
  });

  it("households: one row per member, grouped; exactly one head; household columns must agree", () => {
    const h = "householdId,villageId,povertyCause,registeredOn,bankAccount,memberId,name,nationalId,birthDate,relation,schoolLevel,health";
    const csv = [
      h,
      "h-1,三铺村,illness,2016-01-10,6217000011112222,h-1-m1,王伟,320102198001010011,1980-01-01,head,,healthy",
      "h-1,三铺村,illness,2016-01-10,6217000011112222,h-1-m2,王小明,320102201401010012,2014-01-01,child,primary,healthy",
      "h-2,塔桥村,illness,2016-01-10,,h-2-m1,李娜,320102198201010023,1982-01-01,spouse,,healthy",
      "h-3,塔桥村,illness,2016-01-10,,h-3-m1,张三,320102198201010034,1982-01-01,head,,healthy",
      "h-3,宋庙村,illness,2016-01-10,,h-3-m2,张四,320102198201010045,1982-01-01,spouse,,healthy",
    ].join("\n");
    const { items, errors } = householdItems(rows(csv));
    expect(errors).toEqual([
      { line: 4, column: "relation", message: "household h-2 has 0 heads, needs exactly one" },
      { line: 6, column: "villageId", message: "villageId differs from line 5 of household h-3" },
    ]);
    expect(items.find((i) => i.id === "h-1")?.body).toMatchObject({ headMemberId: "h-1-m1", bankAccount: "6217000011112222", members: [{ memberId: "h-1-m1" }, { memberId: "h-1-m2", schoolLevel: "primary" }] });
  });
});

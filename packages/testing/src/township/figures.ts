/** The report's figures (shared/domain/cc-township.json) the generator reproduces; amounts in yuan. */
export const ccFigures = {
  villages: {
    named: ["三铺村", "塔桥村", "宋庙村", "矿南村", "镇西村", "新河村", "朱庙村"],
    /** Not in the report, which names seven of twelve: invented names for the other five. */
    invented: ["李楼村", "王集村", "张圩村", "刘庄村", "陈湖村"],
  },
  households: 1091,
  persons: 3125,
  exitedLastYear: { households: 324, persons: 942 },
  plannedExitThisYear: { households: 375, persons: 1050 },
  causes: { illness: 503, dibaoOrWubao: 481 },
  householdProject: { households: 183, totalYuan: 999_200, capYuan: 6_000 },
  stakes: { households: 28, investedYuan: 278_000, annualDividendYuan: 600, enterprises: ["利达现代农业公司", "塔桥明利蔬菜基地"] },
  loans: { households: 497, householdUse: 24, enterpriseUse: 473, issuedYuan: 24_680_000, annualDividendYuan: 3_500 },
  education: {
    households: 366,
    students: 490,
    /** The report's byLevel sums to 494; primary is read as 205 (see README). */
    byLevel: { preschool: 103, primary: 205, middle: 84, high: 43, vocational: 6, university: 49 },
    paidYuan: 489_700,
    /** Per term; the report gives none. Chosen so the half-year sums to paidYuan exactly. */
    amountPerTermYuan: { preschool: 500, primary: 500, middle: 625, high: 1_036, vocational: 1_000, university: 4_748, yulu: 1_500 },
  },
  housing: {
    households: 117,
    totalYuan: 1_709_300,
    byType: { renovateInPlace: 7, rebuildElsewhere: 9, rebuildInPlace: 59, repairReinforce: 28, newBuildNoHouse: 9, maintenance: 5 },
    /** Per type; the report gives only the total. Chosen so the total is exact. */
    amountPerTypeYuan: { renovateInPlace: 10_000, rebuildElsewhere: 20_000, rebuildInPlace: 17_000, repairReinforce: 8_000, newBuildNoHouse: 25_000, maintenance: 1_460 },
  },
  medical: { households: 653, persons: 873 },
  solar: { householdsPaid: 55, paidYuan: 36_000, annualYuan: 600, householdsWithArrears: 5 },
  employment: { persons: 251, halfYearYuan: 1_500 },
  dibao: { annualStandardPerPersonYuan: 3_800 },
} as const;

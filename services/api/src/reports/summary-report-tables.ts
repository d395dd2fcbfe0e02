import { type SummaryReport, yuan } from "@aidtrail/projections";

/** A titled table of the report, as CSV sections and XLSX sheets both render it. */
export interface ReportTable {
  title: string;
  header: string[];
  rows: Array<Array<string | number>>;
}

const CAUSES: Record<string, string> = { illness: "因病", dibao_wubao: "低保五保", disability: "因残", education: "因学", lack_of_labour: "缺劳力", lack_of_skills: "缺技术", lack_of_funds: "缺资金", disaster: "因灾", lack_of_land: "缺土地" };
const LEVELS: Record<string, string> = { preschool: "学前", primary: "小学", middle: "初中", high: "高中", vocational: "中职", university: "大学", yulu: "雨露计划" };
const RENOVATIONS: Record<string, string> = { renovateInPlace: "原址翻建", rebuildElsewhere: "异地新建", rebuildInPlace: "原址重建", repairReinforce: "维修加固", newBuildNoHouse: "无房户新建", maintenance: "维修" };
const USES: Record<string, string> = { household: "户贷户用", enterprise: "户贷企用" };

/** The report as tables with Chinese labels (金额 in yuan with two decimals; the JSON keeps fen). */
export function reportTables(r: SummaryReport): ReportTable[] {
  const all = "全镇合计";
  const causes = [...new Set(r.registry.flatMap((x) => Object.keys(x.causes)))].sort();
  return [
    {
      title: `帮扶项目发放汇总 ${r.from} 至 ${r.to}`,
      header: ["项目编号", "项目名称", "村", "户数", "人数(学生/患者/务工)", "笔数", "金额(元)"],
      rows: r.programs.map((p) => [p.programId, p.programName ?? "", p.villageId ?? all, p.households, p.persons, p.payments, yuan(p.amountFen)]),
    },
    {
      title: "分类明细(危房改造类型、教育学段)",
      header: ["项目编号", "分类", "类别", "笔数", "金额(元)"],
      rows: r.breakdowns.map((b) => [
        b.programId,
        b.dimension === "renovationType" ? "改造类型" : "学段",
        (b.dimension === "renovationType" ? RENOVATIONS[b.value] : LEVELS[b.value]) ?? b.value,
        b.count,
        yuan(b.amountFen),
      ]),
    },
    {
      title: `建档立卡情况(截至 ${r.to})`,
      header: ["村", "建档立卡户数", "人数", "未脱贫户数", "未脱贫人数", "预脱贫户数", "预脱贫人数", "已脱贫户数", "已脱贫人数", ...causes.map((c) => `致贫原因:${CAUSES[c] ?? c}`)],
      rows: r.registry.map((x) => [
        x.villageId ?? all,
        x.registeredHouseholds,
        x.registeredPersons,
        x.enrolled.households,
        x.enrolled.persons,
        x.plannedExit.households,
        x.plannedExit.persons,
        x.exited.households,
        x.exited.persons,
        ...causes.map((c) => x.causes[c] ?? 0),
      ]),
    },
    {
      title: `金融小额贷款与入股(截至 ${r.to})`,
      header: ["类别", "笔数", "户数", "金额(元)", ...Object.keys(USES).map((u) => USES[u] as string)],
      rows: [
        ["小额贷款", r.assets.loans.loans, r.assets.loans.households, yuan(r.assets.loans.principalFen), ...Object.keys(USES).map((u) => r.assets.loans.byUse[u] ?? 0)],
        ["入股龙头企业", r.assets.stakes.stakes, r.assets.stakes.households, yuan(r.assets.stakes.investedFen), "", ""],
      ],
    },
    { title: "附注", header: ["附注"], rows: r.footnotes.map((f) => [f]) },
  ];
}

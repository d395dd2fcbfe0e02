import type { HouseholdStatus, PovertyCause, SchoolLevel } from "@aidtrail/domain";
import { ccFigures } from "./figures.js";
import { nationalId } from "./national-id.js";
import type { Prng } from "./prng.js";
import { dateBetween, splitTotal } from "./split-total.js";
import type { TownshipHousehold, TownshipMember } from "./township-types.js";

const SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "朱", "马", "胡", "郭"];
const GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "桂兰", "建国", "玉兰", "小明"];
const OTHER_CAUSES: PovertyCause[] = ["disability", "education", "lack_of_labour", "lack_of_skills", "lack_of_funds", "disaster", "lack_of_land"];

/** Birth years by school level, for a 2024 school year. */
const STUDENT_BIRTH: Record<Exclude<SchoolLevel, "yulu">, [string, string]> = {
  preschool: ["2018-09-01", "2021-08-31"],
  primary: ["2012-09-01", "2018-08-31"],
  middle: ["2009-09-01", "2012-08-31"],
  high: ["2006-09-01", "2009-08-31"],
  vocational: ["2006-09-01", "2009-08-31"],
  university: ["2000-09-01", "2006-08-31"],
};

export interface GeneratedHousehold {
  household: TownshipHousehold;
  /** Status plan: exited last year, pre-exit this year, or still enrolled. */
  group: "exited" | "pre_exit" | "enrolled";
  statusChanges: Array<{ to: HouseholdStatus; effectiveOn: string; reason: string }>;
  /** Members who are students (education aid), with their level. */
  students: Array<{ memberId: string; level: Exclude<SchoolLevel, "yulu"> }>;
  /** Working-age adults, for wages. */
  adults: string[];
}

/**
 * 1,091 households with 3,125 members: 324 exited last year (942 persons), 375 planned to exit
 * this year (1,050 persons), the other 392 enrolled (1,133); causes illness 503, dibao/wubao 481;
 * 490 students in 366 households by the report's levels.
 */
export function buildHouseholds(rng: Prng): GeneratedHousehold[] {
  const f = ccFigures;
  const groups = [
    { group: "exited" as const, n: f.exitedLastYear.households, persons: f.exitedLastYear.persons },
    { group: "pre_exit" as const, n: f.plannedExitThisYear.households, persons: f.plannedExitThisYear.persons },
    {
      group: "enrolled" as const,
      n: f.households - f.exitedLastYear.households - f.plannedExitThisYear.households,
      persons: f.persons - f.exitedLastYear.persons - f.plannedExitThisYear.persons,
    },
  ];
  const plan = groups.flatMap(({ group, n, persons }) => splitTotal(rng, persons, n, 1, 7).map((size) => ({ group, size })));
  const order = rng.shuffle(plan.map((_, i) => i));

  const causes: PovertyCause[] = [
    ...Array<PovertyCause>(f.causes.illness).fill("illness"),
    ...Array<PovertyCause>(f.causes.dibaoOrWubao).fill("dibao_wubao"),
    ...Array.from({ length: f.households - f.causes.illness - f.causes.dibaoOrWubao }, () => rng.pick(OTHER_CAUSES)),
  ];
  const shuffledCauses = rng.shuffle(causes);

  // Students: one in each of 366 households of two or more, a second in 124 of those with three or more.
  const levels = rng.shuffle(
    Object.entries(f.education.byLevel).flatMap(([level, count]) => Array<Exclude<SchoolLevel, "yulu">>(count).fill(level as Exclude<SchoolLevel, "yulu">)),
  );
  const sizes = order.map((i) => plan[i]!.size);
  const withTwoPlus = rng.shuffle(sizes.map((s, i) => (s >= 3 ? i : -1)).filter((i) => i >= 0));
  const twoStudents = new Set(withTwoPlus.slice(0, f.education.students - f.education.households));
  const oneStudent = rng.shuffle(sizes.map((s, i) => (s >= 2 && !twoStudents.has(i) ? i : -1)).filter((i) => i >= 0));
  const studentCount = new Map<number, number>();
  for (const i of twoStudents) studentCount.set(i, 2);
  for (const i of oneStudent.slice(0, f.education.households - twoStudents.size)) studentCount.set(i, 1);

  const villages = [...f.villages.named, ...f.villages.invented];
  let levelIndex = 0;
  return order.map((planIndex, i): GeneratedHousehold => {
    const { group, size } = plan[planIndex]!;
    const householdId = `cc-h${String(i + 1).padStart(4, "0")}`;
    const villageIndex = i % villages.length;
    const surname = rng.pick(SURNAMES);
    const members: TownshipMember[] = [];
    const students: GeneratedHousehold["students"] = [];
    const adults: string[] = [];
    const add = (relation: TownshipMember["relation"], birthDate: string, schoolLevel: SchoolLevel | null, health: TownshipMember["health"]) => {
      const memberId = `${householdId}-m${members.length + 1}`;
      const region = `3412${String(21 + villageIndex).padStart(2, "0")}`;
      members.push({ memberId, name: `${surname}${rng.pick(GIVEN)}`, nationalId: nationalId(region, birthDate, i * 8 + members.length), birthDate, relation, schoolLevel, health });
      return memberId;
    };
    const cause = shuffledCauses[i]!;
    const headBirth = dateBetween(rng, "1950-01-01", "1985-12-31");
    const head = add("head", headBirth, null, cause === "illness" ? rng.pick(["chronic_illness", "serious_illness"] as const) : "healthy");
    if (headBirth >= "1964-07-01") adults.push(head);
    for (let s = 0; s < (studentCount.get(i) ?? 0); s++) {
      const level = levels[levelIndex++]!;
      const [from, to] = STUDENT_BIRTH[level];
      students.push({ memberId: add("child", dateBetween(rng, from, to), level, "healthy"), level });
    }
    while (members.length < size) {
      const relation = members.some((m) => m.relation === "spouse") ? rng.pick(["child", "parent", "grandchild"] as const) : "spouse";
      const birth =
        relation === "parent" ? dateBetween(rng, "1930-01-01", "1955-12-31") : relation === "spouse" ? dateBetween(rng, "1952-01-01", "1988-12-31") : dateBetween(rng, "1990-01-01", "2023-12-31");
      const id = add(relation, birth, null, rng.next() < 0.15 ? "disabled" : "healthy");
      if (birth >= "1964-07-01" && birth <= "2006-01-01") adults.push(id);
    }
    const registeredOn = dateBetween(rng, "2015-10-01", "2016-06-30");
    const statusChanges: GeneratedHousehold["statusChanges"] =
      group === "exited"
        ? [
            { to: "pre_exit", effectiveOn: dateBetween(rng, "2023-06-01", "2023-09-30"), reason: "income above the line, 两不愁三保障 met" },
            { to: "exited", effectiveOn: dateBetween(rng, "2023-10-15", "2023-12-20"), reason: "exit verified by the village and the township" },
          ]
        : group === "pre_exit"
          ? [{ to: "pre_exit", effectiveOn: dateBetween(rng, "2024-03-01", "2024-05-31"), reason: "planned exit this year (预脱贫)" }]
          : [];
    return {
      household: {
        householdId,
        villageId: `cc-v${String(villageIndex + 1).padStart(2, "0")}-${villages[villageIndex]}`,
        headMemberId: head,
        members,
        povertyCause: cause,
        registeredOn,
        bankAccount: `6217${String(3_300_000_000_000 + i * 7919).padStart(13, "0")}`,
      },
      group,
      statusChanges,
      students,
      adults,
    };
  });
}

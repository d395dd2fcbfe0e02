import { recordTownship } from "@aidtrail/testing";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { dividendScheduleProjection } from "../dividend-schedule/projection.js";
import { type ReadModelHarness, createHarness, project } from "../testing/scenario.js";
import { anomaliesProjection } from "./projection.js";
import { anomalies } from "./queries.js";

let h: ReadModelHarness;
beforeAll(async () => {
  h = await createHarness(inject("pgAdminUrl"));
  const report = await recordTownship(h.handlers, 20240630);
  expect(report.refused).toEqual([]);
  await project(h, [anomaliesProjection, dividendScheduleProjection], 1000);
}, 600_000);
afterAll(async () => h?.close());

it("the clean cc township has no anomaly as of the report's end (2024-06-30, unverified after 365 days)", async () => {
  expect(await anomalies(h.database.db, { asOf: "2024-06-30", unverifiedAfterDays: 365, includeResolved: true })).toEqual([]);
});

import { EventSchemaViolation, EventTooLarge, InvalidAppend, UnknownEventType, WrongExpectedRevision } from "@aidtrail/event-store";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { problemDetails } from "../plugins/problem-details.js";

const app = Fastify({ logger: false });
const thrown: Record<string, Error> = {
  conflict: new WrongExpectedRevision("program-p1", 4, 5),
  schema: new EventSchemaViolation("DisbursementRecorded", ["amountFen: expected int"]),
  large: new EventTooLarge("HouseholdRegistered", 70_000, 65_536),
  invalid: new InvalidAppend("event data holds U+0000, which PostgreSQL cannot store"),
  unknown: new UnknownEventType("Nonsense"),
};

beforeAll(async () => {
  await app.register(problemDetails);
  app.get("/:what", async (request) => {
    throw thrown[(request.params as { what: string }).what];
  });
  await app.ready();
});
afterAll(() => app.close());

describe("event-store refusals that reach the API", () => {
  it.each([
    ["conflict", 409, "stream_conflict"],
    ["schema", 422, "event_schema_violation"],
    ["large", 422, "event_too_large"],
    ["invalid", 422, "invalid_append"],
  ])("%s → %i problem+json %s", async (what, status, code) => {
    const res = await app.inject(`/${what}`);
    expect(res.statusCode).toBe(status);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    expect(res.json()).toMatchObject({ status, type: `https://aidtrail.dev/problems/${code}` });
  });

  it("an unknown event type is the server's bug: 500, with no detail of it", async () => {
    const res = await app.inject("/unknown");
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain("Nonsense");
  });
});

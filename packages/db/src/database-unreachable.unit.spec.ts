import pg from "pg";
import { describe, expect, it } from "vitest";
import { isDatabaseUnreachable } from "./database-unreachable.js";

const withCode = (code: string, message = "x") => Object.assign(new Error(message), { code });

describe("isDatabaseUnreachable", () => {
  it("given a real refused connection (nothing listens on the port), then it is unreachable", async () => {
    const client = new pg.Client({ host: "127.0.0.1", port: 1, connectionTimeoutMillis: 2000 });
    const error = await client.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(isDatabaseUnreachable(error)).toBe(true);
  });

  it.each([
    ["connection exception", "08006"],
    ["admin shutdown", "57P01"],
    ["starting up", "57P03"],
    ["too many connections", "53300"],
    ["socket reset", "ECONNRESET"],
    ["DNS", "EAI_AGAIN"],
  ])("given %s (%s), then it is unreachable", (_, code) => {
    expect(isDatabaseUnreachable(withCode(code))).toBe(true);
  });

  it.each([
    ["a syntax error", "42601"],
    ["a unique violation", "23505"],
    ["a statement timeout", "57014"],
    ["a Node argument error", "ERR_INVALID_ARG_TYPE"],
  ])("given %s (%s), then it is not: the server answered or the caller erred", (_, code) => {
    expect(isDatabaseUnreachable(withCode(code))).toBe(false);
  });

  it("looks through causes and AggregateErrors, and knows pg's code-less messages", () => {
    expect(isDatabaseUnreachable(new Error("outer", { cause: withCode("ECONNREFUSED") }))).toBe(true);
    expect(isDatabaseUnreachable(new AggregateError([new Error("a"), withCode("08001")]))).toBe(true);
    expect(isDatabaseUnreachable(new Error("timeout exceeded when trying to connect"))).toBe(true);
    expect(isDatabaseUnreachable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isDatabaseUnreachable(new Error("relation \"x\" does not exist"))).toBe(false);
    expect(isDatabaseUnreachable("not an error")).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import type { Principal } from "./principal.js";
import { VerifiedTokens } from "./verified-tokens.js";

const officer: Principal = { sub: "officer-01", roles: ["officer"], scope: "village:v1" };

describe("VerifiedTokens", () => {
  it("answers a remembered header until just before its token's exp, then never again", () => {
    let now = 1_000_000;
    const tokens = new VerifiedTokens(10, () => now);
    tokens.remember("Bearer a", officer, 1_005); // exp in seconds: 1,005,000 ms
    expect(tokens.get("Bearer a")).toEqual(officer);
    now = 1_004_999;
    expect(tokens.get("Bearer a")).toEqual(officer);
    now = 1_005_000;
    expect(tokens.get("Bearer a")).toBeUndefined();
    now = 1_000_000; // a clock that steps back does not bring it back: the entry is gone
    expect(tokens.get("Bearer a")).toBeUndefined();
    expect(tokens.size).toBe(0);
  });

  it("keys on the exact header text", () => {
    const tokens = new VerifiedTokens(10, () => 0);
    tokens.remember("Bearer a", officer, 10);
    for (const other of ["bearer a", "Bearer  a", "Bearer a ", "Bearer b"]) expect(tokens.get(other)).toBeUndefined();
  });

  it("does not keep a token without a numeric exp", () => {
    const tokens = new VerifiedTokens(10, () => 0);
    for (const exp of [undefined, "99", Number.NaN, Number.POSITIVE_INFINITY]) tokens.remember(`Bearer ${String(exp)}`, officer, exp);
    expect(tokens.size).toBe(0);
  });

  it("is bounded, dropping the least recently used", () => {
    const tokens = new VerifiedTokens(3, () => 0);
    for (const t of ["a", "b", "c"]) tokens.remember(t, officer, 10);
    tokens.get("a"); // used: b is now the oldest
    tokens.remember("d", officer, 10);
    expect(tokens.size).toBe(3);
    expect(tokens.get("b")).toBeUndefined();
    for (const t of ["a", "c", "d"]) expect(tokens.get(t)).toEqual(officer);
  });

  it("hands out a frozen principal, so one request cannot change another's caller", () => {
    const tokens = new VerifiedTokens(3, () => 0);
    const mutable = { ...officer, roles: [...officer.roles] } as Principal;
    tokens.remember("a", mutable, 10);
    (mutable.roles as string[]).push("admin");
    const got = tokens.get("a")!;
    expect(got.roles).toEqual(["officer"]);
    expect(Object.isFrozen(got) && Object.isFrozen(got.roles)).toBe(true);
  });
});

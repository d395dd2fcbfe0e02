import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiHarness } from "../testing/api-harness.js";
import { createSweepHarness, problemFailures, StatusTally } from "../testing/sweep-checks.js";
import { type ValidRequest, validRequests } from "../testing/sweep-requests.js";

/**
 * The shape of a write rather than its fields, on every POST route, each time around a body every
 * schema accepts (so a slip would write): bodies over the limit → 413; wrong content types → 415
 * (charset tricks 400 or 415, bytes that are not UTF-8 400); unknown query parameters, hostile path ids, and strings PostgreSQL
 * cannot store (U+0000, unpaired surrogates) → 4xx. All problem+json, nothing written.
 */
const BODY_LIMIT = 256 * 1024;
const posts = validRequests.filter((r) => r.method === "POST");

interface ShapeCase {
  name: string;
  allowed: readonly number[];
  request: (r: ValidRequest) => { url: string; payload: string | Buffer; contentType?: string };
}

const json = (r: ValidRequest) => JSON.stringify(r.body);
/** The first string field of the body, where a hostile character goes. */
const withString = (r: ValidRequest, value: string) => {
  const body = { ...r.body };
  const key = Object.keys(body).find((k) => typeof body[k] === "string");
  if (key) body[key] = `a${value}b`;
  else body.reason = `a${value}b`;
  return JSON.stringify(body);
};
const pathIdRoute = (r: ValidRequest) => /\/v1\/(households|programs|disbursements)\/[^/]+\//.test(r.url);
const withId = (r: ValidRequest, id: string) => r.url.replace(/^(\/v1\/[a-z]+\/)[^/]+/, `$1${id}`);

const shapeCases: ShapeCase[] = [
  { name: "body over the limit", allowed: [413], request: (r) => ({ url: r.url, payload: JSON.stringify({ ...r.body, padding: "x".repeat(BODY_LIMIT) }) }) },
  { name: "2 MB of JSON whitespace", allowed: [413], request: (r) => ({ url: r.url, payload: `${" ".repeat(2 * 1024 * 1024)}${json(r)}` }) },
  { name: "huge body as text/plain", allowed: [413, 415], request: (r) => ({ url: r.url, payload: "x".repeat(BODY_LIMIT + 1), contentType: "text/plain" }) },
  { name: "text/plain", allowed: [415], request: (r) => ({ url: r.url, payload: json(r), contentType: "text/plain" }) },
  { name: "form", allowed: [415], request: (r) => ({ url: r.url, payload: "reason=x&amountFen=1", contentType: "application/x-www-form-urlencoded" }) },
  { name: "multipart", allowed: [415], request: (r) => ({ url: r.url, payload: `--x\r\nContent-Disposition: form-data; name="body"\r\n\r\n${json(r)}\r\n--x--\r\n`, contentType: "multipart/form-data; boundary=x" }) },
  { name: "xml", allowed: [415], request: (r) => ({ url: r.url, payload: "<a/>", contentType: "application/xml" }) },
  { name: "no content type", allowed: [415], request: (r) => ({ url: r.url, payload: Buffer.from(json(r)) }) },
  { name: "application/jsonx", allowed: [415], request: (r) => ({ url: r.url, payload: json(r), contentType: "application/jsonx" }) },
  { name: "problem+json", allowed: [415], request: (r) => ({ url: r.url, payload: json(r), contentType: "application/problem+json" }) },
  { name: "charset utf-16 (body in UTF-16)", allowed: [400, 415], request: (r) => ({ url: r.url, payload: Buffer.from(json(r), "utf16le"), contentType: "application/json; charset=utf-16" }) },
  { name: "charset latin1 with UTF-8 bytes", allowed: [400, 415], request: (r) => ({ url: r.url, payload: json(r), contentType: "application/json; charset=iso-8859-1" }) },
  { name: "bytes that are not UTF-8", allowed: [400], request: (r) => ({ url: r.url, payload: Buffer.from(withString(r, "é"), "latin1") }) },
  { name: "U+0000 in a string", allowed: [400], request: (r) => ({ url: r.url, payload: withString(r, "\u0000") }) },
  { name: "unpaired surrogate in a string", allowed: [400], request: (r) => ({ url: r.url, payload: withString(r, "\ud800") }) },
  { name: "unknown query parameter", allowed: [400], request: (r) => ({ url: `${r.url}?dryRun=true`, payload: json(r) }) },
  { name: "repeated query parameter", allowed: [400], request: (r) => ({ url: `${r.url}?a=1&a=2`, payload: json(r) }) },
  { name: "prototype keys in the query", allowed: [400], request: (r) => ({ url: `${r.url}?__proto__[admin]=1`, payload: json(r) }) },
];

/** Hostile path ids on routes that take one; the body stays valid. */
const hostileIds = ["a%20b", "a%3Ab", "%00", "a%00b", "%E0%A4%A", "%ZZ", "x".repeat(129), "y".repeat(2_000), "%ED%A0%80", "未知"];

let h: ApiHarness;
beforeAll(async () => {
  h = await createSweepHarness({ withProjector: false });
});
afterAll(async () => {
  await h?.close();
});

describe("request shape on every POST route", () => {
  it("huge bodies, wrong content types, query strings, path ids and unstorable characters: 4xx problem+json, nothing written", async () => {
    const before = await h.countEvents();
    const tally = new StatusTally();
    const failures: string[] = [];
    for (const r of posts) {
      const send = async (name: string, allowed: readonly number[], url: string, payload: string | Buffer, contentType: string | undefined) => {
        const res = await h.app.inject({ method: "POST", url, payload, headers: { ...h.auth(r.role), ...(contentType ? { "content-type": contentType } : {}) } });
        tally.add(res.statusCode);
        failures.push(...problemFailures(`${r.key} with ${name} (want ${allowed.join("|")})`, res, (s) => allowed.includes(s)));
      };
      for (const c of shapeCases) {
        const { url, payload, contentType = "application/json" } = c.request(r);
        // "no content type" sends a Buffer without a header: inject then sends none.
        await send(c.name, c.allowed, url, payload, c.name === "no content type" ? undefined : contentType);
      }
      if (pathIdRoute(r)) for (const id of hostileIds) await send(`path id ${id.slice(0, 20)}`, [400, 404, 414], withId(r, id), json(r), "application/json");
    }
    const written = (await h.countEvents()) - before;
    console.log(`request-shape sweep: ${tally.total} requests, statuses ${tally}, events written ${written}`);
    expect(failures.slice(0, 10)).toEqual([]);
    expect(written).toBe(0);
  }, 120_000);

  it("control: each body, sent plainly, is not refused for its shape", async () => {
    for (const r of posts) {
      const res = await h.app.inject({ method: "POST", url: r.url, payload: r.body, headers: h.auth(r.role) });
      expect([400, 413, 415], `${r.key}: ${res.body.slice(0, 200)}`).not.toContain(res.statusCode);
    }
  }, 120_000);
});

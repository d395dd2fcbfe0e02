import { mkdtemp, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type RunningAuditSealer, readLatestCheckpoint, startAuditSealer } from "@aidtrail/audit/server";
import { fromBase64, leafHash, openCheckpoint, verifyCheckpointConsistency, verifyInclusion, verifyReceipt, canonicalJsonBytes } from "@aidtrail/audit/verify";
import { PostgresEventStore } from "@aidtrail/event-store";
import { createTestDatabase, type TestDatabase } from "@aidtrail/testing";
import Fastify, { type FastifyInstance } from "fastify";
import { serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { problemDetails } from "../../plugins/problem-details.js";
import { auditRoutes, verifyPageRoutes } from "./index.js";

const ORIGIN = "aidtrail.test/routes";
let database: TestDatabase;
let store: PostgresEventStore;
let app: FastifyInstance;
let sealer: RunningAuditSealer | undefined;
let dataDir: string;

async function append(from: number, count: number) {
  for (let i = from; i < from + count; i++) {
    const disbursement = i % 2 === 0;
    await store.append(disbursement ? `disbursement-d${i}` : `household-h${i}`, [
      { type: disbursement ? "DisbursementRecorded" : "HouseholdNoted", data: { disbursementId: `d${i}`, householdId: `h${i}`, amountFen: 1000 + i } },
    ]);
  }
}

async function signedSize(size: number) {
  for (let i = 0; i < 200; i++) {
    if ((await readLatestCheckpoint(database.db))?.treeSize === size) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no checkpoint of size ${size} was signed`);
}

beforeAll(async () => {
  database = await createTestDatabase(inject("pgAdminUrl"));
  store = new PostgresEventStore({ db: database.db, url: database.url });
  dataDir = await mkdtemp(path.join(tmpdir(), "aidtrail-audit-"));
  app = Fastify().setValidatorCompiler(validatorCompiler).setSerializerCompiler(serializerCompiler);
  await app.register(problemDetails);
  await app.register(auditRoutes, { db: database.db, store });
  await app.register(verifyPageRoutes, { verifierKeys: ["example+01234567+AQ=="], origin: ORIGIN });
  await app.ready();
});
afterAll(async () => {
  await sealer?.stop();
  await app?.close();
  await store?.close();
  await database?.drop();
});

const get = (url: string) => app.inject({ method: "GET", url });

describe("audit routes", () => {
  it("answers 404 problem+json before anything is signed", async () => {
    const response = await get("/v1/audit/checkpoint");
    expect(response.statusCode).toBe(404);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    expect(response.json().type).toMatch(/no_checkpoint$/);
  });

  it("given the sealer running inline, then it seals, signs with a development key it creates (0600), and serves the checkpoint as text", async () => {
    await append(0, 40);
    sealer = await startAuditSealer({
      db: database.db,
      store,
      config: { origin: ORIGIN, signerKeys: [], verifierKeys: [], checkpointIntervalMs: 100, checkpointEveryLeaves: 1000, dataDir },
    });
    await signedSize(40);
    expect((await stat(path.join(dataDir, "audit-signer.key"))).mode & 0o777).toBe(0o600);
    const response = await get("/v1/audit/checkpoint");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toContain("text/plain");
    const checkpoint = await openCheckpoint(response.body, sealer.keys.verifierKeys, ORIGIN);
    expect(checkpoint.size).toBe(40);
  });

  it("serves inclusion proofs by position for signed sizes only", async () => {
    const events = await store.readAll({ limit: 100 });
    const checkpoint = await openCheckpoint((await get("/v1/audit/checkpoint")).body, sealer!.keys.verifierKeys);
    for (const index of [0, 17, 39]) {
      const response = await get(`/v1/audit/proofs/inclusion?position=${events[index]!.position}&treeSize=40`);
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body.leafIndex).toBe(index);
      const exported = (await get(`/v1/events?limit=100`)).json().events[index];
      await verifyInclusion(await leafHash(canonicalJsonBytes(exported)), index, 40, body.proof.map(fromBase64), checkpoint.root);
    }
    expect((await get(`/v1/audit/proofs/inclusion?position=${events[0]!.position}&treeSize=39`)).json().type).toMatch(/unsigned_size$/);
    expect((await get(`/v1/audit/proofs/inclusion?position=abc&treeSize=40`)).statusCode).toBe(400);
    expect((await get(`/v1/audit/proofs/inclusion?position=999999&treeSize=40`)).statusCode).toBe(404);
  });

  it("serves consistency proofs between signed checkpoints", async () => {
    await append(40, 25);
    await signedSize(65);
    const response = await get("/v1/audit/proofs/consistency?from=40&to=65");
    expect(response.statusCode).toBe(200);
    const body = response.json();
    await verifyCheckpointConsistency(body.fromCheckpoint, body.toCheckpoint, body.proof, sealer!.keys.verifierKeys);
    expect((await get("/v1/audit/proofs/consistency?from=65&to=40")).statusCode).toBe(400);
  });

  it("serves a receipt per disbursement that verifies offline", async () => {
    const response = await get("/v1/disbursements/d42/receipt");
    expect(response.statusCode).toBe(200);
    const verified = await verifyReceipt(JSON.parse(response.body), sealer!.keys.verifierKeys, { origin: ORIGIN });
    expect(verified.event.streamId).toBe("disbursement-d42");
    expect((await get("/v1/disbursements/unknown/receipt")).statusCode).toBe(404);
  });

  it("exports the log page by page with a cursor", async () => {
    const first = (await get("/v1/events?limit=30")).json();
    const second = (await get(`/v1/events?limit=100&after=${first.next}`)).json();
    expect(first.events).toHaveLength(30);
    expect(second.events).toHaveLength(35);
    const third = (await get(`/v1/events?after=${second.next}`)).json();
    expect(third).toEqual({ events: [], next: second.next });
    expect((await get("/v1/events?after=garbage")).statusCode).toBe(400);
  });

  it("serves the /verify page with the verifier inlined and no network allowed", async () => {
    const page = await get("/verify");
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toContain("text/html");
    expect(page.headers["content-security-policy"]).toContain("connect-src 'none'");
    expect(page.body).toContain("AidtrailVerify");
    expect(page.body).toContain("example+01234567+AQ==");
    const script = await get("/verify/verifier.js");
    expect(script.body).toContain("verifyReceipt");
  });
});

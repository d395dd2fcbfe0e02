import { sql } from "kysely";
import { afterEach, describe, expect, inject, it } from "vitest";
import { generateNoteKey } from "../signed-note.js";
import { verifyReceipt } from "../verify/receipt.js";
import { appendEvents, ORIGIN, openSealedLog, type SealedLog } from "./audit-log.spec-helpers.js";
import { signSealedTree } from "./checkpoint-signer.js";
import { receiptForDisbursement } from "./receipt-for-disbursement.js";
import { verifyLog } from "./verify-log.js";

let log: SealedLog | undefined;
afterEach(async () => {
  await log?.close();
  log = undefined;
});

/** A log of 600 events, sealed, with checkpoints at 300 and 600; returns positions in leaf order. */
async function sealedLog(): Promise<{ log: SealedLog; positions: bigint[] }> {
  const opened = await openSealedLog(inject("pgAdminUrl"));
  log = opened;
  await appendEvents(opened.store, 300);
  await opened.seal(128);
  await signSealedTree(opened.database.db, ORIGIN, [opened.signer]);
  await appendEvents(opened.store, 300, 300);
  await opened.seal(128);
  await signSealedTree(opened.database.db, ORIGIN, [opened.signer]);
  const { rows } = await sql<{ position: string }>`
    select position from rm_audit.audit_leaves order by leaf_index`.execute(opened.database.db);
  return { log: opened, positions: rows.map((r) => BigInt(r.position)) };
}

/** Runs SQL on the events table past its immutability trigger, as an attacker with table rights could. */
async function tamper(log: SealedLog, statement: ReturnType<typeof sql>) {
  await log.database.db.transaction().execute(async (trx) => {
    await sql`alter table events disable trigger user`.execute(trx);
    await statement.execute(trx);
    await sql`alter table events enable trigger user`.execute(trx);
  });
}

const verify = (log: SealedLog) =>
  verifyLog({ db: log.database.db, store: log.store, trustedKeys: [log.verifierKey], batchSize: 111 });

describe("aidtrail verify catches tampering", () => {
  it("given an untouched log, then every leaf, tile and signed root matches", async () => {
    const { log } = await sealedLog();
    expect(await verify(log)).toEqual({ ok: true, events: 600, sealedSize: 600, checkpoints: 2 });
  });

  it("given a direct UPDATE of one event's data, then it names that event's position", async () => {
    const { log, positions } = await sealedLog();
    const target = positions[437]!;
    await tamper(log, sql`update events set data = jsonb_set(data, '{amountFen}', '1') where position = ${target.toString()}`);
    const result = await verify(log);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.mismatch).toMatchObject({ leafIndex: 437, position: target, replayedPosition: target });
    expect(result.mismatch.reason).toContain(`position ${target}`);
  });

  it("given a DELETE of one row, then it names the removed event's position", async () => {
    const { log, positions } = await sealedLog();
    const target = positions[123]!;
    await tamper(log, sql`delete from events where position = ${target.toString()}`);
    const result = await verify(log);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.mismatch).toMatchObject({ leafIndex: 123, position: target, replayedPosition: positions[124] });
    expect(result.mismatch.reason).toContain(`position ${target}`);
  });

  it("given the last row deleted, then it names it as gone", async () => {
    const { log, positions } = await sealedLog();
    const target = positions[599]!;
    await tamper(log, sql`delete from events where position = ${target.toString()}`);
    const result = await verify(log);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.mismatch).toMatchObject({ leafIndex: 599, position: target, replayedPosition: null });
  });

  it("given two events' data swapped (order changed), then it names the first swapped position", async () => {
    const { log, positions } = await sealedLog();
    const [a, b] = [positions[250]!, positions[251]!];
    await tamper(
      log,
      sql`update events e set data = o.data, type = o.type
          from (select position, data, type from events where position in (${a.toString()}, ${b.toString()})) o
          where e.position in (${a.toString()}, ${b.toString()}) and o.position <> e.position`,
    );
    const result = await verify(log);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.mismatch).toMatchObject({ leafIndex: 250, position: a });
  });

  it("given an altered event and the whole tree re-sealed to match it, then the signed checkpoints still catch it", async () => {
    const { log, positions } = await sealedLog();
    await tamper(log, sql`update events set data = '{"amountFen": 1}' where position = ${positions[5]!.toString()}`);
    // An attacker who rebuilds every stored hash from the altered log: only the signatures remain.
    await sql`drop schema rm_audit cascade`.execute(log.database.db);
    await log.seal(500);
    const result = await verify(log);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.mismatch.reason).toContain("the replayed tree of size 300");
  });

  it("given a stored tile overwritten, then it names the tile", async () => {
    const { log } = await sealedLog();
    await sql`update rm_audit.audit_tiles set hashes = overlay(hashes placing '\\x00'::bytea from 1 for 1) where level = 1 and idx = 0`.execute(
      log.database.db,
    );
    const result = await verify(log);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.mismatch.reason).toContain("tile 1/0");
  });

  it("given a stored inner hash overwritten (what proofs are served from), then it names the tile", async () => {
    const { log } = await sealedLog();
    // Height 1, node 3 of the first tile: a sibling on the proof path of leaves 4–7.
    await sql`update rm_audit.audit_tiles set inner_hashes = overlay(inner_hashes placing '\\x00'::bytea from 3 * 32 + 1 for 1) where level = 0 and idx = 0`.execute(
      log.database.db,
    );
    const result = await verify(log);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.mismatch.reason).toContain("inner hashes of stored tile 0/0");
  });

  it("given a checkpoint signed by an unknown key only, then verification refuses it", async () => {
    const { log } = await sealedLog();
    const stranger = generateNoteKey("someone.else/log").verifierKey;
    const result = await verifyLog({ db: log.database.db, store: log.store, trustedKeys: [stranger] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.mismatch.reason).toContain("no trusted key signed this note");
  });
});

describe("receipts outlive the server", () => {
  it("given a receipt, when the database is gone, then it still verifies from its JSON alone", async () => {
    const { log: opened } = await sealedLog();
    const json = JSON.stringify(await receiptForDisbursement(opened.database.db, opened.store, "d42"));
    const verifierKey = opened.verifierKey;
    await opened.close();
    log = undefined;
    const verified = await verifyReceipt(JSON.parse(json), [verifierKey], { origin: ORIGIN });
    expect(verified).toMatchObject({ treeSize: 600, origin: ORIGIN });
    expect(verified.event.streamId).toBe("disbursement-d42");
  });
});

import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { canonicalEventBytes } from "../canonical-json.js";
import { leafHash, syncNodeHasher } from "../merkle-hash.js";
import { inclusionPlan } from "../proofs.js";
import { ReferenceTree } from "../reference-tree.spec-helpers.js";
import { appendLeaves, EMPTY_EDGE, edgeRoot } from "../tile-edge.js";
import { fromBase64, toBase64 } from "../verify/bytes.js";
import { canonicalJsonBytes } from "../verify/canonical-json.js";
import { openCheckpoint } from "../verify/checkpoint.js";
import { verifyCheckpointConsistency } from "../verify/checkpoint-consistency.js";
import { leafHash as webLeafHash } from "../verify/hash.js";
import { verifyInclusion } from "../verify/inclusion.js";
import { verifyReceipt } from "../verify/receipt.js";
import { AuditRequestError } from "./audit-errors.js";
import { appendEvents, ORIGIN, openSealedLog, type SealedLog } from "./audit-log.spec-helpers.js";
import { consistencyProofFor, inclusionProofFor, latestCheckpoint } from "./audit-proofs.js";
import { readCheckpoints, readSealedSize } from "./checkpoint-rows.js";
import { signSealedTree } from "./checkpoint-signer.js";
import { exportEvents } from "./export-events.js";
import { readInclusionInputs } from "./inclusion-query.js";
import { receiptForDisbursement } from "./receipt-for-disbursement.js";

let log: SealedLog;
beforeAll(async () => {
  log = await openSealedLog(inject("pgAdminUrl"));
});
afterAll(async () => {
  await log?.close();
});

async function allEvents() {
  const events = [];
  let after = { transactionId: 0n, position: 0n };
  for (;;) {
    const page = await log.store.readAll({ after, limit: 1000 });
    if (page.length === 0) return events;
    events.push(...page);
    after = page[page.length - 1]!;
  }
}

const failsWith = (promise: Promise<unknown>, code: string) =>
  expect(promise).rejects.toSatisfy((e) => e instanceof AuditRequestError && e.code === code);

describe("audit log on PostgreSQL", () => {
  it("seals every event in global order, in batches, into the tree a fresh replay computes", async () => {
    await appendEvents(log.store, 300);
    await log.seal(97);
    await appendEvents(log.store, 333, 300);
    await log.seal(256);
    const events = await allEvents();
    expect(await readSealedSize(log.database.db)).toBe(633);
    const replay = appendLeaves(EMPTY_EDGE, events.map((e) => leafHash(canonicalEventBytes(e))));
    const checkpoint = await signSealedTree(log.database.db, ORIGIN, [log.signer]);
    expect(checkpoint?.treeSize).toBe(633);
    expect(toBase64(checkpoint!.root)).toBe(toBase64(edgeRoot(replay.edge)));
    // Nothing new: nothing signed twice.
    expect(await signSealedTree(log.database.db, ORIGIN, [log.signer])).toBeUndefined();
    const opened = await openCheckpoint((await latestCheckpoint(log.database.db)).note, [log.verifierKey], ORIGIN);
    expect(opened.size).toBe(633);
  });

  it("given a signed size, when an inclusion proof is asked by position, then it verifies against the signed root", async () => {
    const events = await allEvents();
    const { root } = await latestCheckpoint(log.database.db);
    for (const leafIndex of [0, 1, 255, 256, 300, 511, 512, 632]) {
      const event = events[leafIndex]!;
      const answer = await inclusionProofFor(log.database.db, { position: event.position, treeSize: 633 });
      expect(answer.leafIndex).toBe(leafIndex);
      const leaf = await webLeafHash(canonicalEventBytes(event));
      await verifyInclusion(leaf, leafIndex, 633, answer.proof.map(fromBase64), root, syncNodeHasher);
    }
    await failsWith(inclusionProofFor(log.database.db, { position: events[3]!.position, treeSize: 500 }), "unsigned_size");
    await failsWith(inclusionProofFor(log.database.db, { position: 999_999n, treeSize: 633 }), "unknown_position");
  });

  it("proves every signed checkpoint consistent with every later one", async () => {
    await appendEvents(log.store, 100, 633);
    await log.seal(1000);
    await signSealedTree(log.database.db, ORIGIN, [log.signer]);
    await appendEvents(log.store, 1, 733);
    await log.seal();
    await signSealedTree(log.database.db, ORIGIN, [log.signer]);
    const checkpoints = await readCheckpoints(log.database.db);
    expect(checkpoints.map((c) => c.treeSize)).toEqual([633, 733, 734]);
    for (const older of checkpoints) {
      for (const newer of checkpoints.filter((c) => c.treeSize >= older.treeSize)) {
        const answer = await consistencyProofFor(log.database.db, { from: older.treeSize, to: newer.treeSize });
        await verifyCheckpointConsistency(answer.fromCheckpoint, answer.toCheckpoint, answer.proof, [log.verifierKey]);
      }
    }
    await failsWith(consistencyProofFor(log.database.db, { from: 733, to: 633 }), "bad_range");
    await failsWith(consistencyProofFor(log.database.db, { from: 10, to: 633 }), "unsigned_size");
  });

  it("issues a receipt for a disbursement that verifies offline with the log's key", async () => {
    const receipt = JSON.parse(JSON.stringify(await receiptForDisbursement(log.database.db, log.store, "d300")));
    const verified = await verifyReceipt(receipt, [log.verifierKey], { origin: ORIGIN });
    expect(verified.event.type).toBe("DisbursementRecorded");
    expect(verified.event.streamId).toBe("disbursement-d300");
    expect(verified.treeSize).toBe(734);
    await expect(receiptForDisbursement(log.database.db, log.store, "nope")).rejects.toSatisfy(
      (e) => e instanceof AuditRequestError && e.code === "unknown_disbursement",
    );
  });

  it("answers not_covered for a disbursement recorded after the latest checkpoint", async () => {
    await log.store.append("disbursement-late", [{ type: "DisbursementRecorded", data: { disbursementId: "late" } }]);
    await failsWith(receiptForDisbursement(log.database.db, log.store, "late"), "not_covered");
    await log.seal();
    await failsWith(receiptForDisbursement(log.database.db, log.store, "late"), "not_covered");
  });

  it("exports the log page by page in leaf order, each event in the form its leaf hashes", async () => {
    const events = await allEvents();
    const exported = [];
    let after: string | undefined;
    for (;;) {
      const page = await exportEvents(log.store, { after, limit: 200 });
      if (page.events.length === 0) {
        expect(page.next).toBe(after);
        break;
      }
      exported.push(...page.events);
      after = page.next;
    }
    expect(exported).toHaveLength(events.length);
    exported.forEach((e, i) => {
      expect(toBase64(leafHash(canonicalJsonBytes(e)))).toBe(toBase64(leafHash(canonicalEventBytes(events[i]!))));
    });
  });

  it("given a batch whose transaction rolls back, when sealing resumes, then each event is sealed once", async () => {
    await appendEvents(log.store, 5, 2000);
    const pending = (await allEvents()).slice(await readSealedSize(log.database.db));
    // The sealer's cached edge now runs ahead of the database; it must notice and reload.
    await expect(
      log.database.db.transaction().execute(async (trx) => {
        await sql`select set_config('search_path', 'rm_audit', true)`.execute(trx);
        await log.projection.applyBatch(trx, pending);
        throw new Error("crash before commit");
      }),
    ).rejects.toThrow("crash before commit");
    await log.seal();
    const events = await allEvents();
    const { rows } = await sql<{ leaves: string }>`select count(*) as leaves from rm_audit.audit_leaves`.execute(log.database.db);
    expect(Number(rows[0]!.leaves)).toBe(events.length);
    const checkpoint = await signSealedTree(log.database.db, ORIGIN, [log.signer]);
    const replayed = events.map((e) => leafHash(canonicalEventBytes(e)));
    const replay = appendLeaves(EMPTY_EDGE, replayed);
    expect(toBase64(checkpoint!.root)).toBe(toBase64(edgeRoot(replay.edge)));
    // The stored inner hashes of the re-sealed tiles serve the same proofs as the reference tree.
    const reference = new ReferenceTree(replayed);
    for (const leaf of [0, 255, 256, events.length - 6, events.length - 1]) {
      const inputs = await readInclusionInputs(log.database.db, events[leaf]!.position, events.length);
      expect(inclusionPlan(leaf, events.length).flat().every((n) => inputs.hashes.has(`${n.level}/${n.index}`))).toBe(true);
      const proof = await inclusionProofFor(log.database.db, { position: events[leaf]!.position });
      expect(proof.proof).toEqual(reference.path(leaf, 0, events.length).map(toBase64));
    }
  });
});

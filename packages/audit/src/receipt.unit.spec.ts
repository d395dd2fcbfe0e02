import { beforeAll, describe, expect, it } from "vitest";
import { type AuditEventInput, canonicalEventBytes } from "./canonical-json.js";
import { signCheckpoint } from "./checkpoint.js";
import { MemoryTileStore } from "./memory-tile-store.js";
import { leafHash } from "./merkle-hash.js";
import { inclusionProof } from "./proofs.js";
import { buildReceipt } from "./receipt.js";
import { generateNoteKey, noteSignerFromKey } from "./signed-note.js";
import { appendLeaves, EMPTY_EDGE, edgeRoot } from "./tile-edge.js";
import { TileHashReader } from "./tile-hash-reader.js";
import { VerificationError } from "./verify/errors.js";
import type { Receipt } from "./verify/receipt.js";
import { verifyReceipt } from "./verify/receipt.js";

const ORIGIN = "aidtrail.example/log";
const events: AuditEventInput[] = Array.from({ length: 300 }, (_, i) => ({
  position: BigInt(1000 + i * 3), // positions have gaps; leaves do not
  streamId: `household-h${i % 17}`,
  revision: Math.floor(i / 17),
  type: "DisbursementRecorded",
  data: { disbursementId: `d${i}`, amountFen: 60000 + i, memo: "助学金 €" },
  metadata: { actor: "officer-1", role: "officer" },
  recordedAt: new Date(Date.UTC(2026, 2, 1, 8, 0, i)),
}));

describe("receipts", () => {
  const key = generateNoteKey(ORIGIN);
  let receipt: (index: number) => Promise<Receipt>;

  beforeAll(async () => {
    const store = new MemoryTileStore();
    const sealed = appendLeaves(EMPTY_EDGE, events.map((e) => leafHash(canonicalEventBytes(e))));
    await store.writeTiles(sealed.tiles);
    const checkpoint = signCheckpoint({ origin: ORIGIN, size: sealed.edge.size, root: edgeRoot(sealed.edge) }, [
      noteSignerFromKey(key.signerKey),
    ]);
    const reader = new TileHashReader(store);
    receipt = async (index) => {
      const proof = await inclusionProof(reader, index, sealed.edge.size);
      // Through JSON, as a receipt travels: the verifier sees only parsed text.
      return JSON.parse(JSON.stringify(buildReceipt({ event: events[index]!, leafIndex: index, inclusionProof: proof, checkpoint })));
    };
  });

  const rejectsWith = (promise: Promise<unknown>, code: string) =>
    expect(promise).rejects.toSatisfy((e) => e instanceof VerificationError && e.code === code);

  it("given a receipt, when verified offline with the log's key, then it names the event and tree", async () => {
    for (const index of [0, 1, 150, 255, 256, 299]) {
      const verified = await verifyReceipt(await receipt(index), [key.verifierKey], { origin: ORIGIN });
      expect(verified.event.position).toBe(1000 + index * 3);
      expect(verified.leafIndex).toBe(index);
      expect(verified.treeSize).toBe(300);
    }
  });

  it("rejects a receipt whose event was altered", async () => {
    const r = await receipt(42);
    const tampered = { ...r, event: { ...r.event, data: { ...(r.event.data as object), amountFen: 1 } } };
    await rejectsWith(verifyReceipt(tampered, [key.verifierKey]), "root_mismatch");
    await rejectsWith(verifyReceipt({ ...r, event: { ...r.event, position: r.event.position + 1 } }, [key.verifierKey]), "root_mismatch");
  });

  it("takes the tree size from the signed checkpoint only", async () => {
    const r = await receipt(42);
    await rejectsWith(verifyReceipt({ ...r, treeSize: 600 }, [key.verifierKey]), "size_mismatch");
  });

  it("rejects a wrong leaf index, an extra or missing proof hash, an untrusted or foreign checkpoint", async () => {
    const r = await receipt(42);
    await expect(verifyReceipt({ ...r, leafIndex: 43 }, [key.verifierKey])).rejects.toThrow(VerificationError);
    await expect(verifyReceipt({ ...r, leafIndex: 300 }, [key.verifierKey])).rejects.toThrow(VerificationError);
    await rejectsWith(verifyReceipt({ ...r, inclusionProof: [...r.inclusionProof, r.inclusionProof[0]!] }, [key.verifierKey]), "bad_proof");
    await rejectsWith(verifyReceipt({ ...r, inclusionProof: r.inclusionProof.slice(1) }, [key.verifierKey]), "bad_proof");
    await rejectsWith(verifyReceipt(r, [generateNoteKey(ORIGIN).verifierKey]), "no_trusted_signature");
    await expect(verifyReceipt(r, [key.verifierKey], { origin: "other.example/log" })).rejects.toThrow(VerificationError);
  });

  it.each([
    ["not an object", null],
    ["an unknown version", { version: 2 }],
  ])("rejects a receipt that is %s", async (_, value) => {
    await rejectsWith(verifyReceipt(value, [key.verifierKey]), "malformed");
  });

  it("rejects an event with extra or missing fields", async () => {
    const r = await receipt(7);
    await rejectsWith(verifyReceipt({ ...r, event: { ...r.event, extra: 1 } }, [key.verifierKey]), "malformed");
    const { type: _type, ...withoutType } = r.event;
    await rejectsWith(verifyReceipt({ ...r, event: withoutType }, [key.verifierKey]), "malformed");
  });
});

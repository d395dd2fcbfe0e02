import { parentPort } from "node:worker_threads";
import { HASH_SIZE } from "../merkle-hash.js";
import { leafOfText } from "./event-leaf.js";
import type { LeafJob, LeafJobResult } from "./leaf-worker.js";

// The leaf worker's thread: canonicalises and hashes the events of a batch with the very code the
// main thread would run (leafOfText), and answers with their leaves in one transferred buffer.
// Any failure answers `failed`: the main thread then computes that batch itself, refusals included.
parentPort?.on("message", (job: LeafJob) => {
  let result: LeafJobResult;
  try {
    const texts = job.texts as string[];
    const leaves = new Uint8Array(job.positions.length * HASH_SIZE);
    for (let i = 0; i < job.positions.length; i++) {
      const leaf = leafOfText({
        position: job.positions[i]!,
        revision: job.revisions[i]!,
        recordedAt: new Date(job.times[i]!),
        streamId: texts[4 * i]!,
        type: texts[4 * i + 1]!,
        dataJson: texts[4 * i + 2]!,
        metadataJson: texts[4 * i + 3]!,
      });
      leaves.set(leaf, i * HASH_SIZE);
      // Let the texts of the events done go, so the collector need not copy them again.
      texts[4 * i] = texts[4 * i + 1] = texts[4 * i + 2] = texts[4 * i + 3] = "";
    }
    result = { id: job.id, leaves: leaves.buffer };
    parentPort?.postMessage(result, [leaves.buffer]);
  } catch (error) {
    result = { id: job.id, failed: error instanceof Error ? error.message : String(error) };
    parentPort?.postMessage(result);
  }
});

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
    const leaves = new Uint8Array(job.positions.length * HASH_SIZE);
    for (let i = 0; i < job.positions.length; i++) {
      const leaf = leafOfText({
        position: job.positions[i]!,
        revision: job.revisions[i]!,
        recordedAt: new Date(job.times[i]!),
        streamId: job.texts[4 * i]!,
        type: job.texts[4 * i + 1]!,
        dataJson: job.texts[4 * i + 2]!,
        metadataJson: job.texts[4 * i + 3]!,
      });
      leaves.set(leaf, i * HASH_SIZE);
    }
    result = { id: job.id, leaves: leaves.buffer };
    parentPort?.postMessage(result, [leaves.buffer]);
  } catch (error) {
    result = { id: job.id, failed: error instanceof Error ? error.message : String(error) };
    parentPort?.postMessage(result);
  }
});

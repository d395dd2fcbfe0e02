import { Worker } from "node:worker_threads";
import { HASH_SIZE } from "../merkle-hash.js";
import type { TextRecordedEvent } from "./text-event-store.js";

/** A batch sent to the leaf worker: event i is positions[i], revisions[i], times[i] and texts[4i … 4i+3]. */
export interface LeafJob {
  readonly id: number;
  readonly positions: BigInt64Array<ArrayBuffer>;
  readonly revisions: Float64Array<ArrayBuffer>;
  /** recordedAt in milliseconds since 1970. */
  readonly times: Float64Array<ArrayBuffer>;
  /** streamId, type, dataJson, metadataJson of each event in turn. */
  readonly texts: readonly string[];
}

/** The worker's answer: the leaves of the batch in order (HASH_SIZE bytes each), or why it gave none. */
export type LeafJobResult = { readonly id: number; readonly leaves: ArrayBuffer } | { readonly id: number; readonly failed: string };

interface Waiting {
  readonly count: number;
  resolve(leaves: Uint8Array[] | undefined): void;
}

/**
 * A worker thread that computes the leaves of whole batches, so the second core canonicalises
 * and hashes while the main thread reads the next batch and writes tiles. `leaves` never
 * rejects: it resolves undefined when the worker could not give every leaf of the batch (it
 * refused an event, crashed or was stopped), and the caller computes that batch itself (where a
 * refusal surfaces as it always did). A crashed worker is replaced on the next batch, unless it
 * died before answering any batch (it cannot even start, e.g. no TypeScript loader): then no other
 * is started and every batch is left to the caller, rather than paying a failed start per batch.
 */
export class LeafWorker {
  #worker: Worker | undefined;
  /** Set when a worker died before its first answer: none is started again. */
  #cannotStart = false;
  readonly #waiting = new Map<number, Waiting>();
  #nextId = 0;

  constructor(
    private readonly options: {
      /** Told when the worker stops by itself (the batches it held are then hashed by their caller). */
      readonly onCrash?: (error: unknown) => void;
      /** The worker's entry module (tests give one that crashes); leaf-worker-entry.mjs by default. */
      readonly entry?: URL;
    } = {},
  ) {}

  leaves(events: readonly TextRecordedEvent[]): Promise<Uint8Array[] | undefined> {
    if (this.#cannotStart) return Promise.resolve(undefined);
    const count = events.length;
    const job: LeafJob = {
      id: this.#nextId++,
      positions: new BigInt64Array(count),
      revisions: new Float64Array(count),
      times: new Float64Array(count),
      texts: new Array<string>(4 * count),
    };
    const texts = job.texts as string[];
    for (let i = 0; i < count; i++) {
      const e = events[i]!;
      job.positions[i] = e.position;
      job.revisions[i] = e.revision;
      job.times[i] = e.recordedAt.getTime();
      texts[4 * i] = e.streamId;
      texts[4 * i + 1] = e.type;
      texts[4 * i + 2] = e.dataJson;
      texts[4 * i + 3] = e.metadataJson;
    }
    const worker = this.#started();
    return new Promise((resolve) => {
      this.#waiting.set(job.id, { count, resolve });
      worker.ref(); // a batch is waiting: keep the process alive until it is answered
      try {
        worker.postMessage(job, [job.positions.buffer, job.revisions.buffer, job.times.buffer]);
      } catch {
        this.#waiting.delete(job.id);
        resolve(undefined);
      }
    });
  }

  /** Stops the worker; batches still waiting resolve undefined. A later batch starts a new one. */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#answerAll(undefined);
    await worker?.terminate();
  }

  #started(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = new Worker(this.options.entry ?? new URL("./leaf-worker-entry.mjs", import.meta.url));
    let answered = false;
    worker.on("message", (result: LeafJobResult) => {
      answered = true;
      this.#answer(result);
    });
    const lost = (error: unknown) => {
      if (this.#worker !== worker) return; // already closed or replaced
      this.#worker = undefined;
      this.#cannotStart = !answered;
      this.#answerAll(undefined);
      this.options.onCrash?.(error);
    };
    worker.on("error", lost);
    worker.on("exit", (code) => lost(new Error(`leaf worker exited with code ${code}`)));
    this.#worker = worker;
    return worker;
  }

  #answer(result: LeafJobResult): void {
    const waiting = this.#waiting.get(result.id);
    if (waiting === undefined) return;
    this.#waiting.delete(result.id);
    if (this.#waiting.size === 0) this.#worker?.unref(); // idle: never what keeps the process running
    if (!("leaves" in result) || result.leaves.byteLength !== waiting.count * HASH_SIZE) {
      waiting.resolve(undefined);
      return;
    }
    const leaves = new Array<Uint8Array>(waiting.count);
    for (let i = 0; i < waiting.count; i++) leaves[i] = new Uint8Array(result.leaves, i * HASH_SIZE, HASH_SIZE);
    waiting.resolve(leaves);
  }

  #answerAll(leaves: undefined): void {
    for (const waiting of this.#waiting.values()) waiting.resolve(leaves);
    this.#waiting.clear();
  }
}

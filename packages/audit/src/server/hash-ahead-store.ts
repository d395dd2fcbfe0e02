import type { EventStore, ReadAllOptions, RecordedEvent } from "@aidtrail/event-store";
import { leafOf } from "./event-leaf.js";
import { ForwardingEventStore } from "./forwarding-event-store.js";
import type { LeafWorker } from "./leaf-worker.js";
import { StoredLeafEvent } from "./stored-leaf-store.js";
import { TextRecordedEvent } from "./text-event-store.js";

/** Batches smaller than this are hashed in the thread that applies them: a live batch of a few events would only wait for the round trip. */
export const MIN_WORKER_BATCH = 256;

// Leaves promised for events read through a HashAheadStore: the batch's answer and the event's index in it.
const promised = new WeakMap<RecordedEvent, { readonly leaves: Promise<Uint8Array[] | undefined>; readonly index: number }>();

/**
 * The sealer's view of the text store: each batch it returns is sent to the leaf worker at
 * once, so its leaves are being computed on the other core while the batch waits its turn
 * (under a ReadAheadStore, while the batch before it is written). `leavesOf` collects them.
 */
export class HashAheadStore extends ForwardingEventStore {
  constructor(
    store: EventStore,
    private readonly worker: LeafWorker,
  ) {
    super(store);
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    const events = await this.store.readAll(options);
    // Events read with a stored leaf need nothing; the others of the batch go to the worker.
    const texts = events.filter((e) => e instanceof TextRecordedEvent);
    if (texts.length >= MIN_WORKER_BATCH) {
      const leaves = this.worker.leaves(texts);
      for (let i = 0; i < texts.length; i++) promised.set(texts[i]!, { leaves, index: i });
    }
    return events;
  }
}

/**
 * The leaves of `events`, in order: the stored leaf of an event read with one; the worker's where it computed the event's batch whole,
 * otherwise computed here (any other event; a batch the worker could not finish, whose
 * refusals, if any, are thrown here as always). Either way the same bytes: the same leafOf code.
 */
export async function leavesOf(events: readonly RecordedEvent[]): Promise<Uint8Array[]> {
  const leaves = new Array<Uint8Array>(events.length);
  let batch: Promise<Uint8Array[] | undefined> | undefined;
  let answer: Uint8Array[] | undefined;
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    if (event instanceof StoredLeafEvent) {
      leaves[i] = event.leaf;
      continue;
    }
    const ahead = promised.get(event);
    if (ahead !== undefined && ahead.leaves !== batch) {
      batch = ahead.leaves;
      answer = await batch;
    }
    leaves[i] = (ahead !== undefined ? answer?.[ahead.index] : undefined) ?? leafOf(event);
  }
  return leaves;
}

import type { EventStore, GlobalCheckpoint, NewEvent, RecordedEvent } from "../event-store.js";
import type { EventSchemaRegistry } from "../event-validation.js";

const counterSchema = {
  safeParse(data: unknown) {
    const ok = typeof data === "object" && data !== null && Number.isSafeInteger((data as { n?: unknown }).n);
    return ok
      ? { success: true as const, data }
      : { success: false as const, error: { issues: [{ path: ["n"], message: "expected a safe integer" }] } };
  },
};
export const registry: EventSchemaRegistry = { Counted: counterSchema };

export const counted = (n: number): NewEvent => ({ type: "Counted", data: { n }, metadata: { actor: "contract" } });
let seq = 0;
export const freshStream = (prefix = "contract") => `${prefix}-${process.pid}-${Date.now()}-${seq++}`;

/** The checkpoint of the last event readAll returns now. */
export async function lastCheckpoint(store: EventStore): Promise<GlobalCheckpoint> {
  let after: GlobalCheckpoint = { transactionId: 0n, position: 0n };
  for (;;) {
    const page = await store.readAll({ after, limit: 10_000 });
    if (page.length === 0) return after;
    const last = page.at(-1)!;
    after = { transactionId: last.transactionId, position: last.position };
  }
}

/**
 * Every event after `start` that `keep` accepts, once `count` of them are readable: on a shared
 * server another database's open transaction can hold the snapshot horizon back for a moment.
 */
export async function readAllOnceVisible(
  store: EventStore,
  start: GlobalCheckpoint,
  keep: (event: RecordedEvent) => boolean,
  count: number,
): Promise<RecordedEvent[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const kept: RecordedEvent[] = [];
    let after = start;
    for (;;) {
      const page = await store.readAll({ after, limit: 10_000 });
      if (page.length === 0) break;
      kept.push(...page.filter(keep));
      after = { transactionId: page.at(-1)!.transactionId, position: page.at(-1)!.position };
    }
    if (kept.length >= count || Date.now() > deadline) return kept;
    await new Promise((r) => setTimeout(r, 50));
  }
}

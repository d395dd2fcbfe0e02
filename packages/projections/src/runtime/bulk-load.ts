import type { Transaction } from "kysely";
import type { Projection } from "./projection.js";

/** A rebuild's apply transactions → the append-only tables they load (which have no index then). */
const rebuilding = new WeakMap<Transaction<any>, ReadonlySet<string>>();

/**
 * The projection as a rebuild applies it: each apply transaction is marked as a rebuild's, loading
 * the projection's append-only tables, whose indexes the rebuild has dropped, so appends to them
 * can go by COPY (`appendsByCopy`), and rows presumed new may be COPYed too (`insertsByCopy`).
 * Without a unique index an insert never conflicts, so a COPY writes exactly the rows the usual
 * `on conflict do nothing` insert would.
 */
export function appliedByRebuild(projection: Projection): Projection {
  const tables = new Set(projection.appendOnly ?? []);
  return {
    ...projection,
    applyBatch(trx, events) {
      rebuilding.set(trx, tables);
      return projection.applyBatch(trx, events);
    },
  };
}

/** Whether `trx` loads `table` without its indexes (a rebuild's append-only table). */
export function appendsByCopy(trx: Transaction<any>, table: string): boolean {
  return rebuilding.get(trx)?.has(table) === true;
}

/**
 * Whether `trx` is a rebuild's apply transaction: the only writer of a fresh schema, where most
 * rows a batch writes are new, so COPYing them first (and upserting them only if one exists)
 * pays; a live batch is small and keeps its one upsert.
 */
export function insertsByCopy(trx: Transaction<any>): boolean {
  return rebuilding.has(trx);
}

import type { Transaction } from "kysely";
import type { Projection } from "./projection.js";

/** A rebuild's apply transactions → the append-only tables they load (which have no index then). */
const loading = new WeakMap<Transaction<any>, ReadonlySet<string>>();

/**
 * The projection as a rebuild applies it: each apply transaction is marked as loading the
 * projection's append-only tables, whose indexes the rebuild has dropped, so appends to them can
 * go by COPY (`appendsByCopy`). Without a unique index an insert never conflicts, so a COPY
 * writes exactly the rows the usual `on conflict do nothing` insert would.
 */
export function loadingAppendOnly(projection: Projection): Projection {
  const tables = new Set(projection.appendOnly ?? []);
  if (tables.size === 0) return projection;
  return {
    ...projection,
    applyBatch(trx, events) {
      loading.set(trx, tables);
      return projection.applyBatch(trx, events);
    },
  };
}

/** Whether `trx` loads `table` without its indexes (a rebuild's append-only table). */
export function appendsByCopy(trx: Transaction<any>, table: string): boolean {
  return loading.get(trx)?.has(table) === true;
}

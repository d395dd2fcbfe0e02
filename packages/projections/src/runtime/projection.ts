import type { RecordedEvent } from "@aidtrail/event-store";
import type { Kysely, Transaction } from "kysely";

/**
 * A read model: its own PostgreSQL schema (`rm_<name>`), tables it creates there, and a
 * batch apply. Apply runs with `search_path` set to the schema (live or being rebuilt),
 * so it uses unqualified table names and never knows which one it writes.
 */
export interface Projection {
  /** snake_case; the schema is `rm_<name>`. */
  name: string;
  /** Tables in creation order, for the checksum and the rebuild. */
  tables: readonly string[];
  /**
   * Tables the projection only ever appends to and never reads back: a rebuild loads them
   * without their indexes and builds those once at the end, before the swap.
   */
  appendOnly?: readonly string[];
  /** DDL for the tables, run once in a fresh schema (search_path set). */
  createTables(trx: Transaction<any>): Promise<void>;
  /**
   * Applies events in global order; must be deterministic (no clock, no randomness) so a
   * replay gives the same rows. Events it does not care about are simply ignored. In a live
   * batch an insert, update or delete without RETURNING is not waited for (withLazyTransaction):
   * it answers no row count, and its error fails the batch's commit instead.
   */
  applyBatch(trx: Transaction<any>, events: readonly RecordedEvent[]): Promise<void>;
}

/** The schema that serves reads for a projection. */
export function liveSchema(name: string): string {
  return `rm_${name}`;
}

/** The schema a rebuild replays into before it is swapped in. */
export function rebuildSchema(name: string): string {
  return `rm_${name}__rebuild`;
}

export type AnyDb = Kysely<any>;

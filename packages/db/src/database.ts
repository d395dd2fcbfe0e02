import type { ColumnType, Generated, Selectable } from "kysely";

type Int8 = ColumnType<string, string | bigint | number, string | bigint | number>;

export interface StreamsTable {
  stream_id: string;
  revision: Int8;
}

export interface EventsTable {
  position: ColumnType<string, never, never>;
  transaction_id: ColumnType<string, never, never>;
  stream_id: string;
  revision: Int8;
  type: string;
  data: unknown;
  metadata: unknown;
  recorded_at: Generated<Date>;
  /** The event's audit leaf, stored by the append functions; NULL where the writer could not compute it. */
  leaf: ColumnType<Uint8Array | null, never, never>;
}

export type EventRow = Selectable<EventsTable>;

/** Every table kysely knows; read-model tables are added by their migrations. */
export interface Database {
  streams: StreamsTable;
  events: EventsTable;
}

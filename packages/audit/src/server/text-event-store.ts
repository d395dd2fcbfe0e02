import type { EventMetadata, EventStore, ReadAllOptions, RecordedEvent } from "@aidtrail/event-store";
import { type Kysely, sql } from "kysely";
import type { AuditEventText } from "../canonical-json.js";
import { ForwardingEventStore } from "./forwarding-event-store.js";

/**
 * A recorded event read with its data and metadata as the JSON text PostgreSQL printed:
 * the sealer hashes that text (canonicalEventJsonOfText) and never needs the objects,
 * which are parsed only if something asks for them.
 */
export class TextRecordedEvent implements RecordedEvent, AuditEventText {
  #data: unknown;
  #metadata: EventMetadata | undefined;

  constructor(
    readonly position: bigint,
    readonly transactionId: bigint,
    readonly streamId: string,
    readonly revision: number,
    readonly type: string,
    readonly dataJson: string,
    readonly metadataJson: string,
    readonly recordedAt: Date,
  ) {}

  get data(): unknown {
    this.#data ??= JSON.parse(this.dataJson);
    return this.#data;
  }

  get metadata(): EventMetadata {
    this.#metadata ??= JSON.parse(this.metadataJson) as EventMetadata;
    return this.#metadata;
  }
}

interface TextRow {
  pos: string;
  tx: string;
  stream_id: string;
  rev: string;
  type: string;
  data_json: string;
  metadata_json: string;
  recorded_ms: string;
}

/**
 * The PostgreSQL event store as the sealer and the verifier read it: `readAll` gives
 * TextRecordedEvents, from the same rows in the same order as PostgresEventStore.readAll
 * (the query below keeps its visibility rule: only transactions below the snapshot's xmin,
 * so an event still being committed can never be placed before one already returned).
 * Everything else goes to the wrapped store. `db` must be the event store's database.
 */
export class TextEventStore extends ForwardingEventStore {
  readonly #db: Kysely<any>;

  constructor(store: EventStore, db: Kysely<any>) {
    super(store);
    this.#db = db;
  }

  async readAll(options: ReadAllOptions = {}): Promise<TextRecordedEvent[]> {
    const after = options.after ?? { transactionId: 0n, position: 0n };
    // ORDER BY names the table's columns: the text output columns would sort 1000 before 999.
    const { rows } = await sql<TextRow>`
      select position::text as pos, transaction_id::text as tx, stream_id, revision::text as rev, type,
             data::text as data_json, metadata::text as metadata_json,
             floor(extract(epoch from recorded_at) * 1000)::int8::text as recorded_ms
      from events
      where (transaction_id, position) > (${after.transactionId.toString()}::xid8, ${after.position.toString()}::bigint)
        and transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      order by events.transaction_id, events.position
      limit ${options.limit ?? 1000}`.execute(this.#db);
    return rows.map(
      (r) =>
        new TextRecordedEvent(
          BigInt(r.pos),
          BigInt(r.tx),
          r.stream_id,
          Number(r.rev),
          r.type,
          r.data_json,
          r.metadata_json,
          // Whole milliseconds, floored, as the event store's own Date is.
          new Date(Number(r.recorded_ms)),
        ),
    );
  }
}

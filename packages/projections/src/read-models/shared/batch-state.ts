/** Arrays `changed()` returned → for each row, whether it is presumed new (see `presumedNew`). */
const made = new WeakMap<readonly unknown[], readonly boolean[]>();

/**
 * Read-modify-write state of one batch: rows loaded once (one query per batch), changed in
 * memory as events are folded, and written back together. `touched` keeps the written keys.
 */
export class BatchState<Row> {
  readonly rows = new Map<string, Row>();
  readonly touched = new Set<string>();
  private readonly loaded = new Set<string>();

  get(key: string): Row | undefined {
    return this.rows.get(key);
  }

  /** A row as the table holds it (read in this batch). */
  load(key: string, row: Row): void {
    this.rows.set(key, row);
    this.loaded.add(key);
  }

  set(key: string, row: Row): void {
    this.rows.set(key, row);
    this.touched.add(key);
  }

  /** Rows to write back, in key order so the statement's row order is deterministic. */
  changed(): Row[] {
    const keys = [...this.touched].sort();
    const rows = keys.map((k) => this.rows.get(k) as Row);
    made.set(
      rows,
      keys.map((k, i) => !this.loaded.has(k) && rows[i] !== null),
    );
    return rows;
  }
}

/**
 * For rows as `changed()` returned them, whether each was made for a key that no read of its
 * batch found in the table: most likely a new row (a payment recorded in this batch), though
 * nothing checked that the table lacks it; undefined for any other array. A rebuild COPYs such
 * rows in, and upserts them after all if one of them exists.
 */
export function presumedNew(rows: readonly unknown[]): readonly boolean[] | undefined {
  return made.get(rows);
}

/** Loads into `state` the rows of `keys` that are not already there. */
export async function preload<Row>(state: BatchState<Row>, keys: Iterable<string>, load: (missing: string[]) => Promise<Array<[string, Row]>>): Promise<void> {
  const missing = [...new Set(keys)].filter((k) => !state.rows.has(k));
  if (missing.length === 0) return;
  for (const [k, row] of await load(missing)) state.load(k, row);
}

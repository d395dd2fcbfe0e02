/**
 * Read-modify-write state of one batch: rows loaded once (one query per batch), changed in
 * memory as events are folded, and written back together. `touched` keeps the written keys.
 */
export class BatchState<Row> {
  readonly rows = new Map<string, Row>();
  readonly touched = new Set<string>();

  get(key: string): Row | undefined {
    return this.rows.get(key);
  }

  set(key: string, row: Row): void {
    this.rows.set(key, row);
    this.touched.add(key);
  }

  /** Rows to write back, in key order so the statement's row order is deterministic. */
  changed(): Row[] {
    return [...this.touched].sort().map((k) => this.rows.get(k) as Row);
  }
}

/** Loads into `state` the rows of `keys` that are not already there. */
export async function preload<Row>(state: BatchState<Row>, keys: Iterable<string>, load: (missing: string[]) => Promise<Array<[string, Row]>>): Promise<void> {
  const missing = [...new Set(keys)].filter((k) => !state.rows.has(k));
  if (missing.length === 0) return;
  for (const [k, row] of await load(missing)) state.rows.set(k, row);
}

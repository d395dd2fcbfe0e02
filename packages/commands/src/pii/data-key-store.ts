/**
 * Where wrapped data keys live: outside the event log, so that deleting one shreds the data.
 * `null` means the key was shredded (a tombstone), `undefined` that there never was one.
 */
export interface DataKeyStore {
  /** Inserts `wrapped` unless the household already has a row; returns what is stored now. */
  getOrCreate(householdId: string, wrapped: Buffer): Promise<Buffer | null>;
  get(householdId: string): Promise<Buffer | null | undefined>;
  /** Deletes the key and leaves a tombstone; idempotent. */
  shred(householdId: string): Promise<void>;
}

/** For unit tests and tools: same semantics, one process. */
export class InMemoryDataKeyStore implements DataKeyStore {
  private readonly keys = new Map<string, Buffer | null>();

  async getOrCreate(householdId: string, wrapped: Buffer): Promise<Buffer | null> {
    if (!this.keys.has(householdId)) this.keys.set(householdId, Buffer.from(wrapped));
    return this.keys.get(householdId) ?? null;
  }

  async get(householdId: string): Promise<Buffer | null | undefined> {
    return this.keys.get(householdId);
  }

  async shred(householdId: string): Promise<void> {
    this.keys.set(householdId, null);
  }
}

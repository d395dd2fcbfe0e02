import { createHmac, randomBytes } from "node:crypto";
import type { Database } from "@aidtrail/db";
import type { SealedPii } from "@aidtrail/domain";
import type { Kysely } from "kysely";
import { gcmOpen, gcmSeal } from "./aes-gcm.js";
import { type DataKeyStore, InMemoryDataKeyStore } from "./data-key-store.js";
import { type PiiField, maskPii, normalisePii } from "./pii-field.js";
import { type PiiKeys, assertPiiKeys } from "./pii-keys.js";
import { PostgresDataKeyStore } from "./postgres-data-key-store.js";

/** Sealing personal data before it reaches an event, and erasing it by destroying the key. */
export interface PiiVault {
  /** Encrypts with the household's data key (created on first use): ciphertext, blind index, masked form. */
  seal(householdId: string, field: PiiField, clear: string): Promise<SealedPii>;
  /** Seals several values of one household with one key lookup (registration seals every member). */
  sealMany(householdId: string, values: ReadonlyArray<{ field: PiiField; clear: string }>): Promise<SealedPii[]>;
  /** The clear value, or null once the household's key is shredded. */
  open(householdId: string, sealed: SealedPii): Promise<string | null>;
  /** The keyed hash used to find duplicates without decrypting. */
  blindIndex(field: PiiField, clear: string): string;
  /** Crypto-shredding: deletes the household's data key; its ciphertexts become noise. */
  shred(householdId: string): Promise<void>;
}

/** Sealing refused because the household's personal data was erased. */
export class PiiShredded extends Error {
  readonly code = "pii_shredded";
  constructor(readonly householdId: string) {
    super(`personal data of household ${householdId} was erased; nothing new is sealed for it`);
    this.name = "PiiShredded";
  }
}

const FORMAT = "v1";

/** Envelope encryption: AES-256-GCM data key per household, wrapped by the master key. */
export class EnvelopePiiVault implements PiiVault {
  private readonly keys: PiiKeys;

  constructor(
    private readonly store: DataKeyStore,
    keys: PiiKeys,
  ) {
    this.keys = assertPiiKeys(keys);
  }

  async seal(householdId: string, field: PiiField, clear: string): Promise<SealedPii> {
    const [sealed] = await this.sealMany(householdId, [{ field, clear }]);
    if (!sealed) throw new Error("sealMany returned nothing");
    return sealed;
  }

  async sealMany(householdId: string, values: ReadonlyArray<{ field: PiiField; clear: string }>): Promise<SealedPii[]> {
    // Validate every value before creating a key for a household that may not get registered.
    const normalised = values.map(({ field, clear }) => ({ field, value: normalisePii(field, clear) }));
    if (normalised.length === 0) return [];
    const dataKey = await this.dataKeyFor(householdId);
    return normalised.map(({ field, value }) => ({
      sealed: `${FORMAT}.${field}.${gcmSeal(dataKey, Buffer.from(value, "utf8"), valueAad(householdId, field)).toString("base64url")}`,
      blindIndex: this.indexOf(field, value),
      masked: maskPii(value),
    }));
  }

  async open(householdId: string, value: SealedPii): Promise<string | null> {
    const [format, field, body] = value.sealed.split(".");
    if (format !== FORMAT || (field !== "nationalId" && field !== "bankAccount") || body === undefined) {
      throw new Error("not a sealed value of this vault");
    }
    const wrapped = await this.store.get(householdId);
    if (!wrapped) return null;
    const dataKey = gcmOpen(this.keys.masterKey, wrapped, keyAad(householdId));
    return gcmOpen(dataKey, Buffer.from(body, "base64url"), valueAad(householdId, field)).toString("utf8");
  }

  blindIndex(field: PiiField, clear: string): string {
    return this.indexOf(field, normalisePii(field, clear));
  }

  shred(householdId: string): Promise<void> {
    return this.store.shred(householdId);
  }

  private indexOf(field: PiiField, normalised: string): string {
    // The field is part of the input: an id number and an account number never share an index.
    return `bi1:${createHmac("sha256", this.keys.indexKey).update(`${field}:${normalised}`).digest("base64url")}`;
  }

  private async dataKeyFor(householdId: string): Promise<Buffer> {
    const candidate = gcmSeal(this.keys.masterKey, randomBytes(32), keyAad(householdId));
    const wrapped = await this.store.getOrCreate(householdId, candidate);
    if (!wrapped) throw new PiiShredded(householdId);
    return gcmOpen(this.keys.masterKey, wrapped, keyAad(householdId));
  }
}

// The AADs bind a wrapped key to its household and a ciphertext to its household and field:
// a value copied into another household's record does not open.
const keyAad = (householdId: string) => `aidtrail-dek:v1:${householdId}`;
const valueAad = (householdId: string, field: PiiField) => `aidtrail-pii:v1:${householdId}:${field}`;

/** The production vault: data keys in PostgreSQL's `pii_keys`. */
export function createPostgresPiiVault(db: Kysely<Database>, keys: PiiKeys): PiiVault {
  return new EnvelopePiiVault(new PostgresDataKeyStore(db), keys);
}

/** A vault whose data keys live in memory (tests, in-memory event store). */
export function createInMemoryPiiVault(keys: PiiKeys): PiiVault {
  return new EnvelopePiiVault(new InMemoryDataKeyStore(), keys);
}

/** The two secrets of personal-data protection, from configuration (never from the event log). */
export interface PiiKeys {
  /** 32 bytes: wraps (AES-256-GCM) every household's data key. */
  masterKey: Buffer;
  /** 32 bytes: HMAC-SHA256 key of the blind index. Separate from the master key so either can rotate alone. */
  indexKey: Buffer;
}

/** Throws unless both keys are 32 bytes. */
export function assertPiiKeys(keys: PiiKeys): PiiKeys {
  if (keys.masterKey.length !== 32) throw new Error("PII master key must be 32 bytes");
  if (keys.indexKey.length !== 32) throw new Error("PII index key must be 32 bytes");
  if (keys.masterKey.equals(keys.indexKey)) throw new Error("PII master and index keys must differ");
  return keys;
}

import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { domainEventSchemas } from "@aidtrail/domain";
import { PostgresEventStore } from "@aidtrail/event-store";
import { type TestDatabase, createTestDatabase } from "@aidtrail/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createCommandHandlers } from "../command-handlers.js";
import { membersOf, officer, testPiiKeys } from "../testing/command-fixtures.js";
import { allEvents } from "../testing/event-queries.js";
import { loadOrCreateDevKeys } from "./dev-keys.js";
import { type PiiVault, createPostgresPiiVault } from "./pii-vault.js";

describe("personal data: sealed before any event is written, erasable by shredding the key", () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let vault: PiiVault;

  beforeAll(async () => {
    database = await createTestDatabase(inject("pgAdminUrl"));
    store = new PostgresEventStore({ db: database.db, url: database.url, registry: domainEventSchemas });
    vault = createPostgresPiiVault(database.db, testPiiKeys);
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it("no national id or bank account appears in clear in the event log; responses show the masked form", async () => {
    const handlers = createCommandHandlers({ store, vault });
    const members = membersOf("pii-h1", 1);
    await handlers.registerHousehold(
      { householdId: "pii-h1", villageId: "v1", headMemberId: "pii-h1-p1", members, povertyCause: "illness", registeredOn: "2023-01-10", bankAccount: "6217 0012 3456 7890 123" },
      officer(),
    );
    const log = JSON.stringify((await allEvents(store)).map((e) => [e.data, e.metadata]));
    for (const m of members) expect(log).not.toContain(m.nationalId);
    expect(log).not.toContain("62170012345678901");
    const registered = (await allEvents(store)).find((e) => e.type === "HouseholdRegistered")!.data as {
      members: Array<{ nationalId: { sealed: string; masked: string } }>;
      bankAccount: { masked: string };
    };
    expect(registered.members[0]!.nationalId.masked).toBe(`3201**********${members[0]!.nationalId.slice(-4)}`);
    expect(registered.bankAccount.masked).toBe("6217***********0123");
    expect(await vault.open("pii-h1", registered.members[0]!.nationalId as never)).toBe(members[0]!.nationalId);
  });

  it("the blind index finds one person registered in two households without decrypting; ciphertexts differ", async () => {
    const a = await vault.seal("pii-a", "nationalId", "320102198001010012");
    const b = await vault.seal("pii-b", "nationalId", "3201 0219 8001 0100 12");
    expect(a.blindIndex).toBe(b.blindIndex);
    expect(a.sealed).not.toBe(b.sealed);
    // A value copied into another household's record does not open with that household's key.
    await expect(vault.open("pii-b", a)).rejects.toThrow();
  });

  it("shredding a household's key erases its personal data: open gives null, nothing new is sealed, the events stay", async () => {
    const before = (await allEvents(store)).length;
    const sealed = await vault.seal("pii-h1", "nationalId", "320102198001010012");
    await vault.shred("pii-h1");
    await vault.shred("pii-h1");
    expect(await vault.open("pii-h1", sealed)).toBeNull();
    await expect(vault.seal("pii-h1", "nationalId", "320102198001010012")).rejects.toMatchObject({ code: "pii_shredded" });
    expect((await allEvents(store)).length).toBe(before);
    const { rows } = await database.pool.query("select wrapped_key, shredded_at from pii_keys where household_id = 'pii-h1'");
    expect(rows).toEqual([{ wrapped_key: null, shredded_at: expect.any(Date) }]);
  });

  it("concurrent first seals of one household agree on a single data key", async () => {
    const sealed = await Promise.all(Array.from({ length: 10 }, () => vault.seal("pii-race", "bankAccount", "6217001234567890")));
    for (const s of sealed) expect(await vault.open("pii-race", s)).toBe("6217001234567890");
  });

  it("refuses what cannot be a national id", async () => {
    await expect(vault.seal("pii-x", "nationalId", "12345")).rejects.toMatchObject({ code: "inputs_invalid" });
  });

  it("loadOrCreateDevKeys writes a 0600 key file once and reads the same keys back", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "aidtrail-keys-"));
    try {
      const first = await loadOrCreateDevKeys(dir);
      const again = await loadOrCreateDevKeys(dir);
      expect(again.masterKey.equals(first.masterKey)).toBe(true);
      expect((await stat(path.join(dir, "pii-keys.json"))).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

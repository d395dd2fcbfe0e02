import { randomBytes } from "node:crypto";
import { canonicalize } from "@aidtrail/audit";
import { createPostgresPiiVault } from "@aidtrail/commands";
import { domainEventSchemas, type Role } from "@aidtrail/domain";
import { PostgresEventStore } from "@aidtrail/event-store";
import { allProjections } from "@aidtrail/projections";
import { type RunningProjector, startProjector } from "@aidtrail/projector";
import { type TestDatabase, createTestDatabase } from "@aidtrail/testing";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { type AppDependencies, type AppOptions, buildApp } from "../app.js";
import { signHs256 } from "../auth/dev-token.js";
import type { Scope } from "../auth/principal.js";

export interface ApiHarness {
  app: FastifyInstance;
  database: TestDatabase;
  store: PostgresEventStore;
  /** A bearer header for a caller with these roles and scope. */
  auth(role: Role | readonly Role[], scope?: Scope, sub?: string): { authorization: string };
  /** The HS256 key the app verifies tokens with (forged tokens; a client of its own, such as `aidtrail import`). */
  jwtSecret: string;
  countEvents(): Promise<number>;
  close(): Promise<void>;
}

/** The app on a fresh migrated database of its own, as every *.int.spec.ts of the API uses it. */
export async function createApiHarness(pgAdminUrl: string, options: AppOptions & { withProjector?: boolean } = {}): Promise<ApiHarness> {
  const database = await createTestDatabase(pgAdminUrl);
  // As every `aidtrail` command builds it: appends store each event's audit leaf.
  const store = new PostgresEventStore({ db: database.db, url: database.url, registry: domainEventSchemas, canonicalJson: canonicalize });
  const vault = createPostgresPiiVault(database.db, { masterKey: randomBytes(32), indexKey: randomBytes(32) });
  const secret = randomBytes(32).toString("base64url");
  // Reads need the read models: the projector runs inline, as in `aidtrail start`, and writes wait for it.
  const { withProjector = false, ...appOptions } = options;
  const projector: RunningProjector | undefined = withProjector
    ? await startProjector({ db: database.db, url: database.url, store, projections: allProjections, leaseTtlMs: 5_000 })
    : undefined;
  const extra: Partial<AppDependencies> = projector ? { projector, projections: allProjections } : {};
  const app = await buildApp(
    { db: database.db, eventStore: store, vault, auth: { secret }, ...extra },
    { waitForProjectionMs: projector ? 5_000 : 0, ...appOptions },
  );
  await app.ready();
  return {
    app,
    database,
    store,
    jwtSecret: secret,
    auth(role, scope = "township", sub) {
      const roles = typeof role === "string" ? [role] : [...role];
      return { authorization: `Bearer ${signHs256({ sub: sub ?? `${roles.join("+")}-01`, roles, scope }, secret, 3600)}` };
    },
    async countEvents() {
      const { rows } = await sql<{ n: string }>`select count(*) as n from events`.execute(database.db);
      return Number(rows[0]?.n ?? 0);
    },
    async close() {
      await app.close();
      await projector?.stop();
      await store.close();
      await database.drop();
    },
  };
}

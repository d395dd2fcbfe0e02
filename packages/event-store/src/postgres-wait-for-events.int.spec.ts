import { createTestDatabase } from "@aidtrail/testing";
import { describe, expect, inject, it } from "vitest";
import { PostgresEventStore } from "./postgres-event-store.js";

const TEN_MINUTES = 600_000;

describe("postgres waitForEvents: events committed behind an open transaction", () => {
  it("a waiter held back by the horizon is woken by this process's next commit, not by a timer", async () => {
    const db = await createTestDatabase(inject("pgAdminUrl"));
    // No timer could end the wait within the test's time: only a wake-up can.
    const store = new PostgresEventStore({ db: db.db, url: db.url, horizonRecheckMs: TEN_MINUTES });
    const slow = await db.pool.connect();
    try {
      const { checkpoint: after } = await store.append("before-1", [{ type: "Before", data: {} }]);

      // An older transaction stays open: what commits after it is behind the horizon.
      await slow.query("begin");
      await slow.query("select pg_current_xact_id()");
      await store.append("behind-1", [{ type: "Behind", data: {} }]);
      expect(await store.readAll({ after })).toEqual([]);

      let woken = false;
      const waiting = store.waitForEvents(after, TEN_MINUTES).then(() => {
        woken = true;
      });
      await new Promise((r) => setTimeout(r, 200));
      expect(woken).toBe(false);

      await store.append("behind-2", [{ type: "Behind", data: {} }]);
      await waiting;
      expect(woken).toBe(true);

      await slow.query("commit");
      // On a shared server another database's transaction can hold the horizon a moment longer.
      let visible = await store.readAll({ after });
      for (let tries = 0; visible.length < 2 && tries < 600; tries++) {
        await new Promise((r) => setTimeout(r, 50));
        visible = await store.readAll({ after });
      }
      expect(visible.map((e) => e.streamId)).toEqual(["behind-1", "behind-2"]);
    } finally {
      slow.release();
      await store.close();
      await db.drop();
    }
  });
});

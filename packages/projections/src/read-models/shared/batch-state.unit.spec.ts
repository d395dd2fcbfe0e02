import { describe, expect, it } from "vitest";
import { BatchState, preload, presumedNew } from "./batch-state.js";

describe("BatchState", () => {
  it("presumes new the rows it made for keys no read of the batch found, and only those", async () => {
    const state = new BatchState<{ id: string; v: number } | null>();
    await preload(state, ["found", "absent"], async () => [["found", { id: "found", v: 1 }]]);
    const loaded = state.get("found")!;
    expect(loaded).toEqual({ id: "found", v: 1 });
    const changed = { id: "found", v: 2 };
    const absent = { id: "absent", v: 1 };
    const unread = { id: "unread", v: 1 };
    state.set("found", changed);
    state.set("absent", absent);
    state.set("unread", unread);
    state.set("deleted", null);
    expect(presumedNew([loaded])).toBeUndefined();
    const rows = state.changed();
    expect(rows).toEqual([absent, null, changed, unread]);
    // "deleted" was never read, but a null row is no row to insert.
    expect(presumedNew(rows)).toEqual([true, false, false, true]);
    expect(presumedNew([...rows])).toBeUndefined();
  });
});

import type { RecordedEvent } from "@aidtrail/event-store";
import type { Projection } from "@aidtrail/projections";
import { sql, type Transaction } from "kysely";
import { appendLeaves, loadTileEdge, type TileEdge } from "../tile-edge.js";
import { AUDIT_PROJECTION, createAuditTables } from "./audit-tables.js";
import { leavesOf } from "./hash-ahead-store.js";
import { leafRuns } from "./leaf-runs.js";
import { PostgresTileStore, writeTilesStatement } from "./postgres-tile-store.js";

/**
 * The sealer: a projection that gives every event, in global order, the next leaf of
 * the Merkle tree. Its tiles, its position→leaf runs and the tree size commit in the
 * projector's transaction together with its checkpoint, so each event is sealed exactly
 * once. Deterministic (no clock): a rebuild produces the very same tiles. Signing is
 * not done here but by the checkpoint signer, which needs a clock and a key.
 */
export function auditSealerProjection(): Projection {
  // The right edge of the tree per schema (live, rebuild), so a batch need not reload
  // it. It is trusted only if its size is the stored size: after a rolled-back batch
  // the sizes differ and the edge is reloaded from the tiles.
  const edges = new Map<string, TileEdge>();
  return {
    name: AUDIT_PROJECTION,
    tables: ["audit_tiles", "audit_leaf_runs", "audit_tree"],
    createTables: createAuditTables,
    async applyBatch(trx: Transaction<any>, events: readonly RecordedEvent[]): Promise<void> {
      if (events.length === 0) return;
      const { rows } = await sql<{ size: string; schema: string }>`
        select size, current_schema() as schema from audit_tree for update`.execute(trx);
      const row = rows[0];
      if (row === undefined) throw new Error("audit_tree has no row");
      const size = Number(row.size);
      let edge = edges.get(row.schema);
      if (edge?.size !== size) edge = await loadTileEdge(new PostgresTileStore(trx, null), size);

      const leaves = await leavesOf(events);
      const appended = appendLeaves(edge, leaves);
      const runs = leafRuns(events, size);
      // One round trip for the whole batch: tiles, leaf runs and the new size.
      await sql`
        with tiles as (${writeTilesStatement(sql.id("audit_tiles"), appended.tiles)}),
        runs as (
          insert into audit_leaf_runs (first_position, first_leaf, leaves)
          select * from unnest(${runs.map((r) => r.firstPosition.toString())}::bigint[],
                               ${runs.map((r) => String(r.firstLeaf))}::bigint[], ${runs.map((r) => r.leaves)}::int[])
        )
        update audit_tree set size = ${String(appended.edge.size)}::bigint`.execute(trx);
      edges.set(row.schema, appended.edge);
    },
  };
}

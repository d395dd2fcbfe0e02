import { createTestDatabase, type TestDatabase } from "@aidtrail/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { inclusionPlan } from "../proofs.js";
import { ReferenceTree, testLeaves } from "../reference-tree.spec-helpers.js";
import { appendLeaves, EMPTY_EDGE, type TileEdge } from "../tile-edge.js";
import { toBase64 } from "../verify/bytes.js";
import { inclusionProofFor } from "./audit-proofs.js";
import { AUDIT_SCHEMA, createAuditTables } from "./audit-tables.js";
import { insertCheckpoint } from "./checkpoint-rows.js";
import { readInclusionInputs } from "./inclusion-query.js";
import { PostgresTileStore } from "./postgres-tile-store.js";

// Leaves for the tile levels 0, 1 and 2 (65,536 leaves fill one level-1 tile), not from events:
// the tree, its tiles and its leaf runs are written as the sealer writes them, in batches.
const LEAVES = 70_000;
const leaves = testLeaves(LEAVES);
const reference = new ReferenceTree(leaves);
let database: TestDatabase;
let edge: TileEdge = EMPTY_EDGE;

beforeAll(async () => {
  database = await createTestDatabase(inject("pgAdminUrl"));
  await database.db.transaction().execute(async (trx) => {
    await sql`create schema ${sql.id(AUDIT_SCHEMA)}`.execute(trx);
    await sql`select set_config('search_path', ${AUDIT_SCHEMA}, true)`.execute(trx);
    await createAuditTables(trx);
  });
  // Event at position p + 1 is leaf p: one run.
  await sql`insert into rm_audit.audit_leaf_runs values (1, 0, ${LEAVES})`.execute(database.db);
});
afterAll(async () => {
  await database?.drop();
});

/** Seals up to `size` leaves in batches of 97 (so partial tiles grow across batches), then signs `size`. */
async function sealTo(size: number): Promise<void> {
  const tiles = new PostgresTileStore(database.db);
  while (edge.size < size) {
    const appended = appendLeaves(edge, leaves.slice(edge.size, Math.min(size, edge.size + 97)));
    await tiles.writeTiles(appended.tiles);
    edge = appended.edge;
  }
  await sign(size);
}

async function sign(size: number): Promise<void> {
  await insertCheckpoint(database.db, { treeSize: size, root: reference.root(0, size), note: `test ${size}` });
}

/** Leaf indexes to prove in a tree of `size`: all of a small one, the edges and a spread of a large one. */
function indexesOf(size: number): number[] {
  if (size <= 40) return Array.from({ length: size }, (_, i) => i);
  const picked = new Set([0, 1, 255, 256, size - 257, size - 256, size - 2, size - 1]);
  for (let i = 0; i < 24; i++) picked.add(Math.floor((i * 7919 * size) / 24 / 7919));
  return [...picked].filter((i) => i >= 0 && i < size);
}

/** The proof of every index from the one query equals the reference tree's, and the query alone supplied every hash. */
async function expectProofs(size: number): Promise<void> {
  for (const m of indexesOf(size)) {
    const inputs = await readInclusionInputs(database.db, BigInt(m + 1), size);
    expect(inputs.leafIndex).toBe(m);
    const missing = inclusionPlan(m, size)
      .flat()
      .filter((n) => !inputs.hashes.has(`${n.level}/${n.index}`));
    expect(missing, `size ${size}, leaf ${m}`).toEqual([]);
    const proof = await inclusionProofFor(database.db, { position: BigInt(m + 1), treeSize: size });
    expect(proof.proof, `size ${size}, leaf ${m}`).toEqual(reference.path(m, 0, size).map(toBase64));
  }
}

describe("inclusion proofs in one query, from stored tile hashes", () => {
  it("given the tree sealed exactly to sizes around tile edges, then each proof equals the reference tree's", async () => {
    for (const size of [1, 2, 3, 5, 97, 255, 256, 257, 300, 511, 512, 513, 1000, 65_535, 65_536, 65_537, LEAVES]) {
      await sealTo(size);
      await expectProofs(size);
    }
  });

  it("given the tree sealed further, then proofs in every smaller signed tree still equal the reference tree's", async () => {
    for (let size = 1; size <= 300; size++) {
      if (size % 7 === 0 || size > 280) {
        await sign(size);
        await expectProofs(size);
      }
    }
    for (const size of [4_097, 33_333, 65_538, 69_999]) {
      await sign(size);
      await expectProofs(size);
    }
  });

  it("given tiles sealed before inner hashes were stored, then the proof is computed from the rows instead, and is the same", async () => {
    await sql`update rm_audit.audit_tiles set inner_hashes = null where level = 0 and idx = 3`.execute(database.db);
    const inputs = await readInclusionInputs(database.db, 901n, LEAVES);
    expect(inclusionPlan(900, LEAVES).flat().every((n) => inputs.hashes.has(`${n.level}/${n.index}`))).toBe(false);
    const proof = await inclusionProofFor(database.db, { position: 901n, treeSize: LEAVES });
    expect(proof.proof).toEqual(reference.path(900, 0, LEAVES).map(toBase64));
  });
});

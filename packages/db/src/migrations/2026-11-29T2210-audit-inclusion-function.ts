import { type Kysely, sql } from "kysely";

/**
 * One call, one round trip, for an inclusion proof by position: the signed checkpoint of
 * `p_size` (the latest when null), the leaf index of the event at `p_position` and the stored
 * hash of every node the proof folds. A function rather than one large statement: its plans
 * are prepared once per connection, where planning the statement took as long as running it.
 *
 * The nodes are those of RFC 9162's inclusion path of leaf m in a tree of n leaves: at each
 * level h whose sibling s = (m >> h) xor 1 starts inside the tree, the sibling itself when it
 * is complete, else the right edge of the tree below h (for each bit b < h set in n, the node
 * (b, (n >> b) − 1)). Node (level, idx) is in tile (level / 8, (idx << level % 8) >> 8): its
 * bottom row at height 0, its inner hashes above (offset 256 − (512 >> height) + idx mod
 * (256 >> height)). A tile without inner hashes (sealed before they were stored) gives null,
 * and the caller computes that proof from the tile rows instead.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function aidtrail_audit_inclusion(p_position bigint, p_size bigint)
    returns table (tree_size bigint, root bytea, note text, signed_at timestamptz, leaf_index bigint,
                   levels int[], idxs bigint[], hashes bytea[])
    language plpgsql stable as $$
    declare
      v_size bigint;
      v_root bytea;
      v_note text;
      v_signed timestamptz;
      m bigint;
      self bigint;
      sib bigint;
      node_levels int[] := '{}';
      node_idxs bigint[] := '{}';
    begin
      if p_size is null then
        select c.tree_size, c.root, c.note, c.signed_at into v_size, v_root, v_note, v_signed
        from audit_checkpoints c order by c.tree_size desc limit 1;
      else
        select c.tree_size, c.root, c.note, c.signed_at into v_size, v_root, v_note, v_signed
        from audit_checkpoints c where c.tree_size = p_size;
      end if;
      -- Runs never overlap: the one starting at or before the position is the only one that can hold it.
      select r.first_leaf + (p_position - r.first_position) into m
      from (select l.first_position, l.first_leaf, l.leaves from rm_audit.audit_leaf_runs l
            where l.first_position <= p_position order by l.first_position desc limit 1) r
      where p_position < r.first_position + r.leaves;
      if v_size is not null and m is not null and m < v_size then
        for h in 0..52 loop
          self := m >> h;
          sib := self # 1;
          continue when (sib << h) >= v_size;
          if sib < self or ((sib + 1) << h) <= v_size then
            node_levels := node_levels || h;
            node_idxs := node_idxs || sib;
          else
            for b in 0..h - 1 loop
              if ((v_size >> b) & 1) = 1 then
                node_levels := node_levels || b;
                node_idxs := node_idxs || ((v_size >> b) - 1);
              end if;
            end loop;
          end if;
        end loop;
      end if;
      return query
        select v_size, v_root, v_note, v_signed, m, node_levels, node_idxs,
          array(
            select (select case when x.lv % 8 = 0 then substring(t.hashes from (x.ix % 256)::int * 32 + 1 for 32)
                                else substring(t.inner_hashes from (256 - (512 >> (x.lv % 8)) + (x.ix % (256 >> (x.lv % 8)))::int) * 32 + 1 for 32)
                           end
                    from rm_audit.audit_tiles t
                    where t.level = x.lv / 8 and t.idx = (x.ix << (x.lv % 8)) >> 8)
            from unnest(node_levels, node_idxs) with ordinality as x(lv, ix, i)
            order by x.i);
    end $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists aidtrail_audit_inclusion(bigint, bigint)`.execute(db);
}

import { type Kysely, sql } from "kysely";
import * as appendAtomic from "./2026-11-29T2100-append-atomic.js";

// Frozen in time: this migration imports no application code.

/**
 * aidtrail_append_atomic learns revision checks: an entry with no events (count 0) only asserts
 * that its stream is at the expected revision when the other entries are written. A payment thus
 * decides on the household as this process last saw it and lets the append prove it is still
 * current (one statement) instead of reading the household first (a round trip per payment).
 * Changed from 2100: a checked stream is locked like the others but its revision is not rewritten,
 * and a check entry answers with its stream's revision and no positions.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function aidtrail_append_atomic(p_stream_ids text[], p_expected bigint[], p_counts int[], p_events jsonb)
    returns table (append_index int, ok boolean, current_revision bigint, positions bigint[])
    language plpgsql
    -- Planned for each call's arrays: a generic plan cached while the streams table was small
    -- kept scanning all of it once it had grown (a pooled session went 1.6 -> 116 ms per call).
    set plan_cache_mode = force_custom_plan
    as $$
    begin
      -- Create and lock every touched stream in one fixed order, as aidtrail_append_batch does,
      -- so this and the group commits cannot deadlock. A checked stream is locked too: nobody
      -- may append to it between the check and the commit.
      insert into streams (stream_id, revision)
        select distinct s, -1 from unnest(p_stream_ids) s order by 1
        on conflict do nothing;
      perform 1 from streams where stream_id = any (p_stream_ids) order by stream_id for update;

      return query
      with req as (
        select u.i::int as i, u.sid, u.exp, u.cnt,
               (sum(u.cnt) over (order by u.i) - u.cnt)::int as offs,
               -- events the entries before this one add to the same stream
               sum(u.cnt) over (partition by u.sid order by u.i) - u.cnt as earlier
        from unnest(p_stream_ids, p_expected, p_counts) with ordinality as u(sid, exp, cnt, i)
      ),
      checked as (
        select l.*,
               (l.exp >= 0 and l.cur <> l.exp) or (l.exp = -1 and l.cur <> -1) or (l.exp = -3 and l.cur = -1) as conflict
        -- A scalar subquery is always an index lookup; "offset 0" keeps it from being inlined.
        from (select r.*, (select s.revision from streams s where s.stream_id = r.sid) + r.earlier as cur from req r offset 0) l
      ),
      first_conflict as (
        select c.i, c.cur from checked c where c.conflict order by c.i limit 1
      ),
      inserted as (
        insert into events (stream_id, revision, type, data, metadata)
        select c.sid, c.cur + g.k, x.e ->> 't', x.e -> 'd', x.e -> 'm'
        from checked c
        cross join lateral generate_series(1, c.cnt) as g(k)
        cross join lateral (select p_events -> (c.offs + g.k - 1) as e) as x
        where not exists (select 1 from first_conflict)
        order by c.i, g.k
        returning events.stream_id, events.revision, events.position
      ),
      bumped as (
        update streams s set revision = t.last
        -- Only streams that get events: a checked stream's row is not rewritten.
        from (select c.sid, max(c.cur + c.cnt) as last from checked c where c.cnt > 0 group by c.sid) t
        -- "= any" lets the planner find the rows by primary key even before the table has
        -- statistics; the join alone was a sequential scan of every stream (3.4 of 5.7 ms).
        where s.stream_id = any (p_stream_ids) and s.stream_id = t.sid and not exists (select 1 from first_conflict)
      ),
      written as (
        select c.i, array_agg(n.position order by n.revision) as positions
        from checked c join inserted n on n.stream_id = c.sid and n.revision > c.cur and n.revision <= c.cur + c.cnt
        group by c.i
      )
      select f.i - 1, false, f.cur, null::bigint[] from first_conflict f
      union all
      select c.i - 1, true, c.cur + c.cnt, coalesce(w.positions, '{}'::bigint[])
      from checked c left join written w on w.i = c.i
      where not exists (select 1 from first_conflict)
      order by 1;
      -- No pg_notify here, as in aidtrail_append_batch: writers notify after commit.
    end $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists aidtrail_append_atomic`.execute(db);
  await appendAtomic.up(db);
}

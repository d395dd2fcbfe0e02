import { type Kysely, sql } from "kysely";
import * as appendBatchIndexLookups from "./2026-11-29T1830-append-batch-index-lookups.js";
import * as appendAtomic from "./2026-11-29T2100-append-atomic.js";
import * as appendAtomicRevisionChecks from "./2026-11-29T2500-append-atomic-revision-checks.js";

// Frozen in time: this migration imports no application code.

/**
 * Each event's audit leaf, computed when it is appended (as Trillian hashes leaves when they are
 * queued): the sealer then only reads 32 bytes per event and integrates them, instead of printing
 * data and metadata as text and canonicalising and hashing them itself.
 *
 * - `events.leaf`: sha256(0x00 ‖ the event's RFC 8785 canonical bytes), or NULL where the writer
 *   could not compute it (the bulk COPY path, rows from before this migration): the sealer then
 *   computes that leaf from the data, as before.
 * - aidtrail_event_leaf: that hash from the parts. `data`/`metadata` must already be RFC 8785 text
 *   (Node canonicalises them with the verifier's code); stream id and type are written with
 *   to_json, whose escapes are JSON.stringify's (hence RFC 8785's) for every character PostgreSQL
 *   can store in text (tested); recordedAt is ISO-8601 UTC with milliseconds, as Date#toISOString.
 * - The append functions take the events as arrays: the types as text[], the data and metadata
 *   texts each joined by U+001E (JSON text never holds a raw control character, so nothing is
 *   escaped and string_to_array splits them in one pass; a json array of {t, d, m} was parsed five
 *   times per event), so the leaf hashes the very text the caller sent and jsonb parses it once;
 *   and `p_leaves`: whether those texts are canonical (then the leaf is stored).
 *   They store recorded_at truncated to milliseconds (what every reader sees anyway), so the
 *   leaf's recordedAt is the stored instant exactly, and take positions explicitly: one nextval
 *   per row, the values sorted and handed out in the rows' order, so positions still ascend with
 *   revisions within a stream and with entry order across a call, whatever order PostgreSQL
 *   evaluates nextval in. Everything else (checks, locks, results) is as in 1830 and 2500.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table events add column leaf bytea`.execute(db);

  await sql`
    create function aidtrail_event_leaf(p_data text, p_metadata text, p_position bigint, p_recorded_at timestamptz,
                                        p_revision bigint, p_stream_id text, p_type text)
    returns bytea language sql stable strict parallel safe as $$
      select sha256('\\x00'::bytea || convert_to(
        '{"data":' || p_data || ',"metadata":' || p_metadata || ',"position":' || p_position::text ||
        ',"recordedAt":"' || to_char(p_recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') ||
        '","revision":' || p_revision::text || ',"streamId":' || to_json(p_stream_id)::text ||
        ',"type":' || to_json(p_type)::text || '}', 'UTF8'))
    $$`.execute(db);

  await sql`drop function aidtrail_append_batch(text[], bigint[], int[], jsonb)`.execute(db);
  await sql`
    create function aidtrail_append_batch(p_stream_ids text[], p_expected bigint[], p_counts int[], p_types text[], p_data text, p_metadata text, p_leaves boolean)
    returns table (append_index int, ok boolean, current_revision bigint, positions bigint[])
    language plpgsql as $$
    declare
      i int;
      offs int := 0;
      n int;
      cur bigint;
      exp bigint;
      sid text;
      pos bigint[];
      -- Milliseconds, as readers and the leaf see it; one instant per call, as now() was.
      v_at timestamptz := date_trunc('milliseconds', now());
      v_seq regclass := pg_get_serial_sequence('events', 'position')::regclass;
      -- JSON texts never hold a raw control character: U+001E separates them, nothing is escaped.
      v_data text[] := string_to_array(p_data, E'\\x1e');
      v_metadata text[] := string_to_array(p_metadata, E'\\x1e');
    begin
      -- Create and lock every touched stream in one fixed order so concurrent batches cannot deadlock.
      insert into streams (stream_id, revision)
        select distinct s, -1 from unnest(p_stream_ids) s order by 1
        on conflict do nothing;
      perform 1 from streams where stream_id = any (p_stream_ids) order by stream_id for update;

      -- The common case, every append to another stream: checked and written set-based, in a
      -- few statements whatever the batch size. Two appends to one stream take the loop below.
      if (select count(distinct u) from unnest(p_stream_ids) u) = coalesce(array_length(p_stream_ids, 1), 0) then
        return query
        with req as (
          select u.i::int as i, u.sid, u.exp, u.cnt, (sum(u.cnt) over (order by u.i) - u.cnt)::int as offs
          from unnest(p_stream_ids, p_expected, p_counts) with ordinality as u(sid, exp, cnt, i)
        ),
        checked as (
          select l.*,
                 (l.exp >= 0 and l.cur <> l.exp) or (l.exp = -1 and l.cur <> -1) or (l.exp = -3 and l.cur = -1) as conflict
          -- A scalar subquery is always an index lookup; "offset 0" keeps it from being inlined
          -- into (and run again for) every expression that uses cur.
          from (select r.*, (select s.revision from streams s where s.stream_id = r.sid) as cur from req r offset 0) l
        ),
        new_rows as (
          select c.sid, c.cur + g.k as revision, p_types[c.offs + g.k] as type, v_data[c.offs + g.k] as d,
                 v_metadata[c.offs + g.k] as m, row_number() over (order by c.i, g.k) as k
          from checked c
          cross join lateral generate_series(1, c.cnt) as g(k)
          where not c.conflict
        ),
        numbered as (
          select p.position, row_number() over (order by p.position) as k from (select nextval(v_seq) as position from new_rows) p
        ),
        inserted as (
          insert into events (position, stream_id, revision, type, data, metadata, recorded_at, leaf)
          overriding system value
          select nb.position, r.sid, r.revision, r.type, r.d::jsonb, r.m::jsonb, v_at,
                 case when p_leaves then aidtrail_event_leaf(r.d, r.m, nb.position, v_at, r.revision, r.sid, r.type) end
          from new_rows r join numbered nb on nb.k = r.k
          order by r.k
          returning events.stream_id, events.revision, events.position
        ),
        bumped as (
          update streams s set revision = c.cur + c.cnt from checked c where s.stream_id = c.sid and not c.conflict
        )
        select c.i - 1, not c.conflict, case when c.conflict then c.cur else c.cur + c.cnt end, p.positions
        from checked c
        left join (
          select n.stream_id, array_agg(n.position order by n.revision) as positions from inserted n group by n.stream_id
        ) p on p.stream_id = c.sid and not c.conflict
        order by c.i;
        return;
      end if;

      for i in 1 .. coalesce(array_length(p_stream_ids, 1), 0) loop
        sid := p_stream_ids[i];
        n := p_counts[i];
        exp := p_expected[i];
        select s.revision into cur from streams s where s.stream_id = sid;
        append_index := i - 1;
        if (exp >= 0 and cur <> exp) or (exp = -1 and cur <> -1) or (exp = -3 and cur = -1) then
          ok := false;
          current_revision := cur;
          positions := null;
        else
          with new_rows as (
            select cur + g.k as revision, p_types[offs + g.k] as type, v_data[offs + g.k] as d, v_metadata[offs + g.k] as m, g.k
            from generate_series(1, n) as g(k)
          ),
          numbered as (
            select p.position, row_number() over (order by p.position) as k from (select nextval(v_seq) as position from new_rows) p
          ),
          inserted as (
            insert into events (position, stream_id, revision, type, data, metadata, recorded_at, leaf)
            overriding system value
            select nb.position, sid, r.revision, r.type, r.d::jsonb, r.m::jsonb, v_at,
                   case when p_leaves then aidtrail_event_leaf(r.d, r.m, nb.position, v_at, r.revision, sid, r.type) end
            from new_rows r join numbered nb on nb.k = r.k
            order by r.k
            returning events.position, events.revision
          )
          select array_agg(inserted.position order by inserted.revision) into pos from inserted;
          update streams s set revision = cur + n where s.stream_id = sid;
          ok := true;
          current_revision := cur + n;
          positions := pos;
        end if;
        offs := offs + n;
        return next;
      end loop;
      -- No pg_notify here: NOTIFY takes a global lock from commit until the commit is
      -- durable, which would serialise concurrent batches. Writers notify after commit.
    end $$`.execute(db);

  await sql`drop function aidtrail_append_atomic(text[], bigint[], int[], jsonb)`.execute(db);
  await sql`
    create function aidtrail_append_atomic(p_stream_ids text[], p_expected bigint[], p_counts int[], p_types text[], p_data text, p_metadata text, p_leaves boolean)
    returns table (append_index int, ok boolean, current_revision bigint, positions bigint[])
    language plpgsql
    -- Planned for each call's arrays: a generic plan cached while the streams table was small
    -- kept scanning all of it once it had grown (a pooled session went 1.6 -> 116 ms per call).
    set plan_cache_mode = force_custom_plan
    as $$
    declare
      v_at timestamptz := date_trunc('milliseconds', now());
      v_seq regclass := pg_get_serial_sequence('events', 'position')::regclass;
      -- JSON texts never hold a raw control character: U+001E separates them, nothing is escaped.
      v_data text[] := string_to_array(p_data, E'\\x1e');
      v_metadata text[] := string_to_array(p_metadata, E'\\x1e');
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
      new_rows as (
        select c.sid, c.cur + g.k as revision, p_types[c.offs + g.k] as type, v_data[c.offs + g.k] as d,
               v_metadata[c.offs + g.k] as m, row_number() over (order by c.i, g.k) as k
        from checked c
        cross join lateral generate_series(1, c.cnt) as g(k)
        where not exists (select 1 from first_conflict)
      ),
      numbered as (
        select p.position, row_number() over (order by p.position) as k from (select nextval(v_seq) as position from new_rows) p
      ),
      inserted as (
        insert into events (position, stream_id, revision, type, data, metadata, recorded_at, leaf)
        overriding system value
        select nb.position, r.sid, r.revision, r.type, r.d::jsonb, r.m::jsonb, v_at,
               case when p_leaves then aidtrail_event_leaf(r.d, r.m, nb.position, v_at, r.revision, r.sid, r.type) end
        from new_rows r join numbered nb on nb.k = r.k
        order by r.k
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
  await sql`drop function if exists aidtrail_append_atomic(text[], bigint[], int[], text[], text, text, boolean)`.execute(db);
  await sql`drop function if exists aidtrail_append_batch(text[], bigint[], int[], text[], text, text, boolean)`.execute(db);
  await sql`drop function if exists aidtrail_event_leaf`.execute(db);
  await sql`alter table events drop column if exists leaf`.execute(db);
  await appendBatchIndexLookups.up(db);
  await appendAtomic.up(db);
  await appendAtomicRevisionChecks.up(db);
}

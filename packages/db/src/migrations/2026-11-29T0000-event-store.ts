import { type Kysely, sql } from "kysely";

// Frozen in time: this migration imports no application code.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table streams (
      stream_id text primary key,
      -- revision of the last event; -1 while the stream has no events yet
      revision bigint not null
    )`.execute(db);

  await sql`
    create table events (
      position bigint generated always as identity primary key,
      transaction_id xid8 not null default pg_current_xact_id(),
      stream_id text not null,
      revision bigint not null,
      type text not null,
      data jsonb not null,
      metadata jsonb not null,
      recorded_at timestamptz not null default now(),
      constraint events_stream_revision unique (stream_id, revision)
    )`.execute(db);

  // Readers walk the log in (transaction_id, position) order.
  await sql`create index events_global_order on events (transaction_id, position)`.execute(db);

  // Events are facts: the ordinary path can never change or remove one.
  await sql`
    create function aidtrail_events_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'events are immutable (% refused)', tg_op using errcode = '42501';
    end $$`.execute(db);
  await sql`
    create trigger events_no_update before update or delete on events
    for each row execute function aidtrail_events_immutable()`.execute(db);
  await sql`
    create trigger events_no_truncate before truncate on events
    for each statement execute function aidtrail_events_immutable()`.execute(db);

  // One round trip appends a whole batch of independent appends (group commit).
  // p_expected: >= 0 exact revision, -1 no stream, -2 any, -3 stream exists.
  // p_events: a JSON array of {t, d, m}, p_counts(i) of them belonging to append i.
  await sql`
    create function aidtrail_append_batch(p_stream_ids text[], p_expected bigint[], p_counts int[], p_events jsonb)
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
          select r.*, s.revision as cur,
                 (r.exp >= 0 and s.revision <> r.exp) or (r.exp = -1 and s.revision <> -1) or (r.exp = -3 and s.revision = -1) as conflict
          from req r join streams s on s.stream_id = r.sid
        ),
        inserted as (
          insert into events (stream_id, revision, type, data, metadata)
          select c.sid, c.cur + g.k, x.e ->> 't', x.e -> 'd', x.e -> 'm'
          from checked c
          cross join lateral generate_series(1, c.cnt) as g(k)
          cross join lateral (select p_events -> (c.offs + g.k - 1) as e) as x
          where not c.conflict
          order by c.i, g.k
          returning events.stream_id, events.revision, events.position
        ),
        bumped as (
          update streams s set revision = c.cur + c.cnt from checked c where s.stream_id = c.sid and not c.conflict
        )
        select c.i - 1, not c.conflict, case when c.conflict then c.cur else c.cur + c.cnt end,
               case when c.conflict then null
                    else (select array_agg(n.position order by n.revision) from inserted n where n.stream_id = c.sid) end
        from checked c order by c.i;
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
          with inserted as (
            insert into events (stream_id, revision, type, data, metadata)
            select sid, cur + g.k, x.e ->> 't', x.e -> 'd', x.e -> 'm'
            from generate_series(1, n) as g(k), lateral (select p_events -> (offs + g.k - 1) as e) as x
            order by g.k
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
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists aidtrail_append_batch`.execute(db);
  await sql`drop table if exists events`.execute(db);
  await sql`drop function if exists aidtrail_events_immutable`.execute(db);
  await sql`drop table if exists streams`.execute(db);
}

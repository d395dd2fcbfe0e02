/**
 * aidtrail_append_batch($1 stream ids, $2 expected, $3 counts) with the events as one JSON array
 * of {t, d, m} in $4, as tests write them; no leaves. The function takes the types as text[] and
 * the data and metadata texts joined by U+001E.
 */
export const APPEND_BATCH_CALL = `
  select b.* from (
    select array_agg(e ->> 't' order by i) as t, string_agg((e -> 'd')::text, E'\\x1e' order by i) as d,
           string_agg((e -> 'm')::text, E'\\x1e' order by i) as m
    from json_array_elements($4::json) with ordinality as x(e, i)
  ) x, aidtrail_append_batch($1, $2, $3, x.t, x.d, x.m, false) b`;

import { sql, type Kysely } from 'kysely';

/**
 * The track search's candidates and their rank as one function (docs/performance.md, "Search"):
 * `earshot_search_tracks(q)` returns the id and score of each candidate track — at most 100 from
 * each source: word similarity on the folded title (one typo per word), full text on the weighted
 * vector, the tracks of the 20 closest-named artists — scored title > artist > tags > description.
 * Who may see a candidate is left to the caller (the visibility rule lives in one place).
 *
 * Why a function: a search was four statements (begin, the settings, the query, commit), and the
 * query's planning cost as much as its execution. PL/pgSQL keeps the statement's plan for the
 * connection; `plan_cache_mode = force_generic_plan` keeps that plan for every query text (the
 * same index scans whatever is typed: the sources are bounded, so no plan depends on the words),
 * and the settings the search needs are the function's own, in force while it runs only: the
 * word-similarity threshold (0.5 lets one typo in a six-letter word through) and no sequential
 * scans (the planner prices pg_trgm's operators far below their cost and would compare every
 * artist's name instead of using the trigram index).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function earshot_search_tracks(q text) returns table (track_id bigint, score real)
    language plpgsql stable rows 300
    set pg_trgm.word_similarity_threshold = 0.5
    set enable_seqscan = off
    set plan_cache_mode = force_generic_plan
    as $$
    declare
      f text := earshot_fold(q);
      tq tsquery := plainto_tsquery('simple', f);
    begin
      return query
      with title_hits as (
        select t.id from tracks t where f <% t.search_title limit 100
      ), text_hits as (
        select t.id from tracks t where t.search_vector @@ tq limit 100
      ), artists as (
        select u.id from users u where f <% u.search_name
        order by word_similarity(f, u.search_name) desc limit 20
      ), artist_hits as (
        select t.id from tracks t where t.owner_user_id in (select a.id from artists a) limit 100
      ), candidates as (
        select h.id from title_hits h union select h.id from text_hits h union select h.id from artist_hits h
      )
      select t.id,
        (4 * greatest(similarity(t.search_title, f), word_similarity(f, t.search_title))
          + 2 * word_similarity(f, u.search_name)
          + ts_rank('{0.1, 0.2, 0.4, 1.0}', t.search_vector, tq))::real
      from candidates c
      join tracks t on t.id = c.id
      join users u on u.id = t.owner_user_id;
    end
    $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function if exists earshot_search_tracks(text)`.execute(db);
}

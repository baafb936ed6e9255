import { sql, type Kysely } from 'kysely';

/**
 * The feed written ahead (docs/architecture.md, "Community": feed; docs/performance.md,
 * "Community reads"): one row per follower and event of a followed account — an upload, a
 * release, a repost — so a page of the feed is one index walk of the reader's rows instead of a
 * probe of every followed account. Only the events are kept here: what a reader may see (listed,
 * taken down, disabled owner, an album's tracks coming as the album) is decided when the page is
 * read, so a change of visibility needs no write here.
 *
 * Triggers keep it, in the transaction of the change, whatever writes it: a track or release made
 * (to the owner's followers), a track's or release's date changed, a repost made or undone, a follow (the
 * followee's events are copied in) or an unfollow (they go); a deleted track, release or account
 * takes its rows with it (foreign keys).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table feed_items (
    user_id bigint not null references users(id) on delete cascade,
    actor_id bigint not null references users(id) on delete cascade,
    track_id bigint references tracks(id) on delete cascade,
    release_id bigint references releases(id) on delete cascade,
    repost boolean not null default false,
    at timestamptz not null,
    k bigint generated always as (coalesce(track_id, -release_id)) stored,
    check ((track_id is null) <> (release_id is null)),
    check (not repost or track_id is not null)
  )`.execute(db);
  await sql`create unique index feed_items_event on feed_items (user_id, k, actor_id, repost)`.execute(db);
  await sql`create index feed_items_page on feed_items (user_id, at desc, k desc)`.execute(db);
  await sql`create index feed_items_actor on feed_items (actor_id, user_id)`.execute(db);
  await sql`create index feed_items_track on feed_items (track_id) where track_id is not null`.execute(db);
  await sql`create index feed_items_release on feed_items (release_id) where release_id is not null`.execute(db);

  await sql`create function feed_items_on_track() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        insert into feed_items (user_id, actor_id, track_id, at)
          select f.follower_id, new.owner_user_id, new.id, new.created_at from follows f where f.followee_id = new.owner_user_id
          on conflict do nothing;
      else
        update feed_items set at = new.created_at where track_id = new.id and not repost;
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger feed_items_track after insert on tracks for each row execute function feed_items_on_track()`.execute(
    db,
  );
  await sql`create trigger feed_items_track_dated after update of created_at on tracks for each row
    when (old.created_at is distinct from new.created_at) execute function feed_items_on_track()`.execute(db);

  await sql`create function feed_items_on_release() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        insert into feed_items (user_id, actor_id, release_id, at)
          select f.follower_id, new.owner_user_id, new.id, greatest(new.created_at, new.release_date)
          from follows f where f.followee_id = new.owner_user_id
          on conflict do nothing;
      else
        update feed_items set at = greatest(new.created_at, new.release_date) where release_id = new.id;
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger feed_items_release_made after insert on releases for each row execute function feed_items_on_release()`.execute(
    db,
  );
  await sql`create trigger feed_items_release_dated after update of release_date, created_at on releases for each row
    when (old.release_date is distinct from new.release_date or old.created_at is distinct from new.created_at)
    execute function feed_items_on_release()`.execute(db);

  await sql`create function feed_items_on_repost() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        insert into feed_items (user_id, actor_id, track_id, repost, at)
          select f.follower_id, new.user_id, new.track_id, true, new.created_at from follows f where f.followee_id = new.user_id
          on conflict do nothing;
      else
        delete from feed_items where track_id = old.track_id and actor_id = old.user_id and repost;
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger feed_items_repost after insert or delete on reposts for each row execute function feed_items_on_repost()`.execute(
    db,
  );

  await sql`create function feed_items_on_follow() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        insert into feed_items (user_id, actor_id, track_id, at)
          select new.follower_id, t.owner_user_id, t.id, t.created_at from tracks t where t.owner_user_id = new.followee_id
          on conflict do nothing;
        insert into feed_items (user_id, actor_id, release_id, at)
          select new.follower_id, r.owner_user_id, r.id, greatest(r.created_at, r.release_date) from releases r where r.owner_user_id = new.followee_id
          on conflict do nothing;
        insert into feed_items (user_id, actor_id, track_id, repost, at)
          select new.follower_id, r.user_id, r.track_id, true, r.created_at from reposts r where r.user_id = new.followee_id
          on conflict do nothing;
      else
        delete from feed_items where user_id = old.follower_id and actor_id = old.followee_id;
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger feed_items_follow after insert or delete on follows for each row execute function feed_items_on_follow()`.execute(
    db,
  );

  // What the follows already make.
  await sql`insert into feed_items (user_id, actor_id, track_id, at)
    select f.follower_id, t.owner_user_id, t.id, t.created_at from follows f join tracks t on t.owner_user_id = f.followee_id
    on conflict do nothing`.execute(db);
  await sql`insert into feed_items (user_id, actor_id, release_id, at)
    select f.follower_id, r.owner_user_id, r.id, greatest(r.created_at, r.release_date) from follows f join releases r on r.owner_user_id = f.followee_id
    on conflict do nothing`.execute(db);
  await sql`insert into feed_items (user_id, actor_id, track_id, repost, at)
    select f.follower_id, r.user_id, r.track_id, true, r.created_at from follows f join reposts r on r.user_id = f.followee_id
    on conflict do nothing`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger feed_items_follow on follows`.execute(db);
  await sql`drop trigger feed_items_repost on reposts`.execute(db);
  await sql`drop trigger feed_items_release_dated on releases`.execute(db);
  await sql`drop trigger feed_items_release_made on releases`.execute(db);
  await sql`drop trigger feed_items_track_dated on tracks`.execute(db);
  await sql`drop trigger feed_items_track on tracks`.execute(db);
  await sql`drop function feed_items_on_follow, feed_items_on_repost, feed_items_on_release, feed_items_on_track`.execute(
    db,
  );
  await sql`drop table feed_items`.execute(db);
}

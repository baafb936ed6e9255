import { sql, type Kysely } from 'kysely';

/**
 * The schema the catalogue, community, commerce and moderation features share (docs/architecture.md,
 * "Domain"): each feature owns the rules over its tables and adds its own later migrations; this one
 * only lays down what several of them read.
 *
 * - tracks: genre, tags, downloadable, price (minor units + ISO currency, pay-what-you-want),
 *   comments closed, takedown, and the exact counts shown on every card.
 * - users: follower counts.
 * - releases (+ their ordered tracks), playlists (+ their ordered tracks).
 * - likes, reposts, follows, comments (one level of replies, soft delete, takedown).
 * - orders and download events (sales and downloads; history survives the deletion of what was sold
 *   and of the accounts involved, without personal data).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const priceColumns = sql`
    price_amount_minor integer check (price_amount_minor between 0 and 100000000),
    price_currency text check (price_currency ~ '^[A-Z]{3}$'),
    price_pwyw boolean not null default false`;
  const priceCheck = (table: string) =>
    sql.raw(
      `alter table ${table} add constraint ${table}_price_complete check ((price_amount_minor is null) = (price_currency is null))`,
    );

  await sql`alter table tracks
    add column genre text check (char_length(genre) between 1 and 50),
    add column tags text[] not null default '{}' check (cardinality(tags) <= 20),
    add column downloadable boolean not null default false,
    add column price_amount_minor integer check (price_amount_minor between 0 and 100000000),
    add column price_currency text check (price_currency ~ '^[A-Z]{3}$'),
    add column price_pwyw boolean not null default false,
    add column comments_closed boolean not null default false,
    add column taken_down_at timestamptz,
    add column takedown_reason text,
    add column like_count integer not null default 0 check (like_count >= 0),
    add column repost_count integer not null default 0 check (repost_count >= 0),
    add column comment_count integer not null default 0 check (comment_count >= 0),
    add column play_count integer not null default 0 check (play_count >= 0)`.execute(db);
  await sql`${priceCheck('tracks')}`.execute(db);
  await sql`update tracks set play_count = (select count(*) from plays where plays.track_id = tracks.id)`.execute(db);
  await sql`create index tracks_genre_idx on tracks (lower(genre)) where genre is not null`.execute(db);
  await sql`create index tracks_tags_idx on tracks using gin (tags)`.execute(db);

  await sql`alter table users
    add column follower_count integer not null default 0 check (follower_count >= 0),
    add column following_count integer not null default 0 check (following_count >= 0)`.execute(db);

  await sql`create table releases (
    id bigint generated always as identity primary key,
    owner_user_id bigint not null references users(id) on delete cascade,
    title text not null check (char_length(title) between 1 and 200),
    slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    type text not null check (type in ('album', 'ep', 'single')),
    description text not null default '',
    credits text not null default '',
    artwork_key text,
    release_date timestamptz,
    visibility text not null default 'public' check (visibility in ('public', 'unlisted', 'private')),
    ${priceColumns},
    taken_down_at timestamptz,
    takedown_reason text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (owner_user_id, slug)
  )`.execute(db);
  await sql`${priceCheck('releases')}`.execute(db);
  await sql`create table release_tracks (
    release_id bigint not null references releases(id) on delete cascade,
    position integer not null check (position >= 0),
    track_id bigint not null references tracks(id) on delete cascade,
    primary key (release_id, position),
    unique (release_id, track_id)
  )`.execute(db);
  await sql`create index release_tracks_track_idx on release_tracks (track_id)`.execute(db);

  await sql`create table playlists (
    id bigint generated always as identity primary key,
    owner_user_id bigint not null references users(id) on delete cascade,
    title text not null check (char_length(title) between 1 and 200),
    description text not null default '',
    visibility text not null default 'public' check (visibility in ('public', 'unlisted', 'private')),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index playlists_owner_idx on playlists (owner_user_id, id desc)`.execute(db);
  await sql`create table playlist_tracks (
    playlist_id bigint not null references playlists(id) on delete cascade,
    position integer not null check (position >= 0),
    track_id bigint not null references tracks(id) on delete cascade,
    added_at timestamptz not null default now(),
    primary key (playlist_id, position)
  )`.execute(db);
  await sql`create index playlist_tracks_track_idx on playlist_tracks (track_id)`.execute(db);

  for (const table of ['likes', 'reposts']) {
    await sql`create table ${sql.table(table)} (
      user_id bigint not null references users(id) on delete cascade,
      track_id bigint not null references tracks(id) on delete cascade,
      created_at timestamptz not null default now(),
      primary key (user_id, track_id)
    )`.execute(db);
    await sql`create index ${sql.raw(`${table}_track_created_idx`)} on ${sql.table(table)} (track_id, created_at desc)`.execute(
      db,
    );
    await sql`create index ${sql.raw(`${table}_user_created_idx`)} on ${sql.table(table)} (user_id, created_at desc)`.execute(
      db,
    );
  }

  await sql`create table follows (
    follower_id bigint not null references users(id) on delete cascade,
    followee_id bigint not null references users(id) on delete cascade,
    created_at timestamptz not null default now(),
    primary key (follower_id, followee_id),
    check (follower_id <> followee_id)
  )`.execute(db);
  await sql`create index follows_followee_created_idx on follows (followee_id, created_at desc)`.execute(db);

  await sql`create table comments (
    id bigint generated always as identity primary key,
    track_id bigint not null references tracks(id) on delete cascade,
    -- null once the author's account is deleted ("deleted user"): threads survive
    user_id bigint references users(id) on delete set null,
    parent_id bigint references comments(id) on delete cascade,
    body text not null check (char_length(body) <= 2000),
    position_ms integer not null check (position_ms >= 0),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    deleted_at timestamptz,
    taken_down_at timestamptz,
    takedown_reason text
  )`.execute(db);
  await sql`create index comments_track_position_idx on comments (track_id, position_ms, id)`.execute(db);
  await sql`create index comments_track_id_idx on comments (track_id, id desc)`.execute(db);
  await sql`create index comments_parent_idx on comments (parent_id) where parent_id is not null`.execute(db);
  await sql`create index comments_user_idx on comments (user_id) where user_id is not null`.execute(db);

  await sql`create table orders (
    id bigint generated always as identity primary key,
    item_type text not null check (item_type in ('track', 'release')),
    track_id bigint references tracks(id) on delete set null,
    release_id bigint references releases(id) on delete set null,
    -- what was sold, as it was named then (receipts and history outlive the item)
    item_title text not null default '',
    seller_user_id bigint references users(id) on delete set null,
    buyer_user_id bigint references users(id) on delete set null,
    buyer_email text,
    amount_minor integer not null check (amount_minor between 0 and 100000000),
    currency text not null check (currency ~ '^[A-Z]{3}$'),
    platform_fee_minor integer not null default 0 check (platform_fee_minor >= 0),
    status text not null default 'pending' check (status in ('pending', 'paid', 'refunded')),
    stripe_checkout_session_id text unique,
    stripe_payment_intent_id text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    paid_at timestamptz,
    refunded_at timestamptz
  )`.execute(db);
  await sql`create index orders_buyer_idx on orders (buyer_user_id) where buyer_user_id is not null`.execute(db);
  await sql`create index orders_buyer_email_idx on orders (lower(buyer_email)) where buyer_email is not null`.execute(
    db,
  );
  await sql`create index orders_seller_paid_idx on orders (seller_user_id, paid_at) where status = 'paid'`.execute(db);
  await sql`create index orders_track_idx on orders (track_id) where track_id is not null`.execute(db);
  await sql`create index orders_release_idx on orders (release_id) where release_id is not null`.execute(db);

  await sql`create table download_events (
    id bigint generated always as identity primary key,
    track_id bigint references tracks(id) on delete set null,
    release_id bigint references releases(id) on delete set null,
    user_id bigint references users(id) on delete set null,
    order_id bigint references orders(id) on delete set null,
    format text not null,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index download_events_created_idx on download_events (created_at)`.execute(db);
  await sql`create index download_events_track_idx on download_events (track_id, created_at) where track_id is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'download_events',
    'orders',
    'comments',
    'follows',
    'reposts',
    'likes',
    'playlist_tracks',
    'playlists',
    'release_tracks',
    'releases',
  ]) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
  await sql`alter table users drop column follower_count, drop column following_count`.execute(db);
  await sql`drop index tracks_genre_idx`.execute(db);
  await sql`drop index tracks_tags_idx`.execute(db);
  await sql`alter table tracks drop constraint tracks_price_complete,
    drop column genre, drop column tags, drop column downloadable,
    drop column price_amount_minor, drop column price_currency, drop column price_pwyw,
    drop column comments_closed, drop column taken_down_at, drop column takedown_reason,
    drop column like_count, drop column repost_count, drop column comment_count, drop column play_count`.execute(db);
}

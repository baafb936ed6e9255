import { sql, type Kysely } from 'kysely';

/** PROVISIONAL: stands in for the shared schema migration until it lands; removed then. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table tracks add column comments_closed boolean not null default false, add column taken_down_at timestamptz,
    add column like_count integer not null default 0, add column repost_count integer not null default 0,
    add column comment_count integer not null default 0, add column play_count integer not null default 0`.execute(db);
  await sql`alter table users add column follower_count integer not null default 0, add column following_count integer not null default 0`.execute(db);
  await sql`create table likes (user_id bigint not null references users(id) on delete cascade, track_id bigint not null references tracks(id) on delete cascade, created_at timestamptz not null default now(), primary key (user_id, track_id))`.execute(db);
  await sql`create table reposts (user_id bigint not null references users(id) on delete cascade, track_id bigint not null references tracks(id) on delete cascade, created_at timestamptz not null default now(), primary key (user_id, track_id))`.execute(db);
  await sql`create table follows (follower_user_id bigint not null references users(id) on delete cascade, followee_user_id bigint not null references users(id) on delete cascade, created_at timestamptz not null default now(), primary key (follower_user_id, followee_user_id))`.execute(db);
  await sql`create table comments (id bigint generated always as identity primary key, track_id bigint not null references tracks(id) on delete cascade, author_user_id bigint not null references users(id) on delete cascade, parent_id bigint references comments(id) on delete cascade, body text not null, position_ms integer not null, created_at timestamptz not null default now(), deleted_at timestamptz, taken_down_at timestamptz)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table comments, follows, reposts, likes`.execute(db);
  await sql`alter table users drop column follower_count, drop column following_count`.execute(db);
  await sql`alter table tracks drop column comments_closed, drop column taken_down_at, drop column like_count, drop column repost_count, drop column comment_count, drop column play_count`.execute(db);
}

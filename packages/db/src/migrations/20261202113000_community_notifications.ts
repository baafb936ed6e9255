import { sql, type Kysely } from 'kysely';

/**
 * Notifications (docs/architecture.md, "Community"): one row per event for the user it is about —
 * a new follower, a comment on their track, a reply to them, a like, a repost — grouped when read
 * ("12 people liked …"). A like, repost or follow undone and redone does not notify twice (the
 * partial unique index). Email preferences per type live in `notification_settings`; a user without
 * a row gets the defaults.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) =>
      c.notNull().check(sql`type in ('follow', 'comment', 'reply', 'like', 'repost', 'sale')`),
    )
    .addColumn('actor_user_id', 'bigint', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('track_id', 'bigint', (c) => c.references('tracks.id').onDelete('cascade'))
    .addColumn('comment_id', 'bigint', (c) => c.references('comments.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('read_at', 'timestamptz')
    .execute();
  await sql`create index notifications_user_id_idx on notifications (user_id, id desc)`.execute(db);
  await sql`create index notifications_unread_idx on notifications (user_id) where read_at is null`.execute(db);
  await sql`create unique index notifications_once_idx on notifications (user_id, type, actor_user_id, coalesce(track_id, 0)) where type in ('follow', 'like', 'repost')`.execute(
    db,
  );
  await sql`create index notifications_actor_idx on notifications (actor_user_id)`.execute(db);
  await sql`create index notifications_track_idx on notifications (track_id) where track_id is not null`.execute(db);
  await sql`create index notifications_comment_idx on notifications (comment_id) where comment_id is not null`.execute(
    db,
  );

  await db.schema
    .createTable('notification_settings')
    .addColumn('user_id', 'bigint', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('email_follow', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('email_comment', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('email_reply', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('email_like', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('email_repost', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notification_settings').execute();
  await db.schema.dropTable('notifications').execute();
}

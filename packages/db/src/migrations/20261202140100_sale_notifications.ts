import { sql, type Kysely } from 'kysely';

/**
 * Sale notifications (docs/architecture.md, "Community"): the artist hears of a paid order in the
 * app, grouped per item and day like likes ("3 people bought …"). A release sale names its release
 * (`release_id`), a track sale its track. `email_sale` is the artist's choice for the sale mail
 * (on by default, as the mail was always sent).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table notifications add column release_id bigint references releases (id) on delete cascade`.execute(
    db,
  );
  await sql`create index notifications_release_idx on notifications (release_id) where release_id is not null`.execute(
    db,
  );
  await sql`alter table notification_settings add column email_sale boolean not null default true`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table notification_settings drop column email_sale`.execute(db);
  await sql`drop index notifications_release_idx`.execute(db);
  await sql`alter table notifications drop column release_id`.execute(db);
}

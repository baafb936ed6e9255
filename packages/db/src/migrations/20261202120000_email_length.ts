import { sql, type Kysely } from 'kysely';

/**
 * An email address is at most 254 characters (core's `EMAIL_MAX`, the limit RFC 5321 puts on a
 * path): the table's check now says the same as core and the API schemas, instead of 320.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users drop constraint users_email_check`.execute(db);
  await sql`alter table users add constraint users_email_check check (length(email) between 3 and 254)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users drop constraint users_email_check`.execute(db);
  await sql`alter table users add constraint users_email_check check (length(email) between 3 and 320)`.execute(db);
}

import { sql, type Kysely } from 'kysely';

/**
 * Partial refunds (docs/payments.md, "Refunds"): an order remembers how much of it was refunded.
 * Only a full refund ends the buyer's access (status `refunded`); a partial one keeps it `paid`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table orders
    add column refunded_minor integer not null default 0 check (refunded_minor between 0 and 100000000)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table orders drop column refunded_minor`.execute(db);
}

import { sql, type Kysely } from 'kysely';

/**
 * Commerce (docs/payments.md):
 * - `stripe_events`: every verified webhook event by id; `applied_at` is set in the same
 *   transaction as the event's effect, so an event is applied exactly once.
 * - Stripe Connect state on `users` (the artist's Express account and whether it can take charges
 *   and receive payouts, from `account.updated`).
 * - `orders`: when the receipt was mailed, and whether a free download's email opted in to the
 *   artist's list; orders found by payment intent (refunds).
 * - `download_files`: each download format of each version, made once by the `download-formats`
 *   queue and kept (stored in the `transcodes` bucket under `version-<id>/downloads/`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table stripe_events (
    id text primary key check (char_length(id) between 1 and 255),
    type text not null,
    payload jsonb not null,
    received_at timestamptz not null default now(),
    applied_at timestamptz
  )`.execute(db);
  await sql`alter table users
    add column stripe_account_id text unique,
    add column stripe_charges_enabled boolean not null default false,
    add column stripe_payouts_enabled boolean not null default false,
    add column stripe_details_submitted boolean not null default false`.execute(db);
  await sql`alter table orders
    add column receipt_sent_at timestamptz,
    add column email_opt_in boolean not null default false`.execute(db);
  await sql`create index orders_payment_intent_idx on orders (stripe_payment_intent_id) where stripe_payment_intent_id is not null`.execute(
    db,
  );
  await sql`create table download_files (
    version_id bigint not null references track_versions(id) on delete cascade,
    format text not null check (format in ('flac', 'wav', 'mp3-320', 'mp3-v0', 'aac-256', 'opus-160')),
    status text not null default 'pending' check (status in ('pending', 'ready', 'failed')),
    object_key text,
    size_bytes bigint,
    error text,
    requested_at timestamptz not null default now(),
    ready_at timestamptz,
    primary key (version_id, format),
    check ((status = 'ready') = (object_key is not null))
  )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table download_files`.execute(db);
  await sql`drop index orders_payment_intent_idx`.execute(db);
  await sql`alter table orders drop column receipt_sent_at, drop column email_opt_in`.execute(db);
  await sql`alter table users drop column stripe_account_id, drop column stripe_charges_enabled, drop column stripe_payouts_enabled, drop column stripe_details_submitted`.execute(
    db,
  );
  await sql`drop table stripe_events`.execute(db);
}

import { formatAmount } from '@earshot/payments';
import type { Actor } from '../actor.ts';
import type { CoreDeps } from '../deps.ts';
import { validationFailed } from '../errors.ts';

/** One buyer who agreed to share their email with the artist, for one order. */
export interface OptedInBuyer {
  orderId: string;
  /** The buyer's display name when they have an account; null for a guest. */
  name: string | null;
  email: string;
  item: { type: 'track' | 'release'; id: string | null; title: string };
  amountMinor: number;
  currency: string;
  at: Date;
}

export interface OptedInBuyersPage {
  buyers: OptedInBuyer[];
  nextCursor: string | null;
}

const CURSOR = /^[1-9][0-9]{0,18}$/;

/**
 * The artist's mailing list (docs/payments.md, "Buyers who share their email"): the orders of the
 * caller's own tracks and releases whose buyer ticked "share my email with the artist", newest
 * first, keyset on the order id. A buyer who did not opt in never appears; pending orders (not
 * paid) neither. The email is the one given at checkout, else the buyer's account email.
 */
export async function listOptedInBuyers(
  deps: Pick<CoreDeps, 'db'>,
  actor: Actor,
  page: { limit: number; cursor?: string },
): Promise<OptedInBuyersPage> {
  if (page.cursor !== undefined && !CURSOR.test(page.cursor)) throw validationFailed('Invalid cursor');
  const rows = await optedInQuery(deps, actor, page.cursor)
    .limit(page.limit + 1)
    .execute();
  const more = rows.length > page.limit;
  const buyers = rows.slice(0, page.limit).map(toBuyer);
  return { buyers, nextCursor: more ? buyers[buyers.length - 1]!.orderId : null };
}

/** Every opted-in buyer of the caller, in batches (the CSV export streams them). */
export async function* eachOptedInBuyer(
  deps: Pick<CoreDeps, 'db'>,
  actor: Actor,
  batch = 1000,
): AsyncGenerator<OptedInBuyer> {
  let cursor: string | undefined;
  for (;;) {
    const rows = await optedInQuery(deps, actor, cursor).limit(batch).execute();
    for (const r of rows) yield toBuyer(r);
    if (rows.length < batch) return;
    cursor = rows[rows.length - 1]!.id;
  }
}

function optedInQuery(deps: Pick<CoreDeps, 'db'>, actor: Actor, cursor: string | undefined) {
  let q = deps.db
    .selectFrom('orders as o')
    .leftJoin('users as b', 'b.id', 'o.buyer_user_id')
    .select((eb) => [
      'o.id',
      'o.item_type',
      'o.track_id',
      'o.release_id',
      'o.item_title',
      'o.amount_minor',
      'o.currency',
      'o.created_at',
      'o.paid_at',
      'b.display_name',
      eb.fn.coalesce('o.buyer_email', 'b.email').as('email'),
    ])
    .where('o.seller_user_id', '=', actor.id)
    .where('o.email_opt_in', '=', true)
    .where('o.status', '<>', 'pending')
    .where((eb) => eb.or([eb('o.buyer_email', 'is not', null), eb('b.email', 'is not', null)]))
    .orderBy('o.id', 'desc');
  if (cursor) q = q.where('o.id', '<', cursor);
  return q;
}

type Row = Awaited<ReturnType<ReturnType<typeof optedInQuery>['execute']>>[number];

const toBuyer = (r: Row): OptedInBuyer => ({
  orderId: r.id,
  name: r.display_name ?? null,
  email: r.email!,
  item: { type: r.item_type, id: r.item_type === 'track' ? r.track_id : r.release_id, title: r.item_title },
  amountMinor: r.amount_minor,
  currency: r.currency,
  at: r.paid_at ?? r.created_at,
});

/**
 * One CSV field (RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled). A
 * field a spreadsheet would run as a formula (`= + - @`, tab, carriage return first) gets a leading
 * `'` so a buyer's name cannot execute in the artist's spreadsheet.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const BUYERS_CSV_HEADER = 'name,email,item type,item,amount,currency,date\r\n';

/** One CSV line of the export; the amount in major units (`5.00`, JPY `500`). */
export function buyerCsvLine(b: OptedInBuyer): string {
  return `${[
    b.name ?? '',
    b.email,
    b.item.type,
    b.item.title,
    formatAmount(b.amountMinor, b.currency).split(' ')[0]!,
    b.currency,
    b.at.toISOString(),
  ]
    .map(csvField)
    .join(',')}\r\n`;
}

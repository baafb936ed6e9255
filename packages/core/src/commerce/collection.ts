import type { Actor } from '../actor.ts';
import type { CoreDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { itemFormats } from './downloads.ts';
import { loadItem, type ItemType } from './items.ts';

export interface OrderView {
  id: string;
  item: { type: ItemType; id: string | null; title: string };
  amountMinor: number;
  currency: string;
  status: 'pending' | 'paid' | 'refunded';
  createdAt: Date;
  paidAt: Date | null;
  refundedAt: Date | null;
  /** Minor units refunded so far (a partial refund keeps the order paid). */
  refundedMinor: number;
}

export interface CollectionItem {
  type: ItemType;
  id: string;
  title: string;
  artist: string;
  /** Formats the download buttons offer. */
  formats: string[];
  /** `purchase` (a paid order) or `free` (downloaded for free). */
  source: 'purchase' | 'free';
  acquiredAt: Date;
}

export interface Collection {
  items: CollectionItem[];
  /** Every order, newest first: the purchase history with its receipts. */
  orders: OrderView[];
}

const MAX_ITEMS = 500;

type OrderRow = {
  id: string;
  item_type: ItemType;
  track_id: string | null;
  release_id: string | null;
  item_title: string;
  amount_minor: number;
  currency: string;
  status: 'pending' | 'paid' | 'refunded';
  created_at: Date;
  paid_at: Date | null;
  refunded_at: Date | null;
  refunded_minor: number;
};

/** What `toOrderView` reads of an order. */
const ORDER_COLUMNS = [
  'id',
  'item_type',
  'track_id',
  'release_id',
  'item_title',
  'amount_minor',
  'currency',
  'status',
  'created_at',
  'paid_at',
  'refunded_at',
  'refunded_minor',
] as const;

const toOrderView = (o: OrderRow): OrderView => ({
  id: o.id,
  item: { type: o.item_type, id: o.item_type === 'track' ? o.track_id : o.release_id, title: o.item_title },
  amountMinor: o.amount_minor,
  currency: o.currency,
  status: o.status,
  createdAt: o.created_at,
  paidAt: o.paid_at,
  refundedAt: o.refunded_at,
  refundedMinor: o.refunded_minor,
});

/**
 * `GET /me/collection`: what the account bought (its orders, and guest orders made with its
 * verified email) or downloaded for free, with the formats each offers, and the order history.
 * Items the caller may no longer see are left out of `items` (their orders stay in the history).
 */
export async function getCollection(deps: Pick<CoreDeps, 'db' | 'clock'>, actor: Actor): Promise<Collection> {
  const user = await deps.db
    .selectFrom('users')
    .select(['email', 'email_verified_at'])
    .where('id', '=', actor.id)
    .executeTakeFirst();
  const orders = (await deps.db
    .selectFrom('orders')
    .select(ORDER_COLUMNS)
    .where('status', 'in', ['paid', 'refunded'])
    .where((eb) =>
      eb.or([
        eb('buyer_user_id', '=', actor.id),
        ...(user?.email_verified_at
          ? [
              eb.and([
                eb('buyer_user_id', 'is', null),
                eb(eb.fn('lower', ['buyer_email']), '=', user.email.toLowerCase()),
              ]),
            ]
          : []),
      ]),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(MAX_ITEMS)
    .execute()) as OrderRow[];
  const free = await deps.db
    .selectFrom('download_events')
    .select(['track_id', 'release_id'])
    .select((eb) => eb.fn.min('created_at').as('first_at'))
    .where('user_id', '=', actor.id)
    .where('order_id', 'is', null)
    .groupBy(['track_id', 'release_id'])
    .limit(MAX_ITEMS)
    .execute();

  const wanted = new Map<string, { type: ItemType; id: string; source: 'purchase' | 'free'; at: Date }>();
  for (const o of orders) {
    const id = o.item_type === 'track' ? o.track_id : o.release_id;
    if (o.status === 'paid' && id && !wanted.has(`${o.item_type}-${id}`))
      wanted.set(`${o.item_type}-${id}`, { type: o.item_type, id, source: 'purchase', at: o.paid_at ?? o.created_at });
  }
  for (const f of free) {
    const type: ItemType = f.release_id ? 'release' : 'track';
    const id = f.release_id ?? f.track_id;
    if (id && !wanted.has(`${type}-${id}`))
      wanted.set(`${type}-${id}`, { type, id, source: 'free', at: new Date(f.first_at as unknown as string) });
  }
  const items: CollectionItem[] = [];
  const now = deps.clock();
  for (const w of wanted.values()) {
    try {
      const item = await loadItem(deps.db, actor, w.type, w.id, now);
      items.push({
        type: w.type,
        id: w.id,
        title: item.title,
        artist: item.ownerName,
        formats: itemFormats(item),
        source: w.source,
        acquiredAt: w.at,
      });
    } catch {
      // Gone, or no longer visible to the caller: its order stays in the history.
    }
  }
  items.sort((a, b) => b.acquiredAt.getTime() - a.acquiredAt.getTime());
  return { items, orders: orders.map(toOrderView) };
}

export interface CheckoutSessionView {
  status: 'pending' | 'paid' | 'refunded';
  order: OrderView;
  formats: string[];
}

/**
 * The thank-you page's poll: the order of a Checkout Session (its id is the capability Stripe put
 * in the return URL), pending until the webhook lands, then paid with its formats.
 */
export async function getCheckoutSessionView(
  deps: Pick<CoreDeps, 'db' | 'clock'>,
  sessionId: string,
): Promise<CheckoutSessionView> {
  if (!/^cs_[A-Za-z0-9_]{1,250}$/.test(sessionId)) throw notFound('Order');
  const o = (await deps.db
    .selectFrom('orders')
    .select(ORDER_COLUMNS)
    .where('stripe_checkout_session_id', '=', sessionId)
    .executeTakeFirst()) as OrderRow | undefined;
  if (!o) throw notFound('Order');
  const id = o.item_type === 'track' ? o.track_id : o.release_id;
  let formats: string[] = [];
  if (id && o.status === 'paid') {
    try {
      formats = itemFormats(await loadItem(deps.db, { id: '0', role: 'admin' }, o.item_type, id, deps.clock()));
    } catch {
      formats = [];
    }
  }
  return { status: o.status, order: toOrderView(o), formats };
}

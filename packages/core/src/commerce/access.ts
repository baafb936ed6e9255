import type { Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import { ownsOrAdmin, type Actor } from '../actor.ts';
import type { SellableItem } from './items.ts';
import { isFree } from './pricing.ts';

export type DownloadGrant = { kind: 'owner' } | { kind: 'free' } | { kind: 'order'; orderId: string };

/**
 * Who may download an item (docs/architecture.md, "Commerce"): its owner (and admins); anyone
 * when it is free; a buyer with a paid order of it — the track itself, or a release holding the
 * track. A buyer is the signed-in account of the order, or an account whose verified email is the
 * guest order's email, or whoever holds the order's Checkout Session id (the thank-you page and the
 * receipt link). A refunded order grants nothing.
 */
export async function downloadGrant(
  db: Kysely<Database>,
  actor: Actor | null,
  item: SellableItem,
  sessionId?: string,
): Promise<DownloadGrant | null> {
  if (ownsOrAdmin(actor, item.ownerUserId)) return { kind: 'owner' };
  if (isFree(item.price, item.downloadable)) return { kind: 'free' };
  if (!actor && !sessionId) return null;
  const email = actor
    ? await db.selectFrom('users').select(['email', 'email_verified_at']).where('id', '=', actor.id).executeTakeFirst()
    : undefined;
  const order = await db
    .selectFrom('orders as o')
    .select('o.id')
    .where('o.status', '=', 'paid')
    .where((eb) => {
      const buyer = [];
      if (actor) buyer.push(eb('o.buyer_user_id', '=', actor.id));
      if (email?.email_verified_at)
        buyer.push(
          eb.and([
            eb('o.buyer_user_id', 'is', null),
            eb(eb.fn('lower', ['o.buyer_email']), '=', email.email.toLowerCase()),
          ]),
        );
      if (sessionId) buyer.push(eb('o.stripe_checkout_session_id', '=', sessionId));
      return eb.or(buyer);
    })
    .where((eb) =>
      item.type === 'release'
        ? eb('o.release_id', '=', item.id)
        : eb.or([
            eb('o.track_id', '=', item.id),
            eb(
              'o.release_id',
              'in',
              eb.selectFrom('release_tracks').select('release_id').where('track_id', '=', item.id),
            ),
          ]),
    )
    .orderBy('o.id')
    .limit(1)
    .executeTakeFirst();
  return order ? { kind: 'order', orderId: order.id } : null;
}

import type { Transaction } from 'kysely';
import type { Database } from '@earshot/db';

export const NOTIFICATION_TYPES = ['follow', 'comment', 'reply', 'like', 'repost', 'sale'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export interface NewNotification {
  userId: string;
  /** Who did it; null for a sale to a buyer without an account. */
  actorId: string | null;
  type: NotificationType;
  trackId?: string;
  commentId?: string;
  /** A sale of a release. */
  releaseId?: string;
}

/** A notification written in a transaction, for delivery once it commits (live, email). */
export interface WrittenNotification extends NewNotification {
  id: string;
}

/**
 * Writes one notification in the caller's transaction (the event and its notification commit
 * together). Nobody is notified of their own actions; a follow, like or repost undone and redone
 * notifies once (a partial unique index). Returns what to deliver, or null.
 */
export async function notify(trx: Transaction<Database>, n: NewNotification): Promise<WrittenNotification | null> {
  if (n.userId === n.actorId) return null;
  const row = await trx
    .insertInto('notifications')
    .values({
      user_id: n.userId,
      actor_user_id: n.actorId,
      type: n.type,
      track_id: n.trackId ?? null,
      comment_id: n.commentId ?? null,
      release_id: n.releaseId ?? null,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row ? { ...n, id: row.id } : null;
}

/**
 * The sale notification of one paid order, written in the transaction that marks it paid (the
 * payment webhook's job, commerce/webhook.ts): to the seller, from the buyer (none when buying
 * without an account), about the track or release sold. Delivery (live) follows the commit.
 */
export async function notifySale(trx: Transaction<Database>, orderId: string): Promise<WrittenNotification | null> {
  const o = await trx
    .selectFrom('orders')
    .select(['seller_user_id', 'buyer_user_id', 'track_id', 'release_id'])
    .where('id', '=', orderId)
    .executeTakeFirst();
  if (!o?.seller_user_id) return null;
  return notify(trx, {
    userId: o.seller_user_id,
    actorId: o.buyer_user_id,
    type: 'sale',
    ...(o.track_id ? { trackId: o.track_id } : {}),
    ...(o.release_id ? { releaseId: o.release_id } : {}),
  });
}

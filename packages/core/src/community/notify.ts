import type { Transaction } from 'kysely';
import type { Database } from '@earshot/db';

export const NOTIFICATION_TYPES = ['follow', 'comment', 'reply', 'like', 'repost'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export interface NewNotification {
  userId: string;
  actorId: string;
  type: NotificationType;
  trackId?: string;
  commentId?: string;
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
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row ? { ...n, id: row.id } : null;
}

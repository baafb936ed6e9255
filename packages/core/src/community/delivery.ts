import type { Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import type { Mailer } from '@earshot/mail';
import type { ProgressBus } from '../media/progress-bus.ts';
import type { NotificationDelivery } from './deps.ts';
import { getEmailPreferences, unreadCount, unsubscribeToken } from './notifications.ts';
import type { NotificationType, WrittenNotification } from './notify.ts';

/** Notification emails of one kind about one thing go out at most once per this window ("never a storm"). */
export const EMAIL_WINDOW_MS = 60 * 60_000;
/** An email waits this long, gathering the events of its window ("3 people liked …"). */
export const EMAIL_DELAY_MS = 5 * 60_000;

export interface EmailJob {
  userId: string;
  type: NotificationType;
  trackId?: string;
}

/** The job port the delivery needs: the `email` queue of the registry. */
export interface EmailQueue {
  add(queue: 'email', data: EmailJob, options: { jobId: string; delayMs: number }): Promise<unknown>;
}

/**
 * Live and email delivery of committed notifications: the user's sockets get the new unread count
 * over the live bus (Redis pub/sub in production, so every API process relays it); an email job is
 * queued when the user wants that kind by email — one job id per (user, kind, track, hour), so a
 * burst of likes makes one email.
 */
export function createNotificationDelivery(deps: {
  db: Kysely<Database>;
  live: Pick<ProgressBus, 'publish'>;
  jobs?: EmailQueue;
  clock?: () => Date;
}): NotificationDelivery {
  const now = deps.clock ?? (() => new Date());
  return {
    async deliver(list: WrittenNotification[]) {
      for (const n of list) {
        deps.live.publish({
          type: 'notification',
          userId: n.userId,
          unreadCount: await unreadCount(deps, n.userId),
          kind: n.type,
          ...(n.trackId ? { trackId: n.trackId } : {}),
          ...(n.commentId ? { commentId: n.commentId } : {}),
        });
        // The sale mail goes from the payment job itself (commerce/webhook.ts), with the order in it.
        if (!deps.jobs || n.type === 'sale') continue;
        const prefs = await getEmailPreferences(deps, n.userId);
        if (!prefs[n.type]) continue;
        const bucket = Math.floor(now().getTime() / EMAIL_WINDOW_MS);
        const jobId = `email-${n.userId}-${n.type}-${n.trackId ?? 0}-${n.type === 'comment' || n.type === 'reply' ? n.id : bucket}`;
        await deps.jobs.add(
          'email',
          { userId: n.userId, type: n.type, ...(n.trackId ? { trackId: n.trackId } : {}) },
          { jobId, delayMs: EMAIL_DELAY_MS },
        );
      }
    },
  };
}

const PHRASES: Record<NotificationType, (who: string, title: string) => string> = {
  follow: (who) => `${who} followed you`,
  comment: (who, title) => `${who} commented on ${title}`,
  reply: (who, title) => `${who} replied to your comment on ${title}`,
  like: (who, title) => `${who} liked ${title}`,
  repost: (who, title) => `${who} reposted ${title}`,
  sale: (who, title) => `${who} bought ${title}`,
};

/**
 * The `email` job: one plain-text email summing up the unread notifications of its kind (and
 * track) from the last window, with a one-click unsubscribe link for that kind. Nothing is sent
 * when the user turned the kind off meanwhile, has read them already, or has no address.
 */
export async function sendNotificationEmail(
  deps: { db: Kysely<Database>; mailer: Mailer; publicUrl: string; unsubscribeSecret: string; clock?: () => Date },
  job: EmailJob,
): Promise<{ sent: boolean }> {
  const prefs = await getEmailPreferences(deps, job.userId);
  if (!prefs[job.type]) return { sent: false };
  const user = await deps.db
    .selectFrom('users')
    .select(['email', 'disabled_at'])
    .where('id', '=', job.userId)
    .executeTakeFirst();
  if (!user || user.disabled_at || !user.email) return { sent: false };
  const since = new Date((deps.clock?.() ?? new Date()).getTime() - EMAIL_WINDOW_MS - EMAIL_DELAY_MS);
  let q = deps.db
    .selectFrom('notifications as n')
    .innerJoin('users as a', 'a.id', 'n.actor_user_id')
    .select(['a.display_name', 'n.comment_id'])
    .where('n.user_id', '=', job.userId)
    .where('n.type', '=', job.type)
    .where('n.read_at', 'is', null)
    .where('n.created_at', '>=', since)
    .orderBy('n.id', 'desc');
  q = job.trackId ? q.where('n.track_id', '=', job.trackId) : q.where('n.track_id', 'is', null);
  const rows = await q.limit(50).execute();
  if (!rows.length) return { sent: false };
  const track = job.trackId
    ? await deps.db
        .selectFrom('tracks as t')
        .innerJoin('users as u', 'u.id', 't.owner_user_id')
        .select(['t.title', 't.slug', 'u.handle'])
        .where('t.id', '=', job.trackId)
        .executeTakeFirst()
    : undefined;
  const names = [...new Set(rows.map((r) => r.display_name))];
  const who =
    names.length === 1
      ? names[0]!
      : names.length === 2
        ? `${names[0]} and ${names[1]}`
        : `${names[0]} and ${names.length - 1} others`;
  const title = track ? `"${track.title}"` : '';
  const subject = PHRASES[job.type](who, title);
  const link = track ? `${deps.publicUrl}/${track.handle}/${track.slug}` : `${deps.publicUrl}/notifications`;
  let body = '';
  if ((job.type === 'comment' || job.type === 'reply') && rows[0]?.comment_id) {
    const c = await deps.db
      .selectFrom('comments')
      .select(['body', 'deleted_at'])
      .where('id', '=', rows[0].comment_id)
      .executeTakeFirst();
    if (c && !c.deleted_at) body = `\n\n"${c.body}"`;
  }
  const unsubscribe = `${deps.publicUrl}/unsubscribe?token=${encodeURIComponent(unsubscribeToken(deps.unsubscribeSecret, job.userId, job.type))}`;
  await deps.mailer.send({
    to: user.email,
    subject,
    text: `${subject}.${body}\n\n${link}\n\nStop these emails (${job.type}) with one click: ${unsubscribe}\n`,
  });
  return { sent: true };
}

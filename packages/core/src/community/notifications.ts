import { createHmac, timingSafeEqual } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import { badRequest, notFound } from '../errors.ts';
import { decodeCursor, encodeCursor, type Page } from './cursor.ts';
import type { CommunityDeps } from './deps.ts';
import { NOTIFICATION_TYPES, type NotificationType } from './notify.ts';

export interface NotificationGroup {
  /** Id of the newest notification of the group (the cursor key). */
  id: string;
  type: NotificationType;
  /** How many different people did it ("12 people liked …"). */
  count: number;
  /** The newest of them, at most 3. */
  actors: Array<{ handle: string; displayName: string; avatarKey: string | null }>;
  track: { id: string; title: string; slug: string; artistHandle: string } | null;
  comment: { id: string; body: string | null; positionMs: number } | null;
  /** The release a sale was of. */
  release: { id: string; title: string; slug: string; artistHandle: string } | null;
  at: string;
  unread: boolean;
}

/**
 * A user's notifications, newest first, grouped: likes, reposts, follows and sales of the same
 * thing make one entry per day ("12 people liked …", "3 people bought …"; each buyer without an
 * account counts as one); comments and replies stay one each (they carry their text). Keyset on
 * the newest id of each group.
 */
export async function listNotifications(
  deps: Pick<CommunityDeps, 'db'>,
  userId: string,
  options: { limit: number; cursor?: string },
): Promise<Page<NotificationGroup> & { unreadCount: number }> {
  const having = options.cursor ? sql`having max(n.id) < ${decodeCursor(options.cursor, ['int'])[0]}::bigint` : sql``;
  const { rows } = await sql<{
    id: string;
    type: NotificationType;
    count: number;
    actor_ids: string[];
    track_id: string | null;
    release_id: string | null;
    comment_id: string | null;
    at: Date;
    unread: boolean;
  }>`
    select max(n.id) as id, n.type, count(distinct coalesce(n.actor_user_id, -n.id))::int as count,
      ((array_agg(n.actor_user_id order by n.id desc) filter (where n.actor_user_id is not null))[1:3]) as actor_ids,
      n.track_id, n.release_id, max(n.comment_id) as comment_id, max(n.created_at) as at, bool_or(n.read_at is null) as unread
    from notifications n
    where n.user_id = ${userId}
    group by n.type, n.track_id, n.release_id, case when n.type in ('comment', 'reply') then n.id else 0 end,
      case when n.type in ('comment', 'reply') then null else (n.created_at at time zone 'UTC')::date end
    ${having}
    order by max(n.id) desc
    limit ${options.limit + 1}`.execute(deps.db);
  const page = rows.slice(0, options.limit);
  const actorIds = distinctIds(page.flatMap((r) => r.actor_ids ?? []));
  const releaseIds = distinctIds(page.map((r) => r.release_id));
  const trackIds = distinctIds(page.map((r) => r.track_id));
  const commentIds = distinctIds(page.map((r) => r.comment_id));
  const [actors, tracks, comments, releases, unread] = await Promise.all([
    loadIfAny(actorIds, (ids) =>
      deps.db
        .selectFrom('users')
        .select(['id', 'handle', 'display_name', 'avatar_key'])
        .where('id', 'in', ids)
        .execute(),
    ),
    loadIfAny(trackIds, (ids) => titlesWithArtist(deps.db, 'tracks', ids)),
    loadIfAny(commentIds, (ids) =>
      deps.db
        .selectFrom('comments')
        .select(['id', 'body', 'position_ms', 'deleted_at', 'taken_down_at'])
        .where('id', 'in', ids)
        .execute(),
    ),
    loadIfAny(releaseIds, (ids) => titlesWithArtist(deps.db, 'releases', ids)),
    unreadCount(deps, userId),
  ]);
  const actorById = new Map(
    actors.map((a) => [a.id, { handle: a.handle, displayName: a.display_name, avatarKey: a.avatar_key }]),
  );
  const trackById = new Map(
    tracks.map((t) => [t.id, { id: t.id, title: t.title, slug: t.slug, artistHandle: t.handle }]),
  );
  const releaseById = new Map(
    releases.map((r) => [r.id, { id: r.id, title: r.title, slug: r.slug, artistHandle: r.handle }]),
  );
  const commentById = new Map(
    comments.map((c) => [
      c.id,
      { id: c.id, body: c.deleted_at || c.taken_down_at ? null : c.body, positionMs: c.position_ms },
    ]),
  );
  const items = page.map<NotificationGroup>((r) => ({
    id: String(r.id),
    type: r.type,
    count: r.count,
    actors: (r.actor_ids ?? []).map(String).flatMap((id) => (actorById.has(id) ? [actorById.get(id)!] : [])),
    track: r.track_id ? (trackById.get(String(r.track_id)) ?? null) : null,
    comment: r.comment_id ? (commentById.get(String(r.comment_id)) ?? null) : null,
    release: r.release_id ? (releaseById.get(String(r.release_id)) ?? null) : null,
    at: new Date(r.at).toISOString(),
    unread: r.unread,
  }));
  const last = page[page.length - 1];
  return {
    items,
    nextCursor: rows.length > options.limit && last ? encodeCursor([String(last.id)]) : null,
    unreadCount: unread,
  };
}

export async function unreadCount(deps: Pick<CommunityDeps, 'db'>, userId: string): Promise<number> {
  const row = await deps.db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks the user's notifications read: all of them, or those up to (and including) `upToId`. */
export async function markNotificationsRead(
  deps: Pick<CommunityDeps, 'db'>,
  userId: string,
  upToId?: string,
): Promise<{ unreadCount: number }> {
  let q = deps.db
    .updateTable('notifications')
    .set({ read_at: sql`now()` })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null);
  if (upToId !== undefined) q = q.where('id', '<=', upToId);
  await q.execute();
  return { unreadCount: await unreadCount(deps, userId) };
}

export type EmailPreferences = Record<NotificationType, boolean>;
export const DEFAULT_EMAIL_PREFERENCES: EmailPreferences = {
  follow: true,
  comment: true,
  reply: true,
  like: false,
  repost: false,
  sale: true,
};

export async function getEmailPreferences(deps: Pick<CommunityDeps, 'db'>, userId: string): Promise<EmailPreferences> {
  const row = await deps.db
    .selectFrom('notification_settings')
    .selectAll()
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row) return { ...DEFAULT_EMAIL_PREFERENCES };
  return {
    follow: row.email_follow,
    comment: row.email_comment,
    reply: row.email_reply,
    like: row.email_like,
    repost: row.email_repost,
    sale: row.email_sale,
  };
}

export async function setEmailPreferences(
  deps: Pick<CommunityDeps, 'db'>,
  userId: string,
  changes: Partial<EmailPreferences>,
): Promise<EmailPreferences> {
  const next = { ...(await getEmailPreferences(deps, userId)), ...changes };
  const values = {
    email_follow: next.follow,
    email_comment: next.comment,
    email_reply: next.reply,
    email_like: next.like,
    email_repost: next.repost,
    email_sale: next.sale,
  };
  await deps.db
    .insertInto('notification_settings')
    .values({ user_id: userId, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ ...values, updated_at: sql`now()` }))
    .execute();
  return next;
}

/**
 * One-click unsubscribe links (no sign-in): `<userId>.<type>.<hmac>`, HMAC-SHA256 of
 * "unsubscribe:<userId>:<type>" with the server's secret, base64url. They do not expire: a link in
 * an old email keeps working, and only ever turns one kind of email off.
 */
export function unsubscribeToken(secret: string, userId: string, type: NotificationType): string {
  return `${userId}.${type}.${mac(secret, userId, type)}`;
}

const mac = (secret: string, userId: string, type: string) =>
  createHmac('sha256', secret).update(`unsubscribe:${userId}:${type}`).digest('base64url');

export async function unsubscribe(
  deps: Pick<CommunityDeps, 'db'>,
  secret: string,
  token: string,
): Promise<{ type: NotificationType }> {
  const m = /^([1-9]\d{0,17})\.([a-z]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
  const invalid = () => badRequest('This unsubscribe link is not valid');
  if (!m) throw invalid();
  const [, userId, type, given] = m as unknown as [string, string, string, string];
  if (!(NOTIFICATION_TYPES as readonly string[]).includes(type)) throw invalid();
  const expected = Buffer.from(mac(secret, userId, type));
  if (expected.length !== given.length || !timingSafeEqual(expected, Buffer.from(given))) throw invalid();
  const user = await deps.db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
  if (!user) throw notFound('User');
  await setEmailPreferences(deps, userId, { [type]: false });
  return { type: type as NotificationType };
}

/** The distinct ids among `values` (nulls left out), as strings. */
function distinctIds(values: readonly (string | number | bigint | null | undefined)[]): string[] {
  return [...new Set(values.flatMap((v) => (v == null ? [] : [String(v)])))];
}

/** Runs `load` only when there is something to load. */
function loadIfAny<T>(ids: string[], load: (ids: string[]) => Promise<T[]>): Promise<T[]> {
  return ids.length ? load(ids) : Promise.resolve([]);
}

/** The title, slug and artist's handle of the tracks or releases a page of notifications names. */
function titlesWithArtist(
  db: Kysely<Database>,
  table: 'tracks' | 'releases',
  ids: string[],
): Promise<{ id: string; title: string; slug: string; handle: string }[]> {
  // Typed as `tracks`: `releases` has the same four columns (id, title, slug, owner_user_id), and
  // Kysely cannot type one query over either table.
  return db
    .selectFrom(`${table} as x` as 'tracks as x')
    .innerJoin('users as u', 'u.id', 'x.owner_user_id')
    .select(['x.id', 'x.title', 'x.slug', 'u.handle'])
    .where('x.id', 'in', ids)
    .execute();
}

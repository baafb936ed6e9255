import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '@earshot/db';
import { AppError, forbidden, notFound, validationFailed } from '../errors.ts';
import { getListenableTrack } from '../tracks/get-track.ts';
import { commentVisibleTo } from '../visibility.ts';
import { ownsOrAdmin } from '../actor.ts';
import { decodeCursor, encodeCursor, type Page } from './cursor.ts';
import type { CommunityActor, CommunityDeps } from './deps.ts';
import { notify } from './notify.ts';
import { checkCommentPosition, checkCommentsOpen, commentBody, replyPosition } from './comment-rules.ts';
import { deliver } from './deps.ts';

export { COMMENT_BODY_MAX, commentsClosed, replyTooDeep } from './comment-rules.ts';

export type CommentOrder = 'position' | 'newest';

export interface CommentView {
  id: string;
  trackId: string;
  parentId: string | null;
  /** null once the author's account is deleted. */
  author: { id: string; handle: string; displayName: string; avatarKey: string | null } | null;
  /** null once deleted or taken down: the comment keeps its place so its replies stay readable. */
  body: string | null;
  deleted: boolean;
  /** A moderator's takedown and its reason: shown to the comment's author and to admins only. */
  takedown?: { reason: string };
  positionMs: number;
  createdAt: string;
  /** Top-level comments carry their replies (one level only), oldest first. */
  replies?: CommentView[];
}

export interface NewComment {
  trackId: string;
  body: string;
  positionMs?: number;
  parentId?: string;
}

/**
 * Posts a comment at a moment of the track (or a reply to a top-level comment, pinned to its
 * moment). The track must be one the caller may play (else 404, like the track page); comments
 * closed → 403; position outside 0..duration → 400. The row and the track's comment count change
 * in one transaction; the owner (or the replied-to author) is notified in it too.
 */
export async function postComment(
  deps: CommunityDeps,
  actor: NonNullable<CommunityActor>,
  input: NewComment,
): Promise<CommentView> {
  const body = commentBody(input.body);
  const track = await getListenableTrack(deps, actor ?? null, input.trackId);
  const durationMs = track.listened.durationMs ?? track.durationMs ?? 0;
  checkCommentPosition(input.positionMs, durationMs);
  const created = await deps.db.transaction().execute(async (trx) => {
    // The track row is locked for the count; a closure that commits first is seen here.
    const row = await trx
      .selectFrom('tracks')
      .select(['id', 'owner_user_id', 'comments_closed'])
      .where('id', '=', track.id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound('Track');
    checkCommentsOpen(row, actor.id);
    let positionMs = input.positionMs;
    let parentAuthor: string | null = null;
    if (input.parentId !== undefined) {
      const parent = await trx
        .selectFrom('comments')
        .select(['id', 'parent_id', 'position_ms', 'user_id', 'deleted_at', 'taken_down_at'])
        .where('id', '=', input.parentId)
        .where('track_id', '=', track.id)
        .executeTakeFirst();
      positionMs = replyPosition(parent);
      parentAuthor = parent?.user_id ?? null;
    }
    if (positionMs === undefined) throw validationFailed('positionMs is required', { field: 'positionMs' });
    const inserted = await trx
      .insertInto('comments')
      .values({
        track_id: track.id,
        user_id: actor.id,
        parent_id: input.parentId ?? null,
        body,
        position_ms: positionMs,
      })
      .returning(['id', 'created_at'])
      .executeTakeFirstOrThrow();
    await trx.updateTable('tracks').set({ comment_count: sql`comment_count + 1` }).where('id', '=', track.id).execute();
    const written = [
      await notify(trx, {
        userId: row.owner_user_id,
        actorId: actor.id,
        type: 'comment',
        trackId: track.id,
        commentId: inserted.id,
      }),
    ];
    if (parentAuthor && parentAuthor !== row.owner_user_id)
      written.push(
        await notify(trx, {
          userId: parentAuthor,
          actorId: actor.id,
          type: 'reply',
          trackId: track.id,
          commentId: inserted.id,
        }),
      );
    return { id: inserted.id, written };
  });
  deliver(deps, created.written);
  deps.live?.publish({ type: 'comment.created', trackId: track.id, commentId: created.id });
  const [view] = await readComments(deps.db, track.id, { ids: [created.id], actor });
  if (!view) throw notFound('Comment');
  return view;
}

/**
 * Comments of a track the caller may see (404 otherwise), top-level ones keyset-paginated by
 * position (then id) or newest first, each with all its replies.
 */
export async function listComments(
  deps: Pick<CommunityDeps, 'db'>,
  actor: CommunityActor,
  trackId: string,
  options: { order: CommentOrder; limit: number; cursor?: string },
): Promise<Page<CommentView>> {
  const track = await getListenableTrack(deps, actor ?? null, trackId);
  let q = deps.db
    .selectFrom('comments as c')
    .select(['c.id', 'c.position_ms'])
    .where('c.track_id', '=', track.id)
    .where('c.parent_id', 'is', null)
    .where((eb) => commentVisibleTo(eb, actor, 'c'));
  if (options.order === 'position') {
    if (options.cursor) {
      const [pos, id] = decodeCursor(options.cursor, ['int', 'int']);
      q = q.where((eb) =>
        eb.or([
          eb('c.position_ms', '>', Number(pos)),
          eb.and([eb('c.position_ms', '=', Number(pos)), eb('c.id', '>', id!)]),
        ]),
      );
    }
    q = q.orderBy('c.position_ms', 'asc').orderBy('c.id', 'asc');
  } else {
    if (options.cursor) q = q.where('c.id', '<', decodeCursor(options.cursor, ['int'])[0]!);
    q = q.orderBy('c.id', 'desc');
  }
  const rows = await q.limit(options.limit + 1).execute();
  const page = rows.slice(0, options.limit);
  const ids = page.map((r) => r.id);
  const views = ids.length ? await readComments(deps.db, track.id, { ids, withReplies: true, actor }) : [];
  const byId = new Map(views.map((v) => [v.id, v]));
  const items = ids.map((id) => byId.get(id)!).filter(Boolean);
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > options.limit && last
      ? options.order === 'position'
        ? encodeCursor([last.position_ms, last.id])
        : encodeCursor([last.id])
      : null;
  return { items, nextCursor };
}

async function readComments(
  db: Kysely<Database> | Transaction<Database>,
  trackId: string,
  options: { ids: string[]; withReplies?: boolean; actor: CommunityActor },
): Promise<CommentView[]> {
  const rows = await db
    .selectFrom('comments as c')
    .leftJoin('users as u', 'u.id', 'c.user_id')
    .select([
      'c.id',
      'c.track_id',
      'c.parent_id',
      'c.body',
      'c.position_ms',
      'c.created_at',
      'c.deleted_at',
      'c.taken_down_at',
      'c.takedown_reason',
      'u.handle',
      'u.display_name',
      'u.avatar_key',
      'u.id as author_id',
    ])
    .where('c.track_id', '=', trackId)
    .where((eb) => commentVisibleTo(eb, options.actor, 'c'))
    .where((eb) =>
      options.withReplies
        ? eb.or([eb('c.id', 'in', options.ids), eb('c.parent_id', 'in', options.ids)])
        : eb('c.id', 'in', options.ids),
    )
    .orderBy('c.id', 'asc')
    .execute();
  const views = new Map<string, CommentView>();
  for (const r of rows) {
    const gone = r.deleted_at !== null || r.taken_down_at !== null;
    const view: CommentView = {
      id: r.id,
      trackId: r.track_id,
      parentId: r.parent_id,
      author:
        r.author_id && r.handle && r.display_name
          ? { id: r.author_id, handle: r.handle, displayName: r.display_name, avatarKey: r.avatar_key }
          : null,
      body: gone ? null : r.body,
      deleted: gone,
      ...(r.taken_down_at !== null &&
      r.deleted_at === null &&
      options.actor &&
      (options.actor.role === 'admin' || options.actor.id === r.author_id)
        ? { takedown: { reason: r.takedown_reason ?? '' } }
        : {}),
      positionMs: r.position_ms,
      createdAt: r.created_at.toISOString(),
      ...(options.withReplies && r.parent_id === null ? { replies: [] } : {}),
    };
    views.set(r.id, view);
  }
  for (const v of views.values()) if (v.parentId && options.withReplies) views.get(v.parentId)?.replies?.push(v);
  return [...views.values()].filter((v) => !options.withReplies || v.parentId === null);
}

/**
 * Soft delete by the author, the track's owner or an admin: the body goes, the row (and its
 * replies) stay; the track's comment count drops once. Deleting a deleted comment changes nothing.
 * Others get 403 (404 when they may not even see the track).
 */
export async function deleteComment(
  deps: Pick<CommunityDeps, 'db' | 'live'>,
  actor: NonNullable<CommunityActor>,
  commentId: string,
): Promise<void> {
  const deleted = await deps.db.transaction().execute(async (trx) => {
    const c = await trx
      .selectFrom('comments as c')
      .innerJoin('tracks as t', 't.id', 'c.track_id')
      .select(['c.id', 'c.track_id', 'c.user_id', 'c.deleted_at', 'c.taken_down_at', 't.owner_user_id'])
      .where('c.id', '=', commentId)
      .executeTakeFirst();
    if (!c) throw notFound('Comment');
    const may = ownsOrAdmin(actor, c.owner_user_id) || (c.user_id !== null && actor.id === c.user_id);
    if (!may) {
      await getListenableTrack({ db: trx as unknown as Kysely<Database> }, actor ?? null, c.track_id);
      throw forbidden('Only the author, the track owner or an admin may delete this comment');
    }
    if (c.deleted_at) return null;
    // Lock the track row first (same order as postComment), then flip the comment once.
    await trx.selectFrom('tracks').select('id').where('id', '=', c.track_id).forUpdate().execute();
    const flipped = await trx
      .updateTable('comments')
      .set({ deleted_at: sql`now()`, body: '' })
      .where('id', '=', c.id)
      .where('deleted_at', 'is', null)
      .returning('taken_down_at')
      .executeTakeFirst();
    if (flipped && !flipped.taken_down_at)
      await trx
        .updateTable('tracks')
        .set({ comment_count: sql`greatest(comment_count - 1, 0)` })
        .where('id', '=', c.track_id)
        .execute();
    return flipped ? { trackId: c.track_id, commentId: c.id } : null;
  });
  if (deleted) deps.live?.publish({ type: 'comment.deleted', ...deleted });
}

/** The owner (or an admin) opens or closes comments on a track; answers the new state. */
export async function setCommentsClosed(
  deps: Pick<CommunityDeps, 'db'>,
  trackId: string,
  closed: boolean,
): Promise<{ id: string; commentsClosed: boolean }> {
  const row = await deps.db
    .updateTable('tracks')
    .set({ comments_closed: closed })
    .where('id', '=', trackId)
    .returning(['id', 'comments_closed'])
    .executeTakeFirst();
  if (!row) throw notFound('Track');
  return { id: row.id, commentsClosed: row.comments_closed };
}

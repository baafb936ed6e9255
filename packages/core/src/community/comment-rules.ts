import { AppError, notFound, validationFailed } from '../errors.ts';
import { COMMENT_BODY_MAX } from '../field-limits.ts';
export { COMMENT_BODY_MAX } from '../field-limits.ts';

/**
 * The rules of a comment (docs/architecture.md, "Community"), apart from the queries that apply
 * them: its body, its moment in the track, who may post on a closed track, and what may be replied
 * to. The rate of comment writes is the `comment` zone (rate-limit/zones.ts).
 */

export const commentsClosed = () =>
  new AppError(403, 'comments_closed', 'The artist has closed comments on this track');
export const replyTooDeep = () =>
  validationFailed('Replies go one level deep: reply to the comment, not to a reply', {
    field: 'parentId',
    reason: 'reply_to_reply',
  });

/** The body as stored: trimmed, not empty, at most COMMENT_BODY_MAX characters (code points, not UTF-16 units). */
export function commentBody(raw: string): string {
  const body = raw.trim();
  if (body.length === 0) throw validationFailed('body must not be empty', { field: 'body' });
  if ([...body].length > COMMENT_BODY_MAX)
    throw validationFailed(`body is longer than ${COMMENT_BODY_MAX} characters`, { field: 'body' });
  return body;
}

/** A given position must be a whole number of milliseconds in 0..durationMs (both ends included). */
export function checkCommentPosition(positionMs: number | undefined, durationMs: number): void {
  if (positionMs !== undefined && (!Number.isInteger(positionMs) || positionMs < 0 || positionMs > durationMs)) {
    throw validationFailed(
      `positionMs must be a whole number of milliseconds between 0 and the track's duration (${durationMs})`,
      { field: 'positionMs' },
    );
  }
}

/** On a track whose comments are closed only its owner may still post. */
export function checkCommentsOpen(track: { comments_closed: boolean; owner_user_id: string }, actorId: string): void {
  if (track.comments_closed && actorId !== track.owner_user_id) throw commentsClosed();
}

export interface ReplyParent {
  parent_id: string | null;
  position_ms: number;
  deleted_at: Date | string | null;
  taken_down_at: Date | string | null;
}

/**
 * A reply is to a live top-level comment of the same track (one level only) and takes its moment:
 * the parent's position is returned. A missing, deleted or taken-down parent is 404.
 */
export function replyPosition(parent: ReplyParent | undefined): number {
  if (!parent || parent.deleted_at || parent.taken_down_at) throw notFound('Comment to reply to');
  if (parent.parent_id !== null) throw replyTooDeep();
  return parent.position_ms;
}

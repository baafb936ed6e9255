'use client';

/**
 * The comment box and the comment list of a track page. Writing while the track plays pins the
 * comment to the playhead (the time stays editable); replies go one level deep; the author, the
 * track's artist and admins may delete (the body goes, replies stay).
 */
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { describeApiError } from '@/lib/api';
import { routes } from '@/lib/routes';
import { CommentText } from './CommentText';
import { useTrackComments } from './comments-context';
import { ReportButton } from '../moderation/ReportButton';
import { authorName } from './CommentMarkers';
import { formatPosition, parsePosition } from './links';
import type { TrackComment } from './types';
import { useAccount } from '@/lib/hooks/use-account';
import './community.css';
import { COMMENT_BODY_MAX as COMMENT_MAX } from '@earshot/core/field-limits';

function CommentForm({
  label,
  getPositionMs,
  durationMs,
  parentId,
  onDone,
  fixedAt,
}: {
  label: string;
  getPositionMs: () => number;
  durationMs: number;
  parentId?: string;
  onDone?: () => void;
  fixedAt?: number;
}) {
  const ctx = useTrackComments()!;
  const [body, setBody] = useState('');
  const [at, setAt] = useState(formatPosition(fixedAt ?? 0));
  const [atEdited, setAtEdited] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const pin = () => {
    if (fixedAt === undefined && !atEdited) setAt(formatPosition(getPositionMs()));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const text = body.trim();
    if (!text) return setError('Write something first.');
    const positionMs = parentId ? undefined : parsePosition(at);
    if (!parentId && (positionMs === null || positionMs === undefined || positionMs > durationMs))
      return setError(`The time must be between 0:00 and ${formatPosition(durationMs)}.`);
    setBusy(true);
    try {
      await ctx.post({ body: text, ...(parentId ? { parentId } : { positionMs: positionMs! }) });
      setBody('');
      setAtEdited(false);
      onDone?.();
    } catch (err) {
      setError(describeApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const id = `comment-${parentId ?? 'new'}`;
  return (
    <form className="comment-form" onSubmit={submit} data-testid={parentId ? 'reply-form' : 'comment-form'}>
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <textarea
        id={id}
        className="comment-form__body"
        value={body}
        maxLength={COMMENT_MAX}
        rows={parentId ? 2 : 3}
        placeholder={parentId ? 'Write a reply' : 'Write a comment'}
        onFocus={pin}
        onChange={(e) => {
          pin();
          setBody(e.target.value);
        }}
        data-testid={parentId ? 'reply-body' : 'comment-body'}
      />
      <div className="comment-form__row">
        {!parentId && (
          <label className="comment-form__at">
            at{' '}
            <input
              value={at}
              inputMode="numeric"
              size={6}
              aria-label="Time in the track (minutes:seconds)"
              onChange={(e) => {
                setAtEdited(true);
                setAt(e.target.value);
              }}
              data-testid="comment-at"
            />
          </label>
        )}
        <span className="comment-form__count" aria-live="polite">
          {body.length > COMMENT_MAX - 200 ? `${COMMENT_MAX - body.length} left` : ''}
        </span>
        <button type="submit" className="button button--accent button--small" disabled={busy}>
          {parentId ? 'Reply' : 'Post'}
        </button>
      </div>
      {error && (
        <p className="comment-form__error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function CommentItem({
  c,
  canDelete,
  onSeek,
  replyTo,
  signedIn,
  canReport = false,
}: {
  c: TrackComment;
  canDelete: (c: TrackComment) => boolean;
  onSeek: (ms: number) => void;
  replyTo?: (c: TrackComment) => void;
  signedIn: boolean;
  /** Signed in and not its author: may report it to the moderators. */
  canReport?: boolean;
}) {
  const ctx = useTrackComments()!;
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="comment" data-testid="comment" data-comment-id={c.id}>
      <div className="comment__head">
        {c.author ? (
          <Link href={routes.artist(c.author.handle)} className="comment__author">
            {c.author.displayName}
          </Link>
        ) : (
          <span className="comment__author">{authorName(c)}</span>
        )}
        <button
          type="button"
          className="comment__at"
          onClick={() => onSeek(c.positionMs)}
          aria-label={`Play from ${formatPosition(c.positionMs)}`}
        >
          {formatPosition(c.positionMs)}
        </button>
      </div>
      {c.takedown ? (
        <p className="comment__body comment__body--deleted" data-testid="comment-takedown">
          A moderator took this comment down: {c.takedown.reason || 'no reason given'}. Others no longer see it.
        </p>
      ) : c.deleted || c.body === null ? (
        <p className="comment__body comment__body--deleted">This comment was removed.</p>
      ) : (
        <p className="comment__body" data-testid="comment-text">
          <CommentText body={c.body} />
        </p>
      )}
      <div className="comment__actions">
        {replyTo && signedIn && !c.deleted && (
          <button type="button" className="comment__action" onClick={() => replyTo(c)}>
            Reply
          </button>
        )}
        {canDelete(c) && !c.deleted && (
          <button
            type="button"
            className="comment__action"
            onClick={() => ctx.remove(c.id).catch((err: unknown) => setError(describeApiError(err)))}
          >
            Delete
          </button>
        )}
        {error && <span role="alert">{error}</span>}
      </div>
      {canReport && !c.deleted && (
        <ReportButton subjectType="comment" subjectId={c.id} what={`the comment by ${authorName(c)}`} />
      )}
    </div>
  );
}

export function TrackComments({
  trackOwnerId,
  durationMs,
  getPositionMs,
  onSeek,
  closed = false,
}: {
  trackOwnerId: string;
  /** The artist closed comments: only they may still post (docs/architecture.md, "Community"). */
  closed?: boolean;
  durationMs: number;
  getPositionMs: () => number;
  onSeek: (ms: number) => void;
}) {
  const ctx = useTrackComments();
  const user = useAccount();
  const [replying, setReplying] = useState<string | null>(null);
  if (!ctx) return null;
  const mayPost = !!user && (!closed || user.id === trackOwnerId);
  const canDelete = (c: TrackComment) =>
    !!user && (user.id === c.author?.id || user.id === trackOwnerId || user.role === 'admin');
  const count = ctx.comments.reduce(
    (n, c) => n + (c.deleted ? 0 : 1) + (c.replies?.filter((r) => !r.deleted).length ?? 0),
    0,
  );
  return (
    <section className="track-comments" aria-labelledby="comments-title">
      <h2 id="comments-title" className="track-comments__title">
        Comments <span className="track-comments__count">{count}</span>
      </h2>
      {closed && (
        <p className="track-comments__signin" data-testid="comments-closed">
          {user?.id === trackOwnerId
            ? 'You closed comments on this track: only you can still post.'
            : 'The artist has closed comments on this track.'}
        </p>
      )}
      {mayPost ? (
        <CommentForm label="Comment at the current time" getPositionMs={getPositionMs} durationMs={durationMs} />
      ) : user || closed ? null : (
        <p className="track-comments__signin">
          <Link href={routes.login}>Sign in</Link> to leave a comment on the moment.
        </p>
      )}
      <ol className="track-comments__list" data-testid="comment-list">
        {ctx.comments.map((c) => (
          <li key={c.id}>
            <CommentItem
              c={c}
              canDelete={canDelete}
              onSeek={onSeek}
              replyTo={mayPost ? (x) => setReplying(x.id) : undefined}
              signedIn={!!user}
              canReport={!!user && user.id !== c.author?.id}
            />
            {(c.replies?.length ?? 0) > 0 && (
              <ol className="track-comments__replies">
                {c.replies!.map((r) => (
                  <li key={r.id}>
                    <CommentItem
                      c={r}
                      canDelete={canDelete}
                      onSeek={onSeek}
                      signedIn={!!user}
                      canReport={!!user && user.id !== r.author?.id}
                    />
                  </li>
                ))}
              </ol>
            )}
            {replying === c.id && (
              <div className="track-comments__replies">
                <CommentForm
                  label={`Reply to ${authorName(c)}`}
                  getPositionMs={getPositionMs}
                  durationMs={durationMs}
                  parentId={c.id}
                  fixedAt={c.positionMs}
                  onDone={() => setReplying(null)}
                />
              </div>
            )}
          </li>
        ))}
      </ol>
      {ctx.loaded && ctx.comments.length === 0 && (
        <p className="track-comments__empty">No comments yet. Be the first to mark a moment.</p>
      )}
      {ctx.nextCursor && (
        <button type="button" className="button button--ghost button--small" onClick={() => void ctx.loadMore()}>
          More comments
        </button>
      )}
    </section>
  );
}

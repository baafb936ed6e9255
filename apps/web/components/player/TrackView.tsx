'use client';

/**
 * The track page's body. Rendered on the server with the track when the server could read it, and
 * able to fetch it in the browser when not (same route: `/api/v1/users/:handle/tracks/:slug`).
 */
import Link from 'next/link';
import { BuyBox } from '@/components/commerce/BuyBox';
import { AddToPlaylist } from '@/components/library/AddToPlaylist';
import { TrackEditor } from '@/components/library/TrackEditor';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, ok } from '@/lib/api/client';
import { ApiError } from '@/lib/api';
import { useResource } from '@/lib/hooks/use-resource';
import { toPlayerTrack, type TrackDetail } from '@/lib/player/track';
import { routes } from '@/lib/routes';
import { NotFoundPage } from '@/components/NotFoundPage';
import { formatAge, formatDuration, isoDuration } from '@/lib/tracks';
import { TrackArtwork } from './Artwork';
import { PlayTrackButton } from './PlayTrackButton';
import { TrackWaveform } from './TrackWaveform';
import { usePlayer } from './PlayerProvider';
import { CommentsProvider } from '@/components/community/comments-context';
import { TrackComments } from '@/components/community/TrackComments';
import { TrackSocial } from '@/components/community/TrackSocial';
import type { CommentPage } from '@/components/community/types';
import { useAccount } from '@/lib/hooks/use-account';
import { LoadFailed } from '@/components/LoadFailed';
import { LoadingSkeleton, SkeletonLines } from '@/components/Skeleton';
import './track-page.css';
import { ShareMenu } from '@/components/share/ShareMenu';
import { ReportButton } from '@/components/moderation/ReportButton';
import { useAccountStatus } from '@/lib/hooks/use-account';
import { parseStartTime } from '@/lib/share-time';

export function TrackView({
  handle,
  slug,
  initial,
  initialComments = null,
}: {
  handle: string;
  slug: string;
  initial: TrackDetail | null;
  initialComments?: CommentPage | null;
}) {
  const state = useResource(
    `track:${handle}/${slug}`,
    (signal) =>
      ok(api.GET('/api/v1/users/{handle}/tracks/{slug}', { params: { path: { handle, slug } }, signal })).then(
        (body) => body.track,
      ),
    { initial, notFound: true },
  );
  // While the upload is processed the track's media changes under the page (docs/performance.md,
  // "Playable in seconds"): read it again in place, without the loading state.
  // A track that is gone for this visitor (its encode failed before it was ready) reads again
  // through the loading state, to "not found".
  const updateRef = useRef(state.update);
  updateRef.current = state.update;
  const retryRef = useRef(state.retry);
  retryRef.current = state.retry;
  const refresh = useCallback(() => {
    ok(api.GET('/api/v1/users/{handle}/tracks/{slug}', { params: { path: { handle, slug } } })).then(
      (body) => updateRef.current(() => body.track),
      (err: unknown) => {
        if (err instanceof ApiError && err.status === 404) retryRef.current();
      },
    );
  }, [handle, slug]);

  if (state.status === 'loading') {
    return (
      <LoadingSkeleton className="track-page container" label="Loading the track…">
        <div className="track-hero" aria-hidden="true">
          <div className="track-hero__art track-skeleton__art" />
          <div className="track-hero__main">
            <SkeletonLines />
          </div>
        </div>
      </LoadingSkeleton>
    );
  }
  if (state.status === 'not-found') {
    return (
      <NotFoundPage
        titleId="track-missing-title"
        title="This track is out of earshot"
        text="It may have been removed, made private, or the link may be wrong."
      />
    );
  }
  if (state.status === 'error') {
    return (
      <div className="track-page container">
        <LoadFailed
          heading="h1"
          title="Couldn’t load this track"
          text={`${state.message} Please try again in a moment.`}
          retry={state.retry}
        />
      </div>
    );
  }
  return (
    <TrackDetails
      track={state.data}
      initialComments={initialComments}
      refresh={refresh}
      onEdited={(saved) => updateRef.current(() => saved)}
    />
  );
}

/** How often a page without a live socket (an anonymous visitor's) reads a processing track again. */
const PROCESSING_POLL_MS = 5_000;

function TrackDetails({
  track,
  initialComments,
  refresh,
  onEdited,
}: {
  track: TrackDetail;
  initialComments: CommentPage | null;
  refresh: () => void;
  /** The owner's edit, as the API kept it. */
  onEdited: (track: TrackDetail) => void;
}) {
  const playerTrack = useMemo(() => toPlayerTrack(track), [track]);
  const account = useAccountStatus();
  const engine = usePlayer();
  const durationMs = track.durationMs ?? 0;
  const positionMs = () => (engine.isCurrent(track.id) ? Math.round(engine.position * 1000) : 0);
  const seek = (ms: number) => engine.seekFraction(durationMs > 0 ? Math.min(1, ms / durationMs) : 0, playerTrack);
  const queue = useMemo(() => [playerTrack], [playerTrack]);
  const playable = !!track.currentVersionId;
  const processing = !playable && track.status !== 'failed';
  // A first upload can be played while it is still processed (its stream grows as it is encoded), by
  // whoever may see it; the page learns of it, of its waveform and of its gain live (signed in: the
  // socket, CommentsProvider; anonymous: a read every few seconds).
  const canPlay = playable || track.playableWhileProcessing;
  const user = useAccount();
  useEffect(() => {
    if (user || !processing) return;
    const timer = setInterval(refresh, PROCESSING_POLL_MS);
    return () => clearInterval(timer);
  }, [user, processing, refresh]);
  // The gain measured after play was pressed applies from then on.
  useEffect(() => engine.updateLoudness(playerTrack.id, playerTrack.loudness), [engine, playerTrack]);
  // A shared link's `?t=1m23s`: play starts there (read after hydration: the server has no query here).
  const [startAt, setStartAt] = useState<number | undefined>(undefined);
  useEffect(() => setStartAt(parseStartTime(new URLSearchParams(window.location.search).get('t')) ?? undefined), []);
  const own = account != null && account.id === track.artist.id;
  const [editing, setEditing] = useState(false);
  // The studio's "open and edit" link (`?edit`) opens the editor once the page knows its owner.
  useEffect(() => {
    if (own && new URLSearchParams(window.location.search).has('edit')) setEditing(true);
  }, [own]);
  const [edited, setEdited] = useState('');
  const router = useRouter();
  const saved = (next: TrackDetail) => {
    onEdited(next);
    // A new title gives a new address; the old one keeps working (it redirects).
    if (next.slug !== track.slug) router.replace(routes.track(next), { scroll: false });
  };
  return (
    <CommentsProvider trackId={track.id} initial={initialComments} onMedia={refresh}>
      <article className="track-page container" data-testid="track-page" data-track-id={track.id}>
        <div className="track-hero">
          <TrackArtwork track={track} className="track-hero__art" size={280} />
          <div className="track-hero__main">
            <div className="track-hero__head">
              {canPlay && (
                <PlayTrackButton
                  tracks={queue}
                  className="play-button play-button--large"
                  size={28}
                  startAt={startAt}
                />
              )}
              <div className="track-hero__titles">
                <h1 className="track-hero__title hero-title">{track.title}</h1>
                <p className="track-hero__artist">
                  <Link href={routes.artist(track.artist.handle)} className="quiet-link" data-testid="track-artist">
                    {track.artist.displayName}
                  </Link>
                </p>
                {(track.album || track.trackNumber != null || track.year != null) && (
                  <p className="track-hero__album" data-testid="track-album">
                    {track.album && (
                      <span>
                        {track.release ? (
                          <Link
                            href={routes.release(track.release.id)}
                            className="quiet-link quiet-link--underlined"
                            data-testid="track-album-link"
                          >
                            {track.album}
                          </Link>
                        ) : (
                          track.album
                        )}
                      </span>
                    )}
                    {track.trackNumber != null && <span>Track {track.trackNumber}</span>}
                    {track.year != null && <span>{track.year}</span>}
                  </p>
                )}
              </div>
            </div>

            {canPlay && <TrackWaveform track={track} playerTrack={playerTrack} startAt={startAt} />}
            {!playable && (
              <p className="track-hero__notice" role="status" data-testid="track-processing-notice">
                {track.playableWhileProcessing
                  ? 'This track is still being processed: you can already listen to it while it is finished.'
                  : processing
                    ? 'This track is still being processed. It can be played once transcoding, waveform, artwork and loudness are done.'
                    : `Processing failed${track.latestVersion.failureReason ? `: ${track.latestVersion.failureReason}` : '.'}`}
              </p>
            )}

            <p className="track-hero__meta">
              {track.durationMs != null && (
                <time dateTime={isoDuration(track.durationMs)} data-testid="track-page-duration">
                  {formatDuration(track.durationMs)}
                </time>
              )}
              <time dateTime={track.createdAt} suppressHydrationWarning>
                {formatAge(track.createdAt)}
              </time>
              {track.visibility !== 'public' && (
                <span className="track-hero__badge">{track.visibility === 'private' ? 'Private' : 'Unlisted'}</span>
              )}
            </p>
            {(track.genre || track.tags.length > 0) && (
              <ul className="track-hero__tags" aria-label="Genre and tags" data-testid="track-tags">
                {track.genre && (
                  <li>
                    <Link href={routes.genre(track.genre)} prefetch={false} className="track-hero__genre">
                      {track.genre}
                    </Link>
                  </li>
                )}
                {track.tags.map((tag) => (
                  <li key={tag}>
                    <Link href={routes.tag(tag)} prefetch={false}>
                      #{tag}
                    </Link>
                  </li>
                ))}
              </ul>
            )}
            {own && (
              <div className="library-actions">
                <button
                  type="button"
                  className="button button--ghost"
                  aria-expanded={editing}
                  onClick={() => setEditing((e) => !e)}
                  data-testid="edit-track"
                >
                  Edit track
                </button>
                <span role="status" aria-live="polite" data-testid="edit-track-status">
                  {edited}
                </span>
              </div>
            )}
            {/* Liking, commenting and counted plays come with the stream, also while it is processed. */}
            {canPlay && <TrackSocial trackId={track.id} canRepost={playable} />}
            {playable && <AddToPlaylist trackId={track.id} trackTitle={track.title} />}
            {track.takedown && (
              <p className="feed-message feed-message--error" role="alert" data-testid="track-takedown">
                Taken down by the moderators: {track.takedown.reason}. Only you can see this track.
              </p>
            )}
            {playable && !track.takedown && (
              <div className="track-hero__share">
                {track.visibility !== 'private' && (
                  <ShareMenu
                    id={track.id}
                    title={`${track.title} by ${track.artist.displayName}`}
                    path={routes.track(track)}
                  />
                )}
                {/* Not to its own artist (nor before the page knows who is looking). */}
                {account !== undefined && account?.id !== track.artist.id && (
                  <ReportButton subjectType="track" subjectId={track.id} what={`“${track.title}”`} />
                )}
              </div>
            )}
          </div>
        </div>
        {own && editing && (
          <TrackEditor
            track={track}
            onSaved={saved}
            onDone={(said) => {
              setEdited(said);
              setEditing(false);
              refresh();
            }}
            onCancel={() => setEditing(false)}
          />
        )}
        <BuyBox
          key={JSON.stringify([track.price, track.downloadable])}
          type="track"
          id={track.id}
          title={track.title}
        />
        {track.description.trim() && (
          <section className="track-description" aria-label="About this track">
            {track.description.split(/\n{2,}/).map((para, i) => (
              <p key={i}>{para}</p>
            ))}
          </section>
        )}
        {canPlay && (
          <TrackComments
            trackOwnerId={track.artist.id}
            closed={track.commentsClosed}
            durationMs={durationMs}
            getPositionMs={positionMs}
            onSeek={seek}
          />
        )}
      </article>
    </CommentsProvider>
  );
}

'use client';

/**
 * The embeddable player of a release (`/embed/release/:id`): its artwork and title, the track list
 * (each plays through the same player, the rest queued after it) and a link back.
 */
import { api, ok } from '@/lib/api/client';
import { toEmbedRelease, type EmbedReleaseData } from '@/lib/embed';
import { useResource } from '@/lib/hooks/use-resource';
import { routes } from '@/lib/routes';
import { EmbedFrame } from './EmbedFrame';
import { ReleaseArtwork } from '@/components/library/ReleaseArtwork';
import { PlayTrackButton } from '@/components/player/PlayTrackButton';
import { formatDuration } from '@/lib/tracks';
import './embed.css';

export function EmbedRelease({ id, initial }: { id: string; initial: EmbedReleaseData | null }) {
  const release = useResource(
    `release:${id}`,
    (signal) =>
      ok(api.GET('/api/v1/releases/{id}', { params: { path: { id } }, signal })).then((b) => toEmbedRelease(b.release)),
    { initial },
  );
  return (
    <EmbedFrame resource={release} what="release">
      {(r) => <EmbedReleasePlayer release={r} />}
    </EmbedFrame>
  );
}

function EmbedReleasePlayer({ release }: { release: EmbedReleaseData }) {
  const tracks = release.tracks;
  const href = routes.artist(release.artist.handle);
  return (
    <article
      className="embed"
      data-testid="embed-release"
      aria-label={`${release.title} by ${release.artist.displayName}`}
    >
      <ReleaseArtwork
        release={release}
        size={146}
        className="embed__art"
        placeholderClassName="track-card__art--placeholder"
      />
      <div className="embed__main">
        <div className="embed__titles">
          <p className="embed__title">{release.title}</p>
          <p className="embed__artist">
            <a href={href} target="_blank" rel="noopener">
              {release.artist.displayName}
            </a>
          </p>
        </div>
        <ol className="embed__list" aria-label="Tracks">
          {tracks.map((t, i) => (
            <li key={t.id}>
              <PlayTrackButton tracks={tracks} index={i} className="play-button play-button--small" size={14} />
              <span className="embed__n">{i + 1}</span>
              <span className="embed__title">{t.title}</span>
              {t.durationMs != null && <span>{formatDuration(t.durationMs)}</span>}
            </li>
          ))}
        </ol>
        <a className="embed__back" href={href} target="_blank" rel="noopener">
          Listen on Earshot
        </a>
      </div>
    </article>
  );
}

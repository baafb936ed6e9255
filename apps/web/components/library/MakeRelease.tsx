'use client';

/**
 * Shown under several files being uploaded: make them one release (Bandcamp's flow), titled after
 * the album their tags name, in track-number order (then the order they were added). The release can
 * be made once every file is uploaded; the tracks keep processing and the release page lists them
 * as they become playable.
 */
import Link from 'next/link';
import { useState } from 'react';
import { api, ok } from '@/lib/api/client';
import { useFormSubmit } from '@/lib/hooks/use-form-submit';
import type { Release } from '@/lib/library';
import './library.css';
import { RELEASE_TITLE_MAX } from '@earshot/core/field-limits';

export interface ReleaseTrack {
  /** Stable while the list is edited. */
  key: string;
  /** Null until the file is uploaded. */
  id: string | null;
  title: string;
}

export function MakeRelease({ tracks, defaultTitle }: { tracks: ReleaseTrack[]; defaultTitle?: string | null }) {
  const [typed, setTitle] = useState<string | null>(null);
  const [chosenType, setType] = useState<'album' | 'ep' | 'single' | null>(null);
  const [made, setMade] = useState<Release | null>(null);
  const form = useFormSubmit(['title', 'type']);
  if (tracks.length < 2) return null;
  const title = typed ?? defaultTitle ?? '';
  const type = chosenType ?? (tracks.length >= 7 ? 'album' : 'ep');
  const waiting = tracks.filter((t) => t.id === null).length;
  if (made)
    return (
      <p role="status">
        Release made:{' '}
        <Link href={`/release/${made.id}`} data-testid="release-link">
          {made.title}
        </Link>
      </p>
    );
  return (
    <form
      className="library-form release-offer"
      aria-labelledby="release-offer-title"
      onSubmit={form.onSubmit(async () => {
        const trackIds = tracks.flatMap((t) => (t.id ? [t.id] : []));
        const r = await ok(api.POST('/api/v1/releases', { body: { title: title.trim(), type, trackIds } }));
        setMade(r.release);
      })}
      data-hydrated={form.hydrated || undefined}
    >
      <p id="release-offer-title">
        <strong>Make these {tracks.length} tracks one release?</strong> In track-number order:
      </p>
      <ol className="release-offer__order" data-testid="release-order">
        {tracks.map((t) => (
          <li key={t.key}>{t.title}</li>
        ))}
      </ol>
      <label>
        Release title
        <input
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          required
          maxLength={RELEASE_TITLE_MAX}
          data-testid="release-title-input"
        />
      </label>
      <label>
        Type
        <select value={type} onChange={(e) => setType(e.target.value as 'album' | 'ep' | 'single')}>
          <option value="album">Album</option>
          <option value="ep">EP</option>
          <option value="single">Single</option>
        </select>
      </label>
      {(form.errors.form ?? form.errors.fields.title ?? form.errors.fields.type) && (
        <p className="feed-message feed-message--error" role="alert">
          {form.errors.form ?? form.errors.fields.title ?? form.errors.fields.type}
        </p>
      )}
      <div className="library-actions">
        <button
          type="submit"
          className="button button--accent"
          disabled={!title.trim() || waiting > 0 || form.pending}
          aria-describedby={waiting > 0 ? 'release-offer-waiting' : undefined}
          data-testid="make-release"
        >
          Make release
        </button>
        {waiting > 0 && (
          <span id="release-offer-waiting" className="release-offer__hint">
            {waiting === tracks.length
              ? 'Upload the files first.'
              : `Waiting for ${waiting} file${waiting === 1 ? '' : 's'} to upload…`}
          </span>
        )}
      </div>
    </form>
  );
}

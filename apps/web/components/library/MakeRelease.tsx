'use client';

/**
 * Shown under several uploaded files: make them one release, in the order of the list (Bandcamp's
 * flow). The tracks keep processing; the release page lists them as they become playable.
 */
import Link from 'next/link';
import { useState } from 'react';
import { apiFetch, describeApiError } from '@/lib/api';
import type { Release } from '@/lib/library';
import './library.css';

export function MakeRelease({ trackIds }: { trackIds: string[] }) {
  const [title, setTitle] = useState('');
  const [type, setType] = useState<'album' | 'ep' | 'single'>(trackIds.length >= 7 ? 'album' : 'ep');
  const [made, setMade] = useState<Release | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (trackIds.length < 2) return null;
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
      className="library-form"
      aria-label="Make these tracks a release"
      onSubmit={async (e) => {
        e.preventDefault();
        try {
          const r = await apiFetch<{ release: Release }>('/api/v1/releases', {
            json: { title: title.trim(), type, trackIds },
          });
          setMade(r.release);
        } catch (err) {
          setError(describeApiError(err));
        }
      }}
    >
      <p>
        <strong>Make these {trackIds.length} tracks one release?</strong> In the order above.
      </p>
      <label>
        Release title
        <input
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          required
          maxLength={200}
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
      {error && (
        <p className="feed-message feed-message--error" role="alert">
          {error}
        </p>
      )}
      <div className="library-actions">
        <button type="submit" className="button button--accent" disabled={!title.trim()} data-testid="make-release">
          Make release
        </button>
      </div>
    </form>
  );
}

'use client';

/**
 * Shown under several uploaded files: make them one release, in the order of the list (Bandcamp's
 * flow). The tracks keep processing; the release page lists them as they become playable.
 */
import Link from 'next/link';
import { useState } from 'react';
import { api, ok } from '@/lib/api/client';
import { useFormSubmit } from '@/lib/hooks/use-form-submit';
import type { Release } from '@/lib/library';
import './library.css';

export function MakeRelease({ trackIds }: { trackIds: string[] }) {
  const [title, setTitle] = useState('');
  const [type, setType] = useState<'album' | 'ep' | 'single'>(trackIds.length >= 7 ? 'album' : 'ep');
  const [made, setMade] = useState<Release | null>(null);
  const form = useFormSubmit(['title', 'type']);
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
      onSubmit={form.onSubmit(async () => {
        const r = await ok(api.POST('/api/v1/releases', { body: { title: title.trim(), type, trackIds } }));
        setMade(r.release);
      })}
      data-hydrated={form.hydrated || undefined}
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
      {(form.errors.form ?? form.errors.fields.title ?? form.errors.fields.type) && (
        <p className="feed-message feed-message--error" role="alert">
          {form.errors.form ?? form.errors.fields.title ?? form.errors.fields.type}
        </p>
      )}
      <div className="library-actions">
        <button
          type="submit"
          className="button button--accent"
          disabled={!title.trim() || form.pending}
          data-testid="make-release"
        >
          Make release
        </button>
      </div>
    </form>
  );
}

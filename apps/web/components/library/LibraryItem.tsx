'use client';

/**
 * What the release page and the playlist page share: read one named thing (`useResource`, 404 as
 * "not here"), know whether the viewer owns it, and apply the owner's edits in place — each edit
 * sends its request, shows what the API answered (the new item) and a sentence, or the API's error.
 */
import { useState } from 'react';
import { describeApiError } from '@/lib/api';
import { useResource, type Resource } from '@/lib/hooks/use-resource';
import { NotFoundPage } from '@/components/NotFoundPage';
import { useAccount } from '@/lib/hooks/use-account';
import { Notice } from '@/components/Notice';

export interface LibraryItem<T> {
  item: Resource<T, true>;
  /** The signed-in viewer's id (null: signed out, or not known yet). */
  viewerId: string | null;
  /** What the last edit said, for a `role="status"`. */
  status: string;
  /** The last edit's failure, for a `role="alert"`. */
  error: string | null;
  /**
   * Runs an edit: its answer (the item as saved) replaces the shown one and `done` is announced.
   * `optimistic` shows the change before the API answers (a reorder); a failure puts the item back.
   */
  edit(action: () => Promise<T | void>, done: string, optimistic?: (data: T) => T): Promise<boolean>;
}

export function useLibraryItem<T>(key: string, load: (signal: AbortSignal) => Promise<T>): LibraryItem<T> {
  const item = useResource(key, load, { notFound: true });
  const viewer = useAccount();
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);
  const edit = async (action: () => Promise<T | void>, done: string, optimistic?: (data: T) => T) => {
    const before = item.status === 'ready' ? item.data : undefined;
    setError(null);
    if (optimistic) item.update(optimistic);
    try {
      const saved = await action();
      if (saved !== undefined) item.update(() => saved);
      setStatus(done);
      return true;
    } catch (err) {
      if (before !== undefined) item.update(() => before);
      setError(describeApiError(err));
      return false;
    }
  };
  return { item, viewerId: viewer?.id ?? null, status, error, edit };
}

/** The page while the item is not ready: "not here" (404), loading, or the failure with "Try again". */
export function LibraryFallback<T>({ item, noun }: { item: Resource<T, true>; noun: string }) {
  if (item.status === 'not-found')
    return <NotFoundPage titleId={`${noun}-missing`} title={`This ${noun} is not here`} />;
  if (item.status === 'error')
    return (
      <div className="container section" role="alert">
        <p>{item.message}</p>
        <button type="button" className="button button--ghost" onClick={item.retry}>
          Try again
        </button>
      </div>
    );
  return (
    <p className="container section" role="status">
      Loading…
    </p>
  );
}

/** The edit's failure above the owner's tools. */
export function EditError({ message }: { message: string | null }) {
  return <Notice className="feed-message feed-message--error" message={message} />;
}

'use client';

/**
 * The comments of the track on the page, shared by the waveform markers and the list: loaded on
 * the server when it can (the first HTML carries them, escaped), then kept here as the listener
 * posts, replies and deletes.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { apiFetch } from '@/lib/api';
import { parseCommentPage, type CommentPage, type TrackComment } from './types';

interface CommentsValue {
  trackId: string;
  comments: TrackComment[];
  nextCursor: string | null;
  loaded: boolean;
  post(input: { body: string; positionMs?: number; parentId?: string }): Promise<TrackComment>;
  remove(id: string): Promise<void>;
  loadMore(): Promise<void>;
}

const CommentsContext = createContext<CommentsValue | null>(null);

export function useTrackComments(): CommentsValue | null {
  return useContext(CommentsContext);
}

const PAGE = 100;

export function CommentsProvider({
  trackId,
  initial,
  children,
}: {
  trackId: string;
  initial: CommentPage | null;
  children: ReactNode;
}) {
  const [page, setPage] = useState<CommentPage>(initial ?? { items: [], nextCursor: null });
  const [loaded, setLoaded] = useState(!!initial);

  useEffect(() => {
    if (initial) return;
    const controller = new AbortController();
    apiFetch(`/api/v1/tracks/${encodeURIComponent(trackId)}/comments?limit=${PAGE}`, {
      signal: controller.signal,
    }).then(
      (body) => {
        setPage(parseCommentPage(body));
        setLoaded(true);
      },
      () => setLoaded(true),
    );
    return () => controller.abort();
  }, [trackId, initial]);

  const post = useCallback(
    async (input: { body: string; positionMs?: number; parentId?: string }) => {
      const { comment } = await apiFetch<{ comment: TrackComment }>('/api/v1/comments', {
        json: { trackId, ...input },
      });
      setPage((p) => {
        if (comment.parentId) {
          return {
            ...p,
            items: p.items.map((c) =>
              c.id === comment.parentId ? { ...c, replies: [...(c.replies ?? []), comment] } : c,
            ),
          };
        }
        const items = [...p.items, { ...comment, replies: [] }].sort(
          (a, b) => a.positionMs - b.positionMs || Number(a.id) - Number(b.id),
        );
        return { ...p, items };
      });
      return comment;
    },
    [trackId],
  );

  const remove = useCallback(async (id: string) => {
    await apiFetch(`/api/v1/comments/${encodeURIComponent(id)}`, { method: 'DELETE' });
    const gone = (c: TrackComment): TrackComment =>
      c.id === id ? { ...c, body: null, deleted: true } : { ...c, replies: c.replies?.map(gone) };
    setPage((p) => ({ ...p, items: p.items.map(gone) }));
  }, []);

  const loadMore = useCallback(async () => {
    if (!page.nextCursor) return;
    const next = parseCommentPage(
      await apiFetch(
        `/api/v1/tracks/${encodeURIComponent(trackId)}/comments?limit=${PAGE}&cursor=${encodeURIComponent(page.nextCursor)}`,
      ),
    );
    setPage((p) => ({ items: [...p.items, ...next.items], nextCursor: next.nextCursor }));
  }, [trackId, page.nextCursor]);

  const value = useMemo<CommentsValue>(
    () => ({ trackId, comments: page.items, nextCursor: page.nextCursor, loaded, post, remove, loadMore }),
    [trackId, page, loaded, post, remove, loadMore],
  );
  return <CommentsContext.Provider value={value}>{children}</CommentsContext.Provider>;
}

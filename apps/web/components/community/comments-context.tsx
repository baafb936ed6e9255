'use client';

/**
 * The comments of the track on the page, shared by the waveform markers and the list: loaded on
 * the server when it can (the first HTML carries them, escaped), then kept here as the listener
 * posts, replies and deletes, and as others do while the page is open (live-comments.ts).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, ok } from '@/lib/api/client';
import { byPosition, hasComment, mergeThreads, readLiveComment } from './live-merge';
import { useLiveComments, type CommentLiveEvent } from './live-comments';
import type { CommentPage, TrackComment } from './types';
import { useAccount } from '@/lib/hooks/use-account';

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

const has = hasComment;

/** A comment shown as deleted (its body gone, its replies kept). */
const markDeleted =
  (id: string) =>
  (c: TrackComment): TrackComment =>
    c.id === id
      ? { ...c, body: null, deleted: true }
      : { ...c, replies: c.replies?.map((r) => (r.id === id ? { ...r, body: null, deleted: true } : r)) };

/** The first page read again, merged into what is shown: its comments replace theirs, later pages stay. */
function merge(shown: CommentPage, fresh: CommentPage): CommentPage {
  return { ...mergeThreads(shown, fresh.items), nextCursor: shown.nextCursor ?? fresh.nextCursor };
}

export function CommentsProvider({
  trackId,
  initial,
  onMedia,
  children,
}: {
  trackId: string;
  initial: CommentPage | null;
  /** The track's media changed while it is processed (live-comments.ts): read it again. */
  onMedia?: () => void;
  children: ReactNode;
}) {
  const [page, setPage] = useState<CommentPage>(initial ?? { items: [], nextCursor: null });
  const [loaded, setLoaded] = useState(!!initial);
  const user = useAccount();
  const pageRef = useRef(page);
  pageRef.current = page;

  const readFirst = useCallback(
    (signal?: AbortSignal) =>
      ok(
        api.GET('/api/v1/tracks/{id}/comments', {
          params: { path: { id: trackId }, query: { limit: PAGE, order: 'position' } },
          signal,
        }),
      ),
    [trackId],
  );

  useEffect(() => {
    if (initial) return;
    const controller = new AbortController();
    readFirst(controller.signal).then(
      (body) => {
        setPage(body);
        setLoaded(true);
      },
      () => setLoaded(true),
    );
    return () => controller.abort();
  }, [initial, readFirst]);

  const resync = useCallback(() => {
    readFirst().then(
      (fresh) => setPage((p) => merge(p, fresh)),
      () => undefined,
    );
  }, [readFirst]);

  // A new comment shows whatever pages are loaded, even one whose moment lies past them (live-merge.ts).
  const readLive = useCallback(
    (id: string) =>
      readLiveComment(id, (query) =>
        ok(
          api.GET('/api/v1/tracks/{id}/comments', {
            params: { path: { id: trackId }, query: { limit: PAGE, ...query } },
          }),
        ),
      ).then(
        (threads) => setPage((p) => mergeThreads(p, threads)),
        () => undefined,
      ),
    [trackId],
  );

  const onLive = useCallback(
    (e: CommentLiveEvent) => {
      if (e.type === 'comment.deleted') setPage((p) => ({ ...p, items: p.items.map(markDeleted(e.commentId)) }));
      else if (!has(pageRef.current.items, e.commentId)) void readLive(e.commentId);
    },
    [readLive],
  );
  useLiveComments(trackId, !!user, onLive, resync, onMedia);

  const post = useCallback(
    async (input: { body: string; positionMs?: number; parentId?: string }) => {
      const { comment } = await ok(api.POST('/api/v1/comments', { body: { trackId, ...input } }));
      setPage((p) => {
        // Already there when the live event's read came back first.
        if (has(p.items, comment.id)) return p;
        if (comment.parentId) {
          return {
            ...p,
            items: p.items.map((c) =>
              c.id === comment.parentId ? { ...c, replies: [...(c.replies ?? []), comment] } : c,
            ),
          };
        }
        return { ...p, items: [...p.items, { ...comment, replies: [] }].sort(byPosition) };
      });
      return comment;
    },
    [trackId],
  );

  const remove = useCallback(async (id: string) => {
    await ok(api.DELETE('/api/v1/comments/{id}', { params: { path: { id } } }));
    setPage((p) => ({ ...p, items: p.items.map(markDeleted(id)) }));
  }, []);

  const loadMore = useCallback(async () => {
    if (!page.nextCursor) return;
    const next = await ok(
      api.GET('/api/v1/tracks/{id}/comments', {
        params: { path: { id: trackId }, query: { limit: PAGE, order: 'position', cursor: page.nextCursor } },
      }),
    );
    // A comment already shown (it came live) is not shown twice.
    setPage((p) => ({ ...mergeThreads(p, next.items), nextCursor: next.nextCursor }));
  }, [trackId, page.nextCursor]);

  const value = useMemo<CommentsValue>(
    () => ({ trackId, comments: page.items, nextCursor: page.nextCursor, loaded, post, remove, loadMore }),
    [trackId, page, loaded, post, remove, loadMore],
  );
  return <CommentsContext.Provider value={value}>{children}</CommentsContext.Provider>;
}

/**
 * Where a live comment is read from (live-comments.ts sends ids only). A new top-level comment is
 * the newest: the first page by `newest` has it, wherever its moment falls. A reply may be to any
 * comment: the pages by position are read until its thread is found. Either way it shows whatever
 * pages of comments the listener has loaded; the threads read are merged by id, so a later "More"
 * does not show them twice.
 */
import type { CommentPage, TrackComment } from './types';

export type ReadComments = (query: { order: 'position' | 'newest'; cursor?: string }) => Promise<CommentPage>;

/** Pages by position read at most, looking for a reply's thread. */
const MAX_PAGES = 20;

export const byPosition = (a: TrackComment, b: TrackComment) =>
  a.positionMs - b.positionMs || Number(a.id) - Number(b.id);

/** A comment (or reply) is in the list already. */
export const hasComment = (items: TrackComment[], id: string) =>
  items.some((c) => c.id === id || (c.replies ?? []).some((r) => r.id === id));

/** Threads merged into what is shown: each replaces the one with its id, or joins in position order. */
export function mergeThreads(shown: CommentPage, threads: TrackComment[]): CommentPage {
  const byId = new Map(shown.items.map((c) => [c.id, c]));
  for (const c of threads) byId.set(c.id, c);
  return { items: [...byId.values()].sort(byPosition), nextCursor: shown.nextCursor };
}

/** The thread to merge so that comment `id` shows: itself, or the comment it replies to (none when not found). */
export async function readLiveComment(id: string, read: ReadComments): Promise<TrackComment[]> {
  const thread = (page: CommentPage) => page.items.filter((c) => hasComment([c], id));
  const newest = thread(await read({ order: 'newest' }));
  if (newest.length) return newest;
  let cursor: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await read({ order: 'position', cursor });
    const found = thread(page);
    if (found.length || !page.nextCursor) return found;
    cursor = page.nextCursor;
  }
  return [];
}

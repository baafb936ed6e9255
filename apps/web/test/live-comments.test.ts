import { describe, expect, it } from 'vitest';
import { mergeThreads, readLiveComment, type ReadComments } from '../components/community/live-merge';
import type { CommentPage, TrackComment } from '../components/community/types';

const comment = (id: number, positionMs: number, replies: TrackComment[] = []): TrackComment =>
  ({
    id: String(id),
    trackId: '1',
    parentId: null,
    author: null,
    body: `c${id}`,
    deleted: false,
    positionMs,
    createdAt: '2026-12-02T10:00:00.000Z',
    replies,
  }) as TrackComment;

/** A track's comments served like the API: 100 a page by position (cursor = index), or newest first. */
function api(all: TrackComment[]): { read: ReadComments; reads: string[] } {
  const reads: string[] = [];
  const read: ReadComments = async ({ order, cursor }) => {
    reads.push(`${order}:${cursor ?? ''}`);
    const sorted =
      order === 'newest'
        ? [...all].sort((a, b) => Number(b.id) - Number(a.id))
        : [...all].sort((a, b) => a.positionMs - b.positionMs);
    const from = Number(cursor ?? 0);
    const items = sorted.slice(from, from + 100);
    return { items, nextCursor: from + 100 < sorted.length ? String(from + 100) : null };
  };
  return { read, reads };
}

describe('live comments show whatever page of comments is loaded', () => {
  const all = Array.from({ length: 250 }, (_, i) => comment(i + 1, i * 1000));
  const firstPage: CommentPage = { items: all.slice(0, 100), nextCursor: '100' };

  it('a new comment past the loaded page is read (newest first) and shown in position order', async () => {
    const late = comment(251, 240_500);
    const { read, reads } = api([...all, late]);
    const threads = await readLiveComment('251', read);
    expect(threads.map((c) => c.id)).toEqual(['251']);
    expect(reads).toEqual(['newest:']);
    const shown = mergeThreads(firstPage, threads);
    expect(shown.items).toHaveLength(101);
    expect(shown.items.at(-1)!.id).toBe('251');
    expect(shown.nextCursor).toBe('100');
  });

  it('a reply to an old comment past the first page is found by walking the pages', async () => {
    // An old comment (not among the 100 newest) whose moment lies on the third page.
    const reply = { ...comment(300, 230_500), parentId: '31' } as TrackComment;
    const withReply = all.map((c) => (c.id === '31' ? comment(31, 230_500, [reply]) : c));
    const { read, reads } = api(withReply);
    const threads = await readLiveComment('300', read);
    expect(threads.map((c) => [c.id, c.replies?.map((r) => r.id)])).toEqual([['31', ['300']]]);
    expect(reads).toEqual(['newest:', 'position:', 'position:100', 'position:200']);
  });

  it('"More" after a live comment does not show it twice', () => {
    const live = mergeThreads(firstPage, [comment(150, 149_000)]);
    const more = mergeThreads(live, all.slice(100, 200));
    expect(more.items).toHaveLength(200);
    expect(new Set(more.items.map((c) => c.id)).size).toBe(200);
  });

  it('a comment nobody may see (or gone) adds nothing', async () => {
    const { read } = api(all);
    expect(await readLiveComment('999', read)).toEqual([]);
  });
});

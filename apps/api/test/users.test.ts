/**
 * Users over HTTP: a user's public tracks (`GET /api/v1/users/:handle/tracks`). Profiles and
 * account input are in accounts-input.test.ts. PGlite in memory.
 */
import { describe, expect, it } from 'vitest';
import { createReadyTrack, createUser } from '../../../test/support/factories.ts';
import { useTestApi } from '../../../test/support/use-test-api.ts';

const api = useTestApi();

describe("a user's public tracks", () => {
  it('lists only their public, playable tracks, newest first, in the shape of GET /api/v1/tracks', async () => {
    const db = api.t.infra.database.db;
    const artist = await createUser(db, 'artist');
    const other = await createUser(db, 'artist');
    const add = async (
      owner: string,
      slug: string,
      visibility: 'public' | 'unlisted' | 'private',
      status: 'ready' | 'processing',
    ) => (await createReadyTrack(db, owner, slug, { visibility, durationMs: 1000, ready: status === 'ready' })).id;
    const first = await add(artist.id, 'first', 'public', 'ready');
    await add(artist.id, 'hidden', 'private', 'ready');
    await add(artist.id, 'link-only', 'unlisted', 'ready');
    await add(artist.id, 'cooking', 'public', 'processing');
    const second = await add(artist.id, 'second', 'public', 'ready');
    await add(other.id, 'someone-else', 'public', 'ready');
    const res = await api.app.inject(`/api/v1/users/${artist.handle}/tracks?limit=1`);
    expect(res.statusCode).toBe(200);
    const page1 = res.json();
    expect(page1.tracks.map((x: { id: string }) => x.id)).toEqual([second]);
    expect(Object.keys(page1.tracks[0]).sort()).toEqual([
      'artist',
      'artworkUrl',
      'commentCount',
      'createdAt',
      'durationMs',
      'id',
      'likeCount',
      'playCount',
      'repostCount',
      'slug',
      'title',
    ]);
    const page2 = (
      await api.app.inject(`/api/v1/users/${artist.handle}/tracks?limit=1&cursor=${page1.nextCursor}`)
    ).json();
    expect(page2).toEqual({ tracks: [expect.objectContaining({ id: first })], nextCursor: null });
    expect((await api.app.inject('/api/v1/users/no-such-artist/tracks')).statusCode).toBe(404);
  });
});

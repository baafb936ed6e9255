/**
 * Listening to a track playable while it is processed (docs/performance.md, "Playable in
 * seconds"): a play of its provisional stream counts by the same 30 s rule as a ready one, and a
 * listener can like it and comment at a moment; reposting waits for it to be ready. One rule in
 * core (`getListenableTrack`); a processing track without a provisional stream stays refused.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createReadyTrack } from '../../../test/support/factories.ts';
import { useTestApi } from '../../../test/support/use-test-api.ts';
import { bearer, createUser, sessionFor, type TestUser } from './support/accounts.ts';

let owner: TestUser;
let listener: TestUser;
let token: string;
/** A first upload still processing whose provisional stream is out, as the worker leaves it. */
let growing: { id: string; versionId: string };
/** A first upload still processing, nothing published yet. */
let unpublished: { id: string; versionId: string };
let ipSeq = 1;

const api = useTestApi();
beforeAll(async () => {
  owner = await createUser(api.db, 'artist');
  listener = await createUser(api.db, 'listener');
  token = (await sessionFor(api.db, api.t.config, listener.id)).token;
  growing = await createReadyTrack(api.db, owner.id, 'growing', {
    ready: false,
    provisional: true,
    durationMs: 180_000,
  });
  unpublished = await createReadyTrack(api.db, owner.id, 'unpublished', { ready: false, durationMs: 180_000 });
});

const play = (trackId: string, payload: object, headers: Record<string, string> = {}) =>
  api.app.inject({
    method: 'POST',
    url: `/api/v1/tracks/${trackId}/plays`,
    payload,
    headers,
    remoteAddress: `192.0.2.${ipSeq++}`,
  });

describe('a track playable while it is processed', () => {
  it('a play of its provisional stream counts by the 30 s rule, naming the version or not', async () => {
    const short = await play(growing.id, { secondsListened: 29 });
    expect(short.statusCode, short.body).toBe(200);
    expect(short.json()).toMatchObject({ counted: false });
    const counted = await play(growing.id, { secondsListened: 30, versionId: growing.versionId }, bearer(token));
    expect(counted.statusCode, counted.body).toBe(201);
    expect(counted.json()).toEqual({ counted: true });
    const anonymous = await play(growing.id, { secondsListened: 31 });
    expect(anonymous.statusCode, anonymous.body).toBe(201);
    const rows = await api.db.selectFrom('plays').select(['version_id']).where('track_id', '=', growing.id).execute();
    expect(rows.map((r) => r.version_id)).toEqual([growing.versionId, growing.versionId]);
    // Nothing published yet: nothing to have heard.
    expect((await play(unpublished.id, { secondsListened: 40 })).statusCode).toBe(404);
  });

  it('a listener likes it and comments at a moment; reposting waits for ready', async () => {
    const commentAt = (body: string, positionMs: number) =>
      api.app.inject({
        method: 'POST',
        url: '/api/v1/comments',
        headers: bearer(token),
        payload: { trackId: growing.id, body, positionMs },
      });
    const like = await api.app.inject({
      method: 'PUT',
      url: `/api/v1/tracks/${growing.id}/like`,
      headers: bearer(token),
    });
    expect(like.statusCode, like.body).toBe(200);
    const comment = await commentAt('already good', 12_000);
    expect(comment.statusCode, comment.body).toBe(201);
    // A moment past the processing version's length is refused, as for a ready one.
    const past = await commentAt('too far', 180_001);
    expect(past.statusCode, past.body).toBe(400);
    const comments = await api.app.inject({ url: `/api/v1/tracks/${growing.id}/comments` });
    expect(comments.statusCode, comments.body).toBe(200);
    expect(comments.body).toContain('already good');

    const repost = await api.app.inject({
      method: 'PUT',
      url: `/api/v1/tracks/${growing.id}/repost`,
      headers: bearer(token),
    });
    expect(repost.statusCode, repost.body).toBe(404);
    for (const url of [`/api/v1/tracks/${unpublished.id}/like`, `/api/v1/tracks/${unpublished.id}/repost`]) {
      const res = await api.app.inject({ method: 'PUT', url, headers: bearer(token) });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(404);
    }
    const early = await api.app.inject({
      method: 'POST',
      url: '/api/v1/comments',
      headers: bearer(token),
      payload: { trackId: unpublished.id, body: 'nothing to hear yet' },
    });
    expect(early.statusCode, early.body).toBe(404);
  });
});

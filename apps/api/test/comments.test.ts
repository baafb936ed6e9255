/**
 * Comments over HTTP on PostgreSQL (docs/architecture.md, "Community"): a comment pinned to a
 * moment, one level of replies, soft delete by author / track owner / admin, closing comments,
 * the 20-an-hour write limit (reads never limited), and hostile input refused with nothing written.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createReadyTrack } from '../../../test/support/factories.ts';
import { useTestApi } from '../../../test/support/use-test-api.ts';
import { bearer, createUser, sessionFor, type TestUser } from './support/accounts.ts';

let owner: TestUser;
let fan: TestUser;
let other: TestUser;
let admin: TestUser;
let pub: { id: string };
let priv: { id: string };
const tokens = new Map<string, string>();
let ipSeq = 1;
const nextIp = () => `198.51.100.${ipSeq++}`;

const as = (u: TestUser) => bearer(tokens.get(u.id)!);
const post = (u: TestUser | null, payload: unknown, ip = nextIp()) =>
  api.app.inject({
    method: 'POST',
    url: '/api/v1/comments',
    payload: payload as object,
    headers: u ? as(u) : {},
    remoteAddress: ip,
  });
const list = (trackId: string, query = '', u?: TestUser) =>
  api.app.inject({
    url: `/api/v1/tracks/${trackId}/comments${query}`,
    headers: u ? as(u) : {},
    remoteAddress: nextIp(),
  });
const del = (u: TestUser, id: string) =>
  api.app.inject({ method: 'DELETE', url: `/api/v1/comments/${id}`, headers: as(u), remoteAddress: nextIp() });
const commentCount = async (trackId: string) =>
  (await api.db.selectFrom('tracks').select('comment_count').where('id', '=', trackId).executeTakeFirstOrThrow())
    .comment_count;
const rows = async (trackId: string) =>
  api.db.selectFrom('comments').selectAll().where('track_id', '=', trackId).execute();

const api = useTestApi({ infra: { database: 'postgres' } });
beforeAll(async () => {
  [owner, fan, other, admin] = [
    await createUser(api.db, 'artist'),
    await createUser(api.db, 'listener'),
    await createUser(api.db, 'listener'),
    await createUser(api.db, 'admin'),
  ];
  for (const u of [owner, fan, other, admin]) tokens.set(u.id, (await sessionFor(api.db, api.t.config, u.id)).token);
  pub = await createReadyTrack(api.db, owner.id, 'pinned', { visibility: 'public', durationMs: 60_000 });
  priv = await createReadyTrack(api.db, owner.id, 'secret', { visibility: 'private', durationMs: 60_000 });
});

describe('posting and reading', () => {
  it('a comment at 0:12 comes back at its moment, with its author; the track counts it', async () => {
    const res = await post(fan, { trackId: pub.id, body: 'that drop', positionMs: 12_000 });
    expect(res.statusCode).toBe(201);
    const { comment } = res.json();
    expect(comment).toMatchObject({
      trackId: pub.id,
      parentId: null,
      body: 'that drop',
      positionMs: 12_000,
      deleted: false,
      author: { id: fan.id, handle: fan.handle },
    });
    expect(await commentCount(pub.id)).toBe(1);
    const page = (await list(pub.id)).json();
    expect(page.items.map((c: { id: string }) => c.id)).toContain(comment.id);
  });

  it('one level of replies: a reply sits at its parent moment; a reply to a reply is a 400 and writes nothing', async () => {
    const top = (await post(fan, { trackId: pub.id, body: 'top', positionMs: 30_000 })).json().comment;
    const reply = await post(owner, { trackId: pub.id, body: 'thanks!', parentId: top.id });
    expect(reply.statusCode).toBe(201);
    expect(reply.json().comment).toMatchObject({ parentId: top.id, positionMs: 30_000 });
    const before = (await rows(pub.id)).length;
    const deeper = await post(fan, {
      trackId: pub.id,
      body: 'deeper',
      positionMs: 30_000,
      parentId: reply.json().comment.id,
    });
    expect(deeper.statusCode).toBe(400);
    expect(deeper.json().error.code).toBe('validation_failed');
    expect((await rows(pub.id)).length).toBe(before);
    const listed = (await list(pub.id)).json().items.find((c: { id: string }) => c.id === top.id);
    expect(listed.replies.map((r: { body: string }) => r.body)).toEqual(['thanks!']);
  });

  it('pages by position with a cursor, each comment once; newest first on request', async () => {
    const track = await createReadyTrack(api.db, owner.id, 'paged', { durationMs: 10_000 });
    for (const p of [5000, 1000, 3000, 3000, 9000])
      expect((await post(fan, { trackId: track.id, body: `at ${p}`, positionMs: p })).statusCode).toBe(201);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ positionMs: number }>; nextCursor: string | null } = (
        await list(track.id, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      seen.push(...page.items.map((c: { positionMs: number }) => c.positionMs));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([1000, 3000, 3000, 5000, 9000]);
    const newest = (await list(track.id, '?order=newest&limit=1')).json();
    expect(newest.items[0].positionMs).toBe(9000);
    expect((await list(track.id, '?cursor=not-a-cursor')).statusCode).toBe(400);
  });
});

describe('hostile input: a clear 4xx and nothing written', () => {
  it.each([
    ['a position past the end', { body: 'late', positionMs: 60_001 }, 400],
    ['a negative position', { body: 'early', positionMs: -1 }, 400],
    ['a fractional position', { body: 'x', positionMs: 1.5 }, 400],
    ['no position', { body: 'nowhere' }, 400],
    ['an empty body', { body: '', positionMs: 0 }, 400],
    ['a blank body', { body: '   \n  ', positionMs: 0 }, 400],
    ['2,001 characters', { body: 'x'.repeat(2001), positionMs: 0 }, 400],
    ['a bidi override', { body: 'cool \u202egnos', positionMs: 0 }, 400],
    ['a NUL', { body: 'a\u0000b', positionMs: 0 }, 400],
    ['an unknown field', { body: 'x', positionMs: 0, html: '<b>' }, 400],
    ['an unknown parent', { body: 'x', positionMs: 0, parentId: '999999999' }, 404],
  ])('%s', async (_name, payload, status) => {
    const before = (await rows(pub.id)).length;
    const res = await post(fan, { trackId: pub.id, ...payload });
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBeTypeOf('string');
    expect((await rows(pub.id)).length).toBe(before);
  });

  it('2,000 characters (emoji count as one) are accepted; markup is kept as text', async () => {
    const res = await post(fan, { trackId: pub.id, body: '🎧'.repeat(2000), positionMs: 0 });
    expect(res.statusCode).toBe(201);
    const xss = await post(fan, {
      trackId: pub.id,
      body: '<script>alert(1)</script> <img src=x onerror=alert(1)>',
      positionMs: 1,
    });
    expect(xss.json().comment.body).toBe('<script>alert(1)</script> <img src=x onerror=alert(1)>');
  });

  it('a private track is a 404 for others (not even its existence), and anonymous writes a 401', async () => {
    expect((await post(fan, { trackId: priv.id, body: 'psst', positionMs: 0 })).statusCode).toBe(404);
    expect((await list(priv.id)).statusCode).toBe(404);
    expect((await list(priv.id, '', fan)).statusCode).toBe(404);
    expect((await list(priv.id, '', owner)).statusCode).toBe(200);
    expect((await post(null, { trackId: pub.id, body: 'anon', positionMs: 0 })).statusCode).toBe(401);
    expect((await post(fan, { trackId: '999999999', body: 'gone', positionMs: 0 })).statusCode).toBe(404);
    expect(await rows(priv.id)).toEqual([]);
  });
});

describe('deleting', () => {
  it('the author, the track owner and an admin may; others get 403; replies stay; the count drops once', async () => {
    const track = await createReadyTrack(api.db, owner.id, 'deletions', { durationMs: 10_000 });
    const top = (await post(fan, { trackId: track.id, body: 'parent', positionMs: 100 })).json().comment;
    await post(other, { trackId: track.id, body: 'child', parentId: top.id });
    const b = (await post(other, { trackId: track.id, body: 'b', positionMs: 200 })).json().comment;
    const c = (await post(other, { trackId: track.id, body: 'c', positionMs: 300 })).json().comment;
    expect(await commentCount(track.id)).toBe(4);
    expect((await del(other, top.id)).statusCode).toBe(403);
    expect((await del(fan, top.id)).statusCode).toBe(204);
    expect((await del(fan, top.id)).statusCode).toBe(204);
    expect(await commentCount(track.id)).toBe(3);
    expect((await del(owner, b.id)).statusCode).toBe(204);
    expect((await del(admin, c.id)).statusCode).toBe(204);
    expect(await commentCount(track.id)).toBe(1);
    const listed = (await list(track.id)).json().items;
    const parent = listed.find((x: { id: string }) => x.id === top.id);
    expect(parent).toMatchObject({ body: null, deleted: true });
    expect(parent.replies.map((r: { body: string }) => r.body)).toEqual(['child']);
    expect(
      (await api.db.selectFrom('comments').select('body').where('id', '=', top.id).executeTakeFirstOrThrow()).body,
    ).toBe('');
    expect((await del(fan, '999999999')).statusCode).toBe(404);
  });
});

describe('closing comments', () => {
  it('the owner closes: others get 403 comments_closed; reopened, they may comment again', async () => {
    const track = await createReadyTrack(api.db, owner.id, 'closable', { durationMs: 10_000 });
    expect(
      (await api.app.inject({ method: 'PUT', url: `/api/v1/tracks/${track.id}/comments-closed`, headers: as(fan) }))
        .statusCode,
    ).toBe(403);
    const closed = await api.app.inject({
      method: 'PUT',
      url: `/api/v1/tracks/${track.id}/comments-closed`,
      headers: as(owner),
    });
    expect(closed.json()).toEqual({ track: { id: track.id, commentsClosed: true } });
    const refused = await post(fan, { trackId: track.id, body: 'hi', positionMs: 0 });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('comments_closed');
    expect(await rows(track.id)).toEqual([]);
    expect(
      (
        await api.app.inject({
          method: 'DELETE',
          url: `/api/v1/tracks/${track.id}/comments-closed`,
          headers: as(owner),
        })
      ).json().track.commentsClosed,
    ).toBe(false);
    expect((await post(fan, { trackId: track.id, body: 'hi', positionMs: 0 })).statusCode).toBe(201);
  });
});

describe('rate limits', () => {
  it('the 21st comment write of a client in an hour is a 429 and is not written; reads are never limited', async () => {
    const ip = nextIp();
    const track = await createReadyTrack(api.db, owner.id, 'limited', { durationMs: 10_000 });
    for (let i = 0; i < 20; i++)
      expect((await post(other, { trackId: track.id, body: `n${i}`, positionMs: i }, ip)).statusCode).toBe(201);
    const over = await post(other, { trackId: track.id, body: 'one too many', positionMs: 0 }, ip);
    expect(over.statusCode).toBe(429);
    expect(over.headers['retry-after']).toBeDefined();
    expect((await rows(track.id)).length).toBe(20);
    for (let i = 0; i < 30; i++)
      expect((await api.app.inject({ url: `/api/v1/tracks/${track.id}/comments`, remoteAddress: ip })).statusCode).toBe(
        200,
      );
  });
});

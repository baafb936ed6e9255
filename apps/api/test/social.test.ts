/**
 * Likes, reposts and follows over HTTP on PostgreSQL (docs/architecture.md, "Community"):
 * idempotent toggles, counts on the resource that stay exact under concurrency, who liked /
 * reposted, followers / following, the feed and notifications (grouped, live on the bus).
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { LiveEvent } from '@earshot/core';
import { createReadyTrack } from '../../../test/support/factories.ts';
import { useTestApi } from '../../../test/support/use-test-api.ts';
import { createRelease } from '../../../test/support/commerce.ts';
import { bearer, createUser, sessionFor, type TestUser } from './support/accounts.ts';

let artist: TestUser;
let fan: TestUser;
const tokens = new Map<string, string>();
const live: LiveEvent[] = [];

async function user(role: 'artist' | 'listener' | 'admin'): Promise<TestUser> {
  const u = await createUser(api.db, role);
  tokens.set(u.id, (await sessionFor(api.db, api.t.config, u.id)).token);
  return u;
}
const call = (u: TestUser | null, method: 'GET' | 'PUT' | 'DELETE' | 'POST' | 'PATCH', url: string, payload?: object) =>
  api.app.inject({ method, url, headers: u ? bearer(tokens.get(u.id)!) : {}, ...(payload ? { payload } : {}) });
/** The reader's whole feed, one entry a page, following each cursor to the end. */
async function wholeFeed<T>(reader: TestUser): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | null = null;
  do {
    const res = await call(reader, 'GET', `/api/v1/feed?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode).toBe(200);
    all.push(...res.json().items);
    cursor = res.json().nextCursor;
  } while (cursor);
  return all;
}
const trackRow = (id: string) =>
  api.db
    .selectFrom('tracks')
    .select(['like_count', 'repost_count', 'comment_count', 'play_count'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
/** How many rows the table really holds for the track or account: what a stored count must equal. */
async function rowsWhere(table: 'likes' | 'follows', column: 'track_id' | 'followee_id', id: string): Promise<number> {
  const r = await sql<{
    n: string;
  }>`select count(*) as n from ${sql.table(table)} where ${sql.ref(column)} = ${id}`.execute(api.db);
  return Number(r.rows[0]!.n);
}

const api = useTestApi({ infra: { database: 'postgres' } });
beforeAll(async () => {
  api.t.infra.progress.subscribe((e) => live.push(e));
  artist = await user('artist');
  fan = await user('listener');
});

describe('likes and reposts', () => {
  it('PUT twice = once (200 with the counts), DELETE twice: 200 then 204', async () => {
    const track = await createReadyTrack(api.db, artist.id, 'liked');
    const first = await call(fan, 'PUT', `/api/v1/tracks/${track.id}/like`);
    expect(first.statusCode).toBe(200);
    expect(first.json().track).toMatchObject({ id: track.id, likeCount: 1, liked: true, reposted: false });
    expect((await call(fan, 'PUT', `/api/v1/tracks/${track.id}/like`)).json().track.likeCount).toBe(1);
    expect((await call(fan, 'PUT', `/api/v1/tracks/${track.id}/repost`)).json().track).toMatchObject({
      likeCount: 1,
      repostCount: 1,
      reposted: true,
    });
    const off = await call(fan, 'DELETE', `/api/v1/tracks/${track.id}/like`);
    expect(off.statusCode).toBe(200);
    expect(off.json().track).toMatchObject({ likeCount: 0, liked: false });
    expect((await call(fan, 'DELETE', `/api/v1/tracks/${track.id}/like`)).statusCode).toBe(204);
    expect((await call(fan, 'DELETE', '/api/v1/tracks/999999999/like')).statusCode).toBe(204);
    expect(await trackRow(track.id)).toMatchObject({ like_count: 0, repost_count: 1 });
  });

  it('50 concurrent like/unlike pairs (and 50 likes) leave the exact count', async () => {
    const track = await createReadyTrack(api.db, artist.id, 'contended');
    const people = await Promise.all(Array.from({ length: 50 }, () => user('listener')));
    // Each person: like, then unlike — all interleaved; plus 25 who only like.
    await Promise.all(
      people.map(async (p) => {
        await call(p, 'PUT', `/api/v1/tracks/${track.id}/like`);
        await call(p, 'DELETE', `/api/v1/tracks/${track.id}/like`);
      }),
    );
    await Promise.all(
      people
        .slice(0, 25)
        .flatMap((p) => [
          call(p, 'PUT', `/api/v1/tracks/${track.id}/like`),
          call(p, 'PUT', `/api/v1/tracks/${track.id}/like`),
        ]),
    );
    // And unordered pairs racing each other for the other 25.
    await Promise.all(
      people
        .slice(25)
        .flatMap((p) => [
          call(p, 'PUT', `/api/v1/tracks/${track.id}/like`),
          call(p, 'DELETE', `/api/v1/tracks/${track.id}/like`),
        ]),
    );
    const counted = (await trackRow(track.id)).like_count;
    expect(counted).toBe(await rowsWhere('likes', 'track_id', track.id));
    expect(counted).toBeGreaterThanOrEqual(25);
    expect((await call(null, 'GET', `/api/v1/tracks/${track.id}/counts`)).json().track.likeCount).toBe(counted);
  });

  it('liking a deleted, private or unknown track is a 404 and writes nothing; anonymous a 401', async () => {
    const priv = await createReadyTrack(api.db, artist.id, 'hidden', { visibility: 'private' });
    expect((await call(fan, 'PUT', `/api/v1/tracks/${priv.id}/like`)).statusCode).toBe(404);
    expect((await call(fan, 'PUT', `/api/v1/tracks/${priv.id}/repost`)).statusCode).toBe(404);
    const gone = await createReadyTrack(api.db, artist.id, 'deleted');
    await api.db.deleteFrom('tracks').where('id', '=', gone.id).execute();
    expect((await call(fan, 'PUT', `/api/v1/tracks/${gone.id}/like`)).statusCode).toBe(404);
    expect((await call(null, 'PUT', `/api/v1/tracks/${priv.id}/like`)).statusCode).toBe(401);
    expect(await api.db.selectFrom('likes').selectAll().where('track_id', 'in', [priv.id, gone.id]).execute()).toEqual(
      [],
    );
  });

  it('who liked and who reposted, newest first, paginated', async () => {
    const track = await createReadyTrack(api.db, artist.id, 'popular');
    const people = [];
    for (let i = 0; i < 5; i++) {
      const p = await user('listener');
      people.push(p);
      await call(p, 'PUT', `/api/v1/tracks/${track.id}/like`);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ handle: string }>; nextCursor: string | null } = (
        await call(null, 'GET', `/api/v1/tracks/${track.id}/likes?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      seen.push(...page.items.map((u: { handle: string }) => u.handle));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(people.map((p) => p.handle).reverse());
    expect((await call(null, 'GET', `/api/v1/tracks/${track.id}/reposts`)).json()).toEqual({
      items: [],
      nextCursor: null,
    });
  });
});

describe('follows', () => {
  it('follow / unfollow are idempotent and move both accounts’ counts; following yourself is a 400', async () => {
    const a = await user('artist');
    const b = await user('listener');
    const res = await call(b, 'PUT', `/api/v1/users/${a.handle}/follow`);
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ handle: a.handle, followerCount: 1, following: true });
    await call(b, 'PUT', `/api/v1/users/${a.handle}/follow`);
    expect((await call(null, 'GET', `/api/v1/users/${b.handle}/counts`)).json().user).toMatchObject({
      followerCount: 0,
      followingCount: 1,
    });
    expect(
      (await call(null, 'GET', `/api/v1/users/${a.handle}/followers`))
        .json()
        .items.map((u: { handle: string }) => u.handle),
    ).toEqual([b.handle]);
    expect(
      (await call(null, 'GET', `/api/v1/users/${b.handle}/following`))
        .json()
        .items.map((u: { handle: string }) => u.handle),
    ).toEqual([a.handle]);
    expect((await call(b, 'DELETE', `/api/v1/users/${a.handle}/follow`)).json().user.followerCount).toBe(0);
    expect((await call(b, 'DELETE', `/api/v1/users/${a.handle}/follow`)).statusCode).toBe(204);
    expect((await call(a, 'PUT', `/api/v1/users/${a.handle}/follow`)).statusCode).toBe(400);
    expect((await call(a, 'PUT', '/api/v1/users/nobody-here/follow')).statusCode).toBe(404);
    expect((await call(a, 'DELETE', '/api/v1/users/nobody-here/follow')).statusCode).toBe(404);
  });

  it('50 concurrent follow/unfollow pairs keep both counts exact', async () => {
    const star = await user('artist');
    const people = await Promise.all(Array.from({ length: 50 }, () => user('listener')));
    await Promise.all(
      people.flatMap((p) => [
        call(p, 'PUT', `/api/v1/users/${star.handle}/follow`),
        call(p, 'DELETE', `/api/v1/users/${star.handle}/follow`),
      ]),
    );
    const row = await api.db
      .selectFrom('users')
      .select('follower_count')
      .where('id', '=', star.id)
      .executeTakeFirstOrThrow();
    expect(row.follower_count).toBe(await rowsWhere('follows', 'followee_id', star.id));
  });
});

describe('feed', () => {
  it('uploads and reposts of followed accounts, newest first, one entry per track, "reposted by"', async () => {
    const reader = await user('listener');
    const a = await user('artist');
    const b = await user('artist');
    const c = await user('listener');
    const stranger = await user('artist');
    for (const x of [a, b, c]) await call(reader, 'PUT', `/api/v1/users/${x.handle}/follow`);
    const a1 = await createReadyTrack(api.db, a.id, 'a-one');
    const s1 = await createReadyTrack(api.db, stranger.id, 's-one');
    const b1 = await createReadyTrack(api.db, b.id, 'b-one');
    await createReadyTrack(api.db, stranger.id, 's-two');
    await createReadyTrack(api.db, a.id, 'a-private', { visibility: 'private' });
    await call(c, 'PUT', `/api/v1/tracks/${s1.id}/repost`);
    await call(b, 'PUT', `/api/v1/tracks/${s1.id}/repost`);
    await call(c, 'PUT', `/api/v1/tracks/${a1.id}/repost`);
    const all = await wholeFeed<{ track: { id: string }; repostedBy: Array<{ handle: string }> }>(reader);
    expect(all.map((e) => e.track.id)).toEqual([a1.id, s1.id, b1.id]);
    expect(all[0]!.repostedBy.map((p) => p.handle)).toEqual([c.handle]);
    expect(all[1]!.repostedBy.map((p) => p.handle)).toEqual([b.handle, c.handle]);
    expect(all[2]!.repostedBy).toEqual([]);
    expect((await call(null, 'GET', '/api/v1/feed')).statusCode).toBe(401);
    expect((await call(reader, 'GET', '/api/v1/feed?cursor=bad')).statusCode).toBe(400);
  });
});

describe('feed: releases', () => {
  it('a followed artist’s public release is one entry, its tracks not one by one; private and scheduled releases are not in it; cursors hold', async () => {
    const reader = await user('listener');
    const d = await user('artist');
    await call(reader, 'PUT', `/api/v1/users/${d.handle}/follow`);
    const [d1, d2, d3, d4] = [
      await createReadyTrack(api.db, d.id, 'd-one'),
      await createReadyTrack(api.db, d.id, 'd-two'),
      await createReadyTrack(api.db, d.id, 'd-three'),
      await createReadyTrack(api.db, d.id, 'd-four'),
    ];
    const album = await createRelease(api.db, d.id, 'The Album', [d1!.id, d2!.id], null);
    const hidden = await createRelease(api.db, d.id, 'Hidden', [d3!.id], null);
    await api.db.updateTable('releases').set({ visibility: 'private' }).where('id', '=', hidden).execute();
    const later = await createRelease(api.db, d.id, 'Later', [d4!.id], null);
    await api.db
      .updateTable('releases')
      .set({ release_date: new Date(Date.now() + 86_400_000) })
      .where('id', '=', later)
      .execute();
    type Entry = { kind: string; track: { id: string } | null; release: { id: string; trackCount: number } | null };
    const all = await wholeFeed<Entry>(reader);
    expect(all.map((e) => (e.kind === 'release' ? `r${e.release!.id}` : `t${e.track!.id}`))).toEqual([
      `r${album}`,
      `t${d4!.id}`,
      `t${d3!.id}`,
    ]);
    expect(all[0]).toMatchObject({ kind: 'release', track: null, release: { title: 'The Album', trackCount: 2 } });
    // A repost of an album track by a followed account is still a track entry ("reposted by").
    const e = await user('listener');
    await call(reader, 'PUT', `/api/v1/users/${e.handle}/follow`);
    await call(e, 'PUT', `/api/v1/tracks/${d1!.id}/repost`);
    const first = (await call(reader, 'GET', '/api/v1/feed?limit=5')).json().items;
    expect(first[0]).toMatchObject({ kind: 'track', track: { id: d1!.id }, repostedBy: [{ handle: e.handle }] });
    expect(first[1]).toMatchObject({ kind: 'release', release: { id: album } });
    // Hostile cursors: a key that is not a number, two minus signs, a huge one.
    for (const bad of [
      '2026-12-02T10:00:00Z|--1',
      '2026-12-02T10:00:00Z|-',
      '2026-12-02T10:00:00Z|-1234567890123456789',
    ])
      expect(
        (await call(reader, 'GET', `/api/v1/feed?cursor=${Buffer.from(bad).toString('base64url')}`)).statusCode,
      ).toBe(400);
  });
});

describe('notifications', () => {
  it('likes of one track are grouped, comments are not; marking read empties the count; live events go out', async () => {
    const owner = await user('artist');
    const track = await createReadyTrack(api.db, owner.id, 'noticed', { durationMs: 30_000 });
    const likers = await Promise.all([user('listener'), user('listener'), user('listener')]);
    for (const l of likers) await call(l, 'PUT', `/api/v1/tracks/${track.id}/like`);
    // Unlike and like again: no second notification.
    await call(likers[0]!, 'DELETE', `/api/v1/tracks/${track.id}/like`);
    await call(likers[0]!, 'PUT', `/api/v1/tracks/${track.id}/like`);
    await call(likers[1]!, 'POST', '/api/v1/comments', { trackId: track.id, body: 'nice', positionMs: 12_000 });
    await call(likers[2]!, 'PUT', `/api/v1/users/${owner.handle}/follow`);
    await call(owner, 'PUT', `/api/v1/tracks/${track.id}/like`);
    const res = await call(owner, 'GET', '/api/v1/notifications');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.unreadCount).toBe(5);
    expect(body.items.map((n: { type: string; count: number }) => [n.type, n.count])).toEqual([
      ['follow', 1],
      ['comment', 1],
      ['like', 3],
    ]);
    expect(body.items[1].comment).toMatchObject({ body: 'nice', positionMs: 12_000 });
    expect(body.items[2].track).toMatchObject({ id: track.id, title: 'noticed' });
    // Delivered once the write has committed (after the reply): wait for it, no fixed sleep.
    await vi.waitFor(() =>
      expect(live.some((e) => e.type === 'notification' && e.userId === owner.id && e.kind === 'comment')).toBe(true),
    );
    expect((await call(owner, 'POST', '/api/v1/notifications/read', {})).json()).toEqual({ unreadCount: 0 });
    expect((await call(null, 'GET', '/api/v1/notifications')).statusCode).toBe(401);
  });

  it('email preferences per kind; unsubscribe by signed token without sign-in; a forged token is a 400', async () => {
    const u = await user('listener');
    expect((await call(u, 'GET', '/api/v1/me/notification-settings')).json().email).toMatchObject({
      follow: true,
      like: false,
    });
    expect(
      (await call(u, 'PATCH', '/api/v1/me/notification-settings', { email: { like: true } })).json().email.like,
    ).toBe(true);
    const { unsubscribeToken } = await import('@earshot/core');
    const token = unsubscribeToken(api.t.config.auth.jwtSecret, u.id, 'follow');
    const res = await api.app.inject({ method: 'POST', url: '/api/v1/notifications/unsubscribe', payload: { token } });
    expect(res.json()).toEqual({ unsubscribed: 'follow' });
    expect((await call(u, 'GET', '/api/v1/me/notification-settings')).json().email).toMatchObject({
      follow: false,
      like: true,
    });
    const forged = unsubscribeToken('another secret', u.id, 'comment');
    expect(
      (await api.app.inject({ method: 'POST', url: '/api/v1/notifications/unsubscribe', payload: { token: forged } }))
        .statusCode,
    ).toBe(400);
    expect(
      (
        await api.app.inject({
          method: 'POST',
          url: '/api/v1/notifications/unsubscribe',
          payload: { token: `${u.id}.sale.${'a'.repeat(43)}` },
        })
      ).statusCode,
    ).toBe(400);
  });
});

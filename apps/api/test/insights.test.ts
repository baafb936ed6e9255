/**
 * Trending and stats over HTTP on PGlite: plays reported through the API (with the ranges heard),
 * the analytics job run as the worker runs it, then the figures read back by the owner; the
 * trending list is public and cacheable; hostile ranges of dates are 4xx.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runAnalyticsJob } from '@earshot/core';
import { createReadyTrack } from '../../../test/support/factories.ts';
import { useTestApi } from '../../../test/support/use-test-api.ts';
import { bearer, createUser, sessionFor, type TestUser } from './support/accounts.ts';

let owner: TestUser;
let admin: TestUser;
let track: { id: string; versionId: string };
let ownerAuth: Record<string, string>;
let adminAuth: Record<string, string>;

const today = new Date().toISOString().slice(0, 10);

const api = useTestApi();
beforeAll(async () => {
  owner = await createUser(api.db, 'artist');
  admin = await createUser(api.db, 'admin');
  track = await createReadyTrack(api.db, owner.id, 'charted', { durationMs: 100_000 });
  await api.db.updateTable('tracks').set({ genre: 'Ambient' }).where('id', '=', track.id).execute();
  ownerAuth = bearer((await sessionFor(api.db, api.t.config, owner.id)).token);
  adminAuth = bearer((await sessionFor(api.db, api.t.config, admin.id)).token);
  // Four listeners: all hear the first 40 %, two go on to the end, one of them skipped 50–60 %.
  const reports: Array<[string, [number, number][]]> = [
    ['198.51.100.1', [[0, 40_000]]],
    ['198.51.100.2', [[0, 40_000]]],
    ['198.51.100.3', [[0, 100_000]]],
    [
      '198.51.100.4',
      [
        [0, 50_000],
        [60_000, 100_000],
      ],
    ],
  ];
  for (const [ip, ranges] of reports) {
    const res = await api.app.inject({
      method: 'POST',
      url: `/api/v1/tracks/${track.id}/plays`,
      payload: { secondsListened: 40, ranges },
      remoteAddress: ip,
    });
    expect(res.statusCode).toBe(201);
  }
  await runAnalyticsJob({ db: api.db, cache: api.t.infra.cache, clock: () => new Date(), playsRetentionDays: 90 }, {});
});

describe('GET /api/v1/trending', () => {
  it('is public, cacheable, and lists the played track overall and in its genre', async () => {
    const res = await api.app.inject('/api/v1/trending');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toMatch(/^public, max-age=(\d+)$/);
    expect(Number(/max-age=(\d+)/.exec(String(res.headers['cache-control']))![1])).toBeGreaterThanOrEqual(30);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const body = res.json();
    expect(body).toMatchObject({
      period: 'day',
      genre: null,
      tracks: [{ rank: 1, id: track.id, genre: 'Ambient', artworkUrl: null }],
    });
    expect(body.tracks[0].score).toBeGreaterThan(3.9);
    expect((await api.app.inject('/api/v1/trending?period=week&genre=ambient')).json().tracks).toHaveLength(1);
    expect((await api.app.inject('/api/v1/trending?genre=techno')).json().tracks).toEqual([]);
  });

  it.each(['period=month', `genre=${'x'.repeat(51)}`, 'limit=0', 'limit=101', 'limit=ten', 'extra=1'])(
    'refuses %s with a JSON 400',
    async (query) => {
      const res = await api.app.inject(`/api/v1/trending?${query}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBeTypeOf('string');
    },
  );
});

describe('GET /api/v1/tracks/:id/stats', () => {
  it('gives the owner daily figures, the last 30 days by default, and where listeners stop', async () => {
    const res = await api.app.inject({ url: `/api/v1/tracks/${track.id}/stats`, headers: ownerAuth });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const body = res.json();
    expect(body.days).toHaveLength(30);
    expect(body.to).toBe(today);
    expect(body.days.at(-1)).toMatchObject({ day: today, plays: 4, listeners: 4, secondsHeard: 160 });
    expect(body.totals).toMatchObject({ plays: 4, listeners: 4 });
    expect(body.reach.plays).toBe(4);
    expect(body.reach.curve).toHaveLength(100);
    expect(body.reach.curve[0]).toBe(1);
    expect(body.reach.curve[39]).toBe(1);
    expect(body.reach.curve[45]).toBe(0.5);
    expect(body.reach.curve[55]).toBe(0.25);
    expect(body.reach.curve[99]).toBe(0.5);
    // An admin sees it too.
    expect((await api.app.inject({ url: `/api/v1/tracks/${track.id}/stats`, headers: adminAuth })).statusCode).toBe(
      200,
    );
  });

  it.each([
    ['from after to', 'from=2026-05-02&to=2026-05-01'],
    ['ten years', 'from=2016-01-01&to=2026-01-01'],
    ['no such day', 'from=2026-02-30'],
    ['not a date', 'to=yesterday'],
    ['short form', 'from=2026-1-1'],
    ['a timestamp', 'from=2026-01-01T00:00:00Z'],
    ['year 0', 'from=0000-01-01&to=0000-01-02'],
    ['unknown parameter', 'days=30'],
  ])('refuses %s with a JSON 400', async (_what, query) => {
    const res = await api.app.inject({ url: `/api/v1/tracks/${track.id}/stats?${query}`, headers: ownerAuth });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBeTypeOf('string');
  });

  it('a range of exactly 366 days is fine; a missing track is 404', async () => {
    expect(
      (
        await api.app.inject({
          url: `/api/v1/tracks/${track.id}/stats?from=2025-01-01&to=2026-01-01`,
          headers: ownerAuth,
        })
      ).json().days,
    ).toHaveLength(366);
    expect((await api.app.inject({ url: '/api/v1/tracks/999999999/stats', headers: adminAuth })).statusCode).toBe(404);
  });
});

describe('GET /api/v1/me/stats and /api/v1/admin/stats', () => {
  it("the artist's own figures with top tracks; the admin's platform-wide view", async () => {
    const mine = (await api.app.inject({ url: '/api/v1/me/stats?from=' + today, headers: ownerAuth })).json();
    expect(mine).toMatchObject({
      scope: 'artist',
      from: today,
      to: today,
      totals: { plays: 4 },
      topTracks: [{ id: track.id, plays: 4, title: 'charted' }],
    });
    const platform = (await api.app.inject({ url: '/api/v1/admin/stats?from=' + today, headers: adminAuth })).json();
    expect(platform).toMatchObject({ scope: 'platform', totals: { plays: 4 } });
    const admins = (await api.app.inject({ url: '/api/v1/me/stats', headers: adminAuth })).json();
    expect(admins.totals.plays).toBe(0);
  });
});

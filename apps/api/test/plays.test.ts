/**
 * `POST /api/v1/tracks/:id/plays` over HTTP on PostgreSQL: counted plays answer 201 and move
 * `earshot_plays_total`, repeats and short listens answer 200 with the reason, bad input is a
 * JSON 4xx, the client IP comes from X-Forwarded-For only through a trusted proxy and is stored
 * only as its salted hash, and cookie-authenticated reports need the CSRF header.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { hashIp } from '@earshot/core';
import { createReadyTrack } from '../../../test/support/factories.ts';
import { useTestApi } from '../../../test/support/use-test-api.ts';
import { bearer, cookieHeaders, createUser, sessionFor, type TestUser } from './support/accounts.ts';

let owner: TestUser;
let listener: TestUser;
let pub: { id: string; versionId: string };
let priv: { id: string; versionId: string };
let short: { id: string; versionId: string };
let ipSeq = 1;
/** A client address of its own per report, so dedupe of one test does not reach into another. */
const nextIp = () => `198.51.100.${ipSeq++}`;

/** The percents heard that the play counted from this address for the track stores (its IP only as a hash). */
async function heardOf(trackId: string, ip: string): Promise<number[] | null> {
  const row = await api.db
    .selectFrom('plays')
    .select('heard_pct')
    .where('track_id', '=', trackId)
    .where('ip_hash', '=', hashIp(ip, api.t.config.analytics.ipHashSalt))
    .executeTakeFirstOrThrow();
  return row.heard_pct;
}

async function playsTotal(): Promise<number> {
  const res = await api.app.inject('/metrics');
  const m = /^earshot_plays_total(?:\{[^}]*\})? (\d+)$/m.exec(res.body);
  if (!m) throw new Error('earshot_plays_total is missing from /metrics');
  return Number(m[1]);
}

const report = (
  trackId: string,
  payload: unknown,
  options: { headers?: Record<string, string>; remoteAddress?: string } = {},
) =>
  api.app.inject({
    method: 'POST',
    url: `/api/v1/tracks/${trackId}/plays`,
    payload: payload as object,
    headers: options.headers,
    remoteAddress: options.remoteAddress ?? nextIp(),
  });

const api = useTestApi({ infra: { database: 'postgres', env: { TRUST_PROXY: '10.0.0.1' } } });
beforeAll(async () => {
  owner = await createUser(api.db, 'artist');
  listener = await createUser(api.db, 'listener');
  pub = await createReadyTrack(api.db, owner.id, 'public-one', { visibility: 'public', durationMs: 180_000 });
  priv = await createReadyTrack(api.db, owner.id, 'private-one', { visibility: 'private', durationMs: 180_000 });
  short = await createReadyTrack(api.db, owner.id, 'short-one', { visibility: 'public', durationMs: 4_000 });
});

describe('counting', () => {
  it('201 {counted: true} once, then 200 already_counted; the metric moves once', async () => {
    const before = await playsTotal();
    const ip = nextIp();
    const first = await report(pub.id, { secondsListened: 30, versionId: pub.versionId }, { remoteAddress: ip });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({ counted: true });
    const again = await report(pub.id, { secondsListened: 45 }, { remoteAddress: ip });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ counted: false, reason: 'already_counted' });
    expect(await playsTotal()).toBe(before + 1);
    const row = await api.db
      .selectFrom('plays')
      .selectAll()
      .where('track_id', '=', pub.id)
      .where('ip_hash', '=', hashIp(ip, api.t.config.analytics.ipHashSalt))
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ version_id: pub.versionId, user_id: null, seconds_listened: 30 });
  });

  it('200 not_enough_listened below 30 s; a short track counts when heard to its end', async () => {
    const before = await playsTotal();
    const res = await report(pub.id, { secondsListened: 12 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ counted: false, reason: 'not_enough_listened' });
    expect((await report(short.id, { secondsListened: 3.9 })).statusCode).toBe(201);
    expect(await playsTotal()).toBe(before + 1);
  });

  it('a signed-in listener is counted by account (Bearer, or cookie + CSRF header)', async () => {
    const session = await sessionFor(api.db, api.t.config, listener.id);
    const viaBearer = await report(pub.id, { secondsListened: 31 }, { headers: bearer(session.token) });
    expect(viaBearer.statusCode).toBe(201);
    // Another address, same account: already counted.
    const viaCookie = await report(pub.id, { secondsListened: 31 }, { headers: cookieHeaders(session) });
    expect(viaCookie.json()).toEqual({ counted: false, reason: 'already_counted' });
    const rows = await api.db.selectFrom('plays').select('user_id').where('user_id', '=', listener.id).execute();
    expect(rows).toHaveLength(1);
  });

  it('a cookie without the CSRF header is refused', async () => {
    const session = await sessionFor(api.db, api.t.config, listener.id);
    const res = await report(short.id, { secondsListened: 4 }, { headers: cookieHeaders(session, false) });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('csrf_failed');
  });

  it('the client IP is X-Forwarded-For only from a trusted proxy, and is stored hashed', async () => {
    const salt = api.t.config.analytics.ipHashSalt;
    const viaProxy = await report(
      short.id,
      { secondsListened: 4 },
      { remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': '192.0.2.200' } },
    );
    expect(viaProxy.statusCode).toBe(201);
    const spoofed = await report(
      short.id,
      { secondsListened: 4 },
      { remoteAddress: '192.0.2.99', headers: { 'x-forwarded-for': '192.0.2.201' } },
    );
    expect(spoofed.statusCode).toBe(201);
    const hashes = (await api.db.selectFrom('plays').select('ip_hash').where('track_id', '=', short.id).execute()).map(
      (r) => r.ip_hash,
    );
    expect(hashes).toContain(hashIp('192.0.2.200', salt));
    expect(hashes).toContain(hashIp('192.0.2.99', salt));
    expect(hashes).not.toContain(hashIp('192.0.2.201', salt));
    expect(hashes).not.toContain(hashIp('10.0.0.1', salt));
  });
});

describe('bad input is a JSON 4xx', () => {
  const cases: Array<[string, () => string, unknown, number, string]> = [
    // (payloads that name fixtures are functions: the fixtures exist only once beforeAll ran)
    ['missing secondsListened', () => pub.id, {}, 400, 'validation_failed'],
    ['negative seconds', () => pub.id, { secondsListened: -1 }, 400, 'validation_failed'],
    ['seconds as a non-number', () => pub.id, { secondsListened: 'NaN' }, 400, 'validation_failed'],
    ['null seconds', () => pub.id, { secondsListened: null }, 400, 'validation_failed'],
    ['huge seconds', () => pub.id, { secondsListened: 1e308 }, 400, 'validation_failed'],
    ['seconds longer than the track', () => short.id, { secondsListened: 60 }, 400, 'validation_failed'],
    ['an unknown field', () => pub.id, { secondsListened: 30, foo: 1 }, 400, 'validation_failed'],
    ['a malformed versionId', () => pub.id, { secondsListened: 30, versionId: 'abc' }, 400, 'validation_failed'],
    [
      'a version of another track',
      () => pub.id,
      () => ({ secondsListened: 30, versionId: short.versionId }),
      400,
      'validation_failed',
    ],
    ['an unknown track', () => '987654321', { secondsListened: 30 }, 404, 'not_found'],
    ['a malformed track id', () => 'abc', { secondsListened: 30 }, 400, 'validation_failed'],
    ['a private track, anonymously', () => priv.id, { secondsListened: 30 }, 404, 'not_found'],
  ];
  for (const [what, id, payload, status, code] of cases) {
    it(what, async () => {
      const before = await playsTotal();
      const res = await report(id(), typeof payload === 'function' ? (payload as () => unknown)() : payload);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json()).toEqual({
        error: {
          code,
          message: expect.any(String),
          ...(res.json().error.details ? { details: expect.anything() } : {}),
        },
      });
      expect(await playsTotal()).toBe(before);
    });
  }

  it('not JSON at all', async () => {
    const res = await api.app.inject({
      method: 'POST',
      url: `/api/v1/tracks/${pub.id}/plays`,
      headers: { 'content-type': 'application/json' },
      payload: '{"secondsListened":',
      remoteAddress: nextIp(),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_json');
  });

  it('the owner may report plays of their private track', async () => {
    const session = await sessionFor(api.db, api.t.config, owner.id);
    const res = await report(priv.id, { secondsListened: 30 }, { headers: bearer(session.token) });
    expect(res.statusCode).toBe(201);
  });
});

describe('ranges heard ("where listeners stop")', () => {
  it('stores the 1% buckets a play heard; a later report of the same listening extends them', async () => {
    const ip = nextIp();
    // 180 s track: 0–36 s is 0..19 %.
    const first = await report(pub.id, { secondsListened: 36, ranges: [[0, 36_000]] }, { remoteAddress: ip });
    expect(first.statusCode).toBe(201);
    const again = await report(
      pub.id,
      {
        secondsListened: 54,
        ranges: [
          [0, 36_000],
          [90_000, 108_000],
        ],
      },
      { remoteAddress: ip },
    );
    expect(again.json()).toEqual({ counted: false, reason: 'already_counted' });
    expect(await heardOf(pub.id, ip)).toEqual([
      ...Array.from({ length: 20 }, (_, i) => i),
      ...Array.from({ length: 10 }, (_, i) => 50 + i),
    ]);
  });

  it('a report without ranges still counts (older players)', async () => {
    const ip = nextIp();
    expect((await report(pub.id, { secondsListened: 40 }, { remoteAddress: ip })).statusCode).toBe(201);
    expect(await heardOf(pub.id, ip)).toBeNull();
  });

  it.each([
    ['not an array', { ranges: 'all of it' }],
    ['a pair of three', { ranges: [[0, 1, 2]] }],
    ['strings', { ranges: [['0', '1000']] }],
    ['null bounds', { ranges: [[null, 1000]] }],
    ['end before start', { ranges: [[5000, 1000]] }],
    ['negative', { ranges: [[-1, 1000]] }],
    ['past the track', { ranges: [[0, 186_000]] }],
    ['too many', { ranges: Array.from({ length: 201 }, (_, i) => [i, i + 1]) }],
  ])('refuses ranges that are %s with a 400 and stores nothing', async (_what, extra) => {
    const ip = nextIp();
    const res = await report(pub.id, { secondsListened: 40, ...extra }, { remoteAddress: ip });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBeTypeOf('string');
    expect(
      await api.db
        .selectFrom('plays')
        .select('id')
        .where('ip_hash', '=', hashIp(ip, api.t.config.analytics.ipHashSalt))
        .execute(),
    ).toEqual([]);
  });
});

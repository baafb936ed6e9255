/**
 * The play rule with in-memory ports and a test clock: threshold, short tracks, dedupe per listener
 * per track per 30 minutes, bad numbers, and the IP hash (salted, never the raw IP).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  AppError,
  hashIp,
  notFound,
  recordPlay,
  requiredSeconds,
  validationFailed,
  type NewPlay,
  type PlaysDeps,
  type PlayableVersion,
  type PlayReport,
} from '../../src/index.ts';

const SALT = 'a-test-salt-that-is-long-enough-0123456789';

interface Fake {
  deps: PlaysDeps;
  stored: NewPlay[];
  advance(ms: number): void;
}

/** Tracks by id: `t30` is 3 minutes long, `t20` 20 s, `tnull` of unknown duration; `private` only for user 1. */
function fakeDeps(): Fake {
  let now = Date.parse('2026-03-01T12:00:00Z');
  const stored: NewPlay[] = [];
  const tracks: Record<string, PlayableVersion & { privateTo?: string }> = {
    t30: { trackId: 't30', versionId: 'v30', durationMs: 180_000 },
    t20: { trackId: 't20', versionId: 'v20', durationMs: 20_000 },
    tnull: { trackId: 'tnull', versionId: 'vnull', durationMs: null },
    private: { trackId: 'private', versionId: 'vp', durationMs: 180_000, privateTo: '1' },
  };
  const deps: PlaysDeps = {
    ipHashSalt: SALT,
    clock: () => new Date(now),
    async findPlayableVersion(trackId, versionId, actor) {
      const t = tracks[trackId];
      if (!t || (t.privateTo && actor?.id !== t.privateTo)) throw notFound('Track');
      if (versionId !== undefined && versionId !== t.versionId)
        throw validationFailed('versionId is not a playable version of this track');
      return t;
    },
    async insertUnlessRecent(play, since) {
      const dup = stored.some(
        (p) =>
          p.trackId === play.trackId &&
          p.at > since &&
          (play.userId !== null ? p.userId === play.userId : p.userId === null && p.ipHash === play.ipHash),
      );
      if (dup) return false;
      stored.push(play);
      return true;
    },
  };
  return { deps, stored, advance: (ms) => (now += ms) };
}

let f: Fake;
beforeEach(() => {
  f = fakeDeps();
});

const report = (over: Partial<PlayReport> = {}): PlayReport => ({
  trackId: 't30',
  secondsListened: 30,
  ip: '203.0.113.7',
  ...over,
});
const alice = { id: '1', role: 'listener' as const };
const bob = { id: '2', role: 'listener' as const };

describe('threshold', () => {
  it('counts at 30 s, not before', async () => {
    await expect(recordPlay(f.deps, report({ secondsListened: 29.9 }))).resolves.toEqual({
      counted: false,
      reason: 'not_enough_listened',
    });
    await expect(recordPlay(f.deps, report({ secondsListened: 30 }))).resolves.toEqual({ counted: true });
    expect(f.stored).toHaveLength(1);
    expect(f.stored[0]).toMatchObject({ trackId: 't30', versionId: 'v30', userId: null, secondsListened: 30 });
  });

  it('a track shorter than 30 s counts when heard to its end, give or take a little', async () => {
    expect(requiredSeconds(20)).toBe(18.5);
    expect(requiredSeconds(3)).toBeCloseTo(2.7);
    expect(requiredSeconds(31)).toBe(29.5);
    expect(requiredSeconds(600)).toBe(30);
    expect(requiredSeconds(null)).toBe(30);
    await expect(recordPlay(f.deps, report({ trackId: 't20', secondsListened: 18 }))).resolves.toEqual({
      counted: false,
      reason: 'not_enough_listened',
    });
    await expect(recordPlay(f.deps, report({ trackId: 't20', secondsListened: 19.8 }))).resolves.toEqual({
      counted: true,
    });
  });

  it('unknown duration: 30 s', async () => {
    await expect(recordPlay(f.deps, report({ trackId: 'tnull', secondsListened: 29 }))).resolves.toMatchObject({
      counted: false,
    });
    await expect(recordPlay(f.deps, report({ trackId: 'tnull', secondsListened: 31 }))).resolves.toEqual({
      counted: true,
    });
  });
});

describe('once per listener per track per 30 minutes', () => {
  it('a signed-in listener: their user id, whatever their IP', async () => {
    await expect(recordPlay(f.deps, report({ actor: alice }))).resolves.toEqual({ counted: true });
    await expect(recordPlay(f.deps, report({ actor: alice, ip: '198.51.100.1' }))).resolves.toEqual({
      counted: false,
      reason: 'already_counted',
    });
    f.advance(29 * 60_000);
    await expect(recordPlay(f.deps, report({ actor: alice }))).resolves.toEqual({
      counted: false,
      reason: 'already_counted',
    });
    f.advance(60_000);
    await expect(recordPlay(f.deps, report({ actor: alice }))).resolves.toEqual({ counted: true });
    // Another listener on the same IP, and another track, are separate.
    await expect(recordPlay(f.deps, report({ actor: bob }))).resolves.toEqual({ counted: true });
    await expect(recordPlay(f.deps, report({ actor: alice, trackId: 't20', secondsListened: 20 }))).resolves.toEqual({
      counted: true,
    });
  });

  it('anonymous listeners: the salted hash of their IP', async () => {
    await expect(recordPlay(f.deps, report())).resolves.toEqual({ counted: true });
    await expect(recordPlay(f.deps, report())).resolves.toEqual({ counted: false, reason: 'already_counted' });
    // The same client seen through a dual-stack socket is the same listener.
    await expect(recordPlay(f.deps, report({ ip: '::ffff:203.0.113.7' }))).resolves.toEqual({
      counted: false,
      reason: 'already_counted',
    });
    await expect(recordPlay(f.deps, report({ ip: '203.0.113.8' }))).resolves.toEqual({ counted: true });
    // Signing in makes a different listener.
    await expect(recordPlay(f.deps, report({ actor: alice }))).resolves.toEqual({ counted: true });
  });
});

describe('bad reports', () => {
  for (const [what, seconds] of [
    ['negative', -1],
    ['NaN', Number.NaN],
    ['infinite', Number.POSITIVE_INFINITY],
    ['longer than the track', 180 + 5.5],
    ['absurd', 1e308],
  ] as const) {
    it(`${what} secondsListened → 400`, async () => {
      const err = await recordPlay(f.deps, report({ secondsListened: seconds })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ status: 400, code: 'validation_failed', details: { field: 'secondsListened' } });
      expect(f.stored).toEqual([]);
    });
  }

  it('a little over the duration is fine (rounding)', async () => {
    await expect(recordPlay(f.deps, report({ trackId: 't20', secondsListened: 24 }))).resolves.toEqual({
      counted: true,
    });
  });

  it('a track the caller may not play → 404, a version of another track → 400', async () => {
    await expect(recordPlay(f.deps, report({ trackId: 'private' }))).rejects.toMatchObject({ status: 404 });
    await expect(recordPlay(f.deps, report({ trackId: 'private', actor: bob }))).rejects.toMatchObject({ status: 404 });
    await expect(recordPlay(f.deps, report({ trackId: 'private', actor: alice }))).resolves.toEqual({ counted: true });
    await expect(recordPlay(f.deps, report({ trackId: 'nope' }))).rejects.toMatchObject({ status: 404 });
    await expect(recordPlay(f.deps, report({ versionId: 'v20' }))).rejects.toMatchObject({ status: 400 });
  });
});

describe('the IP hash', () => {
  it('is HMAC-SHA-256 hex, depends on the salt, and never contains the IP', async () => {
    await recordPlay(f.deps, report());
    const h = f.stored[0]!.ipHash;
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(h).toBe(hashIp('203.0.113.7', SALT));
    expect(hashIp('203.0.113.7', `${SALT}x`)).not.toBe(h);
    expect(JSON.stringify(f.stored)).not.toContain('203.0.113.7');
  });

  it('refuses to hash without a salt', () => {
    expect(() => hashIp('203.0.113.7', '')).toThrow(/salt/);
  });
});

describe('the limits exactly, what is stored, and what each refusal says', () => {
  const refusal = async (over: Partial<PlayReport>) => {
    const err = await recordPlay(f.deps, report(over)).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, code: 'validation_failed' });
    return [(err as AppError).message, (err as AppError).details];
  };
  /** Ports recording what `recordPlay` passed them. */
  function spying(durationMs: number | null) {
    const calls: { find?: unknown[]; insert?: [NewPlay, Date] } = {};
    const deps: PlaysDeps = {
      ...f.deps,
      async findPlayableVersion(trackId, versionId, actor) {
        calls.find = [trackId, versionId, actor];
        return { trackId: 'T', versionId: 'V', durationMs };
      },
      async insertUnlessRecent(play, since) {
        calls.insert = [play, since];
        return true;
      },
    };
    return { deps, calls };
  }

  it('refusals name the field and the limit', async () => {
    const field = { field: 'secondsListened' };
    expect(await refusal({ secondsListened: Number.NaN })).toEqual(['secondsListened must be a finite number', field]);
    expect(await refusal({ secondsListened: '40' as unknown as number })).toEqual([
      'secondsListened must be a finite number',
      field,
    ]);
    expect(await refusal({ secondsListened: -0.1 })).toEqual(['secondsListened must not be negative', field]);
    expect(await refusal({ secondsListened: 185.1 })).toEqual([
      'secondsListened is longer than the track (at most 185 s)',
      field,
    ]);
    expect(await refusal({ trackId: 'tnull', secondsListened: 86_400.5 })).toEqual([
      'secondsListened is longer than the track (at most 86400 s)',
      field,
    ]);
    // The shape is checked before the track is looked up: a bad number on a hidden track is a 400.
    expect(await refusal({ trackId: 'private', secondsListened: -1 })).toEqual([
      'secondsListened must not be negative',
      field,
    ]);
    expect(await refusal({ trackId: 'nope', secondsListened: 1e9 })).toEqual([
      'secondsListened is longer than the track (at most 86400 s)',
      field,
    ]);
  });

  it('the limits themselves are accepted', async () => {
    await expect(recordPlay(f.deps, report({ secondsListened: 185 }))).resolves.toEqual({ counted: true });
    await expect(recordPlay(f.deps, report({ trackId: 'tnull', secondsListened: 86_400 }))).resolves.toEqual({
      counted: true,
    });
    await expect(recordPlay(f.deps, report({ trackId: 't20', secondsListened: 0 }))).resolves.toEqual({
      counted: false,
      reason: 'not_enough_listened',
    });
  });

  it('a zero duration is an unknown one: 30 s needed, up to 24 h accepted', async () => {
    const zero = spying(0);
    await expect(recordPlay(zero.deps, report({ secondsListened: 29 }))).resolves.toMatchObject({ counted: false });
    await expect(recordPlay(zero.deps, report({ secondsListened: 3000, ranges: [[0, 1000]] }))).resolves.toEqual({
      counted: true,
    });
    expect(zero.calls.insert?.[0].heardPct).toBeNull();
    expect(requiredSeconds(0)).toBe(30);
    expect(requiredSeconds(-5)).toBe(30);
    expect(requiredSeconds(15)).toBe(13.5);
  });

  it('stores the whole play: the port’s track and version, the listener, the time; 30 minutes back', async () => {
    const s = spying(100_000);
    await recordPlay(s.deps, report({ actor: alice, versionId: 'v9', secondsListened: 31.5, ranges: [[0, 2_500]] }));
    expect(s.calls.find).toEqual(['t30', 'v9', alice]);
    const [play, since] = s.calls.insert!;
    expect(play).toEqual({
      trackId: 'T',
      versionId: 'V',
      userId: '1',
      ipHash: hashIp('203.0.113.7', SALT),
      secondsListened: 31.5,
      at: new Date('2026-03-01T12:00:00Z'),
      heardPct: [0, 1, 2],
    });
    expect(since).toEqual(new Date('2026-03-01T11:30:00Z'));
    await recordPlay(s.deps, report());
    expect(s.calls.insert?.[0]).toMatchObject({ userId: null, heardPct: null });
  });

  it('ranges are checked against the version’s duration even when the play does not count', async () => {
    const s = spying(20_000);
    const err = await recordPlay(s.deps, report({ secondsListened: 1, ranges: [[0, 25_001]] })).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ status: 400, details: { field: 'ranges' } });
    expect(s.calls.insert).toBeUndefined();
  });

  it('the IP is trimmed and lower-cased; only a real IPv4 inside ::ffff: is unwrapped', () => {
    expect(hashIp(' 2001:DB8::1 ', SALT)).toBe(hashIp('2001:db8::1', SALT));
    expect(hashIp('::FFFF:203.0.113.7', SALT)).toBe(hashIp('203.0.113.7', SALT));
    expect(hashIp('::ffff:999.0.113.7', SALT)).not.toBe(hashIp('999.0.113.7', SALT));
    expect(hashIp('1::ffff:203.0.113.7', SALT)).not.toBe(hashIp('203.0.113.7', SALT));
    expect(hashIp('::ffff:203.0.113.7.1', SALT)).not.toBe(hashIp('203.0.113.7.1', SALT));
    expect(hashIp('::ffff:203.0.113.7.1', SALT)).not.toBe(hashIp('203.0.113.7', SALT));
    expect(hashIp('::ffff:203.0.113', SALT)).not.toBe(hashIp('203.0.113', SALT));
  });
});

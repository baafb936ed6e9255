import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  MAX_SIGNED_TTL_SECONDS,
  secureLinkHash,
  signHlsPath,
  signUrl,
  verifyHlsRequest,
  verifySignedUrl,
} from '../../src/playback/signed-media.ts';

const SECRET = 'test-secret';
/** 2023-11-14T22:13:20Z */
const T0 = 1_700_000_000;
const at = (seconds: number) => seconds * 1000;

// Known vectors, computed by hand with
//   printf '%s' '1700000000/version-123 test-secret' | openssl md5 -binary | base64 | tr '+/' '-_' | tr -d '='
const HLS_VECTOR = { versionId: '123', expires: T0, sig: 'VCjfUyHGM6gQ134WyVn35Q' };
//   printf '%s' '1700000000/media/hls/version-123/playlist.m3u8 test-secret' | openssl md5 -binary | base64 | tr '+/' '-_' | tr -d '='
const QUERY_VECTOR = { path: '/media/hls/version-123/playlist.m3u8', expires: T0, sig: 'U5uIoACniSghcSAMXmvsFw' };

const signed = (versionId = '123', ttl = 3600, now = at(T0)) => signHlsPath(versionId, ttl, SECRET, now);
/** The signed prefix `/media/hls/<sig>/<expires>/` of a signed path. */
const prefixOf = (path: string) => path.slice(0, path.indexOf('/version-') + 1);

describe('signHlsPath', () => {
  it('matches the hand-computed vector', () => {
    const { path, expiresAt } = signHlsPath('123', 0 + 3600, SECRET, at(T0 - 3600));
    expect(path).toBe(`/media/hls/${HLS_VECTOR.sig}/${T0}/version-123/playlist.m3u8`);
    expect(expiresAt.toISOString()).toBe('2023-11-14T22:13:20.000Z');
  });

  it('matches openssl for a random secret and version', () => {
    const secret = `s-${Math.random().toString(36).slice(2)}`;
    const { path } = signHlsPath('987654', 120, secret, at(T0));
    const input = `${T0 + 120}/version-987654 ${secret}`;
    const ssl = spawnSync('openssl', ['md5', '-binary'], { input });
    expect(ssl.status).toBe(0);
    const expected = ssl.stdout.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(path).toBe(`/media/hls/${expected}/${T0 + 120}/version-987654/playlist.m3u8`);
  });

  it('accepts a Date for now and floors milliseconds', () => {
    expect(signHlsPath('123', 60, SECRET, new Date(at(T0) + 999)).path).toBe(
      signHlsPath('123', 60, SECRET, at(T0)).path,
    );
  });

  it('refuses bad input instead of signing it', () => {
    expect(() => signHlsPath('12/../3', 60, SECRET, at(T0))).toThrow(RangeError);
    expect(() => signHlsPath('', 60, SECRET, at(T0))).toThrow(RangeError);
    expect(() => signHlsPath('123', 0, SECRET, at(T0))).toThrow(RangeError);
    expect(() => signHlsPath('123', 1.5, SECRET, at(T0))).toThrow(RangeError);
    expect(() => signHlsPath('123', MAX_SIGNED_TTL_SECONDS + 1, SECRET, at(T0))).toThrow(RangeError);
    expect(() => signHlsPath('123', 60, '', at(T0))).toThrow(/secret/);
  });
});

describe('verifyHlsRequest', () => {
  it('accepts the master playlist and every relative URI under the same prefix', () => {
    const { path } = signed();
    const prefix = prefixOf(path);
    for (const file of [
      'playlist.m3u8',
      '128k/index.m3u8',
      '128k/init.mp4',
      '128k/seg_00001.m4s',
      'hi_fi-2/seg_123456789.m4s',
    ]) {
      expect(verifyHlsRequest(`${prefix}version-123/${file}`, SECRET, at(T0))).toEqual({
        ok: true,
        versionId: '123',
        objectKey: `version-123/${file}`,
        file,
        expires: T0 + 3600,
      });
    }
  });

  it('accepts the known vector until its expiry second inclusive, then 410', () => {
    const p = `/media/hls/${HLS_VECTOR.sig}/${T0}/version-123/128k/seg_00001.m4s`;
    expect(verifyHlsRequest(p, SECRET, at(T0 - 100)).ok).toBe(true);
    expect(verifyHlsRequest(p, SECRET, at(T0) + 999).ok).toBe(true);
    expect(verifyHlsRequest(p, SECRET, at(T0 + 1))).toEqual({ ok: false, status: 410, reason: expect.any(String) });
  });

  it('403 for a wrong secret, a tampered signature or expiry, or another version', () => {
    const { path } = signed();
    const prefix = prefixOf(path);
    expect(verifyHlsRequest(path, 'other-secret', at(T0))).toMatchObject({ ok: false, status: 403 });
    const sig = path.split('/')[3]!;
    const flipped = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1);
    expect(verifyHlsRequest(path.replace(sig, flipped), SECRET, at(T0))).toMatchObject({ status: 403 });
    expect(verifyHlsRequest(path.replace(`/${T0 + 3600}/`, `/${T0 + 3601}/`), SECRET, at(T0))).toMatchObject({
      status: 403,
    });
    // Another version's folder with this version's signature.
    for (const other of ['124', '1230', '12', '1123']) {
      expect(verifyHlsRequest(`${prefix}version-${other}/playlist.m3u8`, SECRET, at(T0))).toMatchObject({
        status: 403,
      });
    }
    // An expired signature for another version is still 403, not 410 (signature checked first).
    expect(verifyHlsRequest(`${prefix}version-124/playlist.m3u8`, SECRET, at(T0 + 7200))).toMatchObject({
      status: 403,
    });
  });

  it('403 for signatures of the wrong length or alphabet, and bad expiries', () => {
    const { path } = signed();
    const [, , , sig, exp] = path.split('/') as [string, string, string, string, string];
    const rest = 'version-123/playlist.m3u8';
    for (const s of [sig.slice(0, 21), `${sig}A`, `${sig}AA`, 'x'.repeat(22), 'A'.repeat(64)]) {
      expect(verifyHlsRequest(`/media/hls/${s}/${exp}/${rest}`, SECRET, at(T0))).toMatchObject({
        ok: false,
        status: 403,
      });
    }
    // Standard-base64 characters and padding are outside the path alphabet → 400.
    for (const s of [`${sig.slice(0, 21)}+`, `${sig.slice(0, 21)}=`, `${sig.slice(0, 20)}==`]) {
      expect(verifyHlsRequest(`/media/hls/${s}/${exp}/${rest}`, SECRET, at(T0))).toMatchObject({
        ok: false,
        status: 400,
      });
    }
    for (const e of [
      '',
      '0',
      '-1',
      '-1700003600',
      '01700003600',
      '17000036001',
      '99999999999999999999',
      '1.7e9',
      'abc',
      String(T0 + MAX_SIGNED_TTL_SECONDS + 1),
    ]) {
      const res = verifyHlsRequest(`/media/hls/${sig}/${e}/${rest}`, SECRET, at(T0));
      expect(res.ok, e).toBe(false);
      expect([400, 403], e).toContain((res as { status: number }).status);
    }
    // A signed expiry too far away is refused even with a valid signature.
    const far = T0 + MAX_SIGNED_TTL_SECONDS + 10;
    expect(
      verifyHlsRequest(`/media/hls/${secureLinkHash(far, '/version-123', SECRET)}/${far}/${rest}`, SECRET, at(T0)),
    ).toMatchObject({ status: 403 });
  });

  it('400 for traversal, encodings, backslashes, NUL and double slashes', () => {
    const { path } = signed();
    const prefix = prefixOf(path);
    const cases = [
      `${prefix}version-123/../version-124/playlist.m3u8`,
      `${prefix}version-123/128k/../../version-124/playlist.m3u8`,
      `${prefix}../version-123/playlist.m3u8`,
      `${prefix}version-123/./playlist.m3u8`,
      `${prefix}version-123/.hidden/index.m3u8`,
      `${prefix}version-123/%2e%2e/version-124/playlist.m3u8`,
      `${prefix}version-123/%2E%2E/version-124/playlist.m3u8`,
      `${prefix}version-123/.%2e/version-124/playlist.m3u8`,
      `${prefix}version-123/128k%2fseg_00001.m4s`,
      `${prefix}version-123/128k%2Fseg_00001.m4s`,
      `${prefix}version-123/128k%5cseg_00001.m4s`,
      `${prefix}version-123/128k\\seg_00001.m4s`,
      `${prefix}version-123/128k/seg_00001.m4s\0`,
      `${prefix}version-123/128k/seg_00001.m4s%00`,
      `${prefix}version-12%33/playlist.m3u8`,
      `${prefix}version-123//playlist.m3u8`,
      `${prefix}version-123/128k//index.m3u8`,
      `/media/hls//${path.slice('/media/hls/'.length)}`,
      `${prefix}version-123/playlist.m3u8?x=1`,
      `${prefix}version-123/playlist.m3u8 `,
      '/media/other/x',
      `/images/${prefix}version-123/playlist.m3u8`,
    ];
    for (const p of cases) expect(verifyHlsRequest(p, SECRET, at(T0)), p).toMatchObject({ ok: false, status: 400 });
  });

  it('403 for a missing signature and for any file outside the allowed list', () => {
    const { path } = signed();
    const prefix = prefixOf(path);
    const cases = [
      '/media/hls/version-123/playlist.m3u8',
      `/media/hls/${T0 + 3600}/version-123/playlist.m3u8`,
      '/media/hls/',
      `${prefix}version-123/`,
      `${prefix}version-123`,
      `${prefix}version-123/original.flac`,
      `${prefix}version-123/128k/original.flac`,
      `${prefix}version-123/128k/seg_00001.m4s.bak`,
      `${prefix}version-123/128k/seg_.m4s`,
      `${prefix}version-123/128k/seg_0000000001.m4s`,
      `${prefix}version-123/128k/x/seg_00001.m4s`,
      `${prefix}version-123/${'a'.repeat(17)}/index.m3u8`,
      `${prefix}version-123/128K/index.m3u8`,
      `${prefix}version-0123/playlist.m3u8`,
      `${prefix}version-abc/playlist.m3u8`,
      `${prefix}version-/playlist.m3u8`,
      `${prefix}version-${'1'.repeat(20)}/playlist.m3u8`,
      `${prefix}x/version-123/playlist.m3u8`,
    ];
    for (const p of cases) expect(verifyHlsRequest(p, SECRET, at(T0)), p).toMatchObject({ ok: false, status: 403 });
  });

  it('never returns a key outside the signed version folder', () => {
    // Fuzz: random mutations of a valid path either fail or stay inside version-123/.
    const { path } = signed();
    const alphabet = ['/', '.', '%', '2', 'e', 'f', '\\', '\0', 'version-124', '..', 'a', '_', '-'];
    let seed = 42;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 5000; i++) {
      const chars = path.split('');
      const pos = rnd(chars.length);
      chars.splice(pos, rnd(3), alphabet[rnd(alphabet.length)]!);
      const res = verifyHlsRequest(chars.join(''), SECRET, at(T0));
      if (res.ok) {
        expect(res.versionId).toBe('123');
        expect(res.objectKey.startsWith('version-123/')).toBe(true);
        expect(res.objectKey).not.toMatch(/\.\.|\/\/|\\|%/);
      }
    }
  });

  it('403 when no secret is configured, even for a path signed with an empty secret', () => {
    const sig = secureLinkHash(T0 + 60, '/version-123', '');
    expect(verifyHlsRequest(`/media/hls/${sig}/${T0 + 60}/version-123/playlist.m3u8`, '', at(T0))).toMatchObject({
      status: 403,
    });
  });
});

describe('signUrl, the query-string form', () => {
  it('matches the hand-computed vector', () => {
    expect(signUrl(QUERY_VECTOR.path, 3600, SECRET, at(T0 - 3600))).toBe(
      `${QUERY_VECTOR.path}?sig=${QUERY_VECTOR.sig}&expires=${T0}`,
    );
  });

  it('verifies what it signs; 403 on tampering, 410 once expired', () => {
    const url = new URL(signUrl('/downloads/version-5/original.flac', 600, SECRET, at(T0)), 'https://x.test');
    const sig = url.searchParams.get('sig') ?? undefined;
    const exp = url.searchParams.get('expires') ?? undefined;
    expect(verifySignedUrl(url.pathname, sig, exp, SECRET, at(T0))).toEqual({ ok: true });
    expect(verifySignedUrl('/downloads/version-6/original.flac', sig, exp, SECRET, at(T0))).toMatchObject({
      status: 403,
    });
    expect(verifySignedUrl(url.pathname, undefined, exp, SECRET, at(T0))).toMatchObject({ status: 403 });
    expect(verifySignedUrl(url.pathname, sig, undefined, SECRET, at(T0))).toMatchObject({ status: 403 });
    expect(verifySignedUrl(url.pathname, sig, exp, SECRET, at(T0 + 601))).toMatchObject({ status: 410 });
  });

  // Added to kill surviving mutants (npm run test:mutation, docs/testing.md).
  it('signs TTLs of 1 s up to the maximum inclusive, and refuses what signHlsPath refuses', () => {
    // TTL bounds are inclusive: 1 and MAX_SIGNED_TTL_SECONDS sign; 0, 1.5, MAX + 1 and an empty secret throw.
    expect(signUrl('/a', 1, SECRET, at(T0))).toBe(`/a?sig=${secureLinkHash(T0 + 1, '/a', SECRET)}&expires=${T0 + 1}`);
    expect(signUrl('/a', MAX_SIGNED_TTL_SECONDS, SECRET, at(T0))).toContain(`&expires=${T0 + MAX_SIGNED_TTL_SECONDS}`);
    expect(signHlsPath('123', 1, SECRET, at(T0)).expiresAt).toEqual(new Date(at(T0 + 1)));
    expect(signHlsPath('123', MAX_SIGNED_TTL_SECONDS, SECRET, at(T0)).expiresAt).toEqual(
      new Date(at(T0 + MAX_SIGNED_TTL_SECONDS)),
    );
    expect(() => signUrl('/a', 0, SECRET, at(T0))).toThrow(RangeError);
    expect(() => signUrl('/a', 1.5, SECRET, at(T0))).toThrow(RangeError);
    expect(() => signUrl('/a', MAX_SIGNED_TTL_SECONDS + 1, SECRET, at(T0))).toThrow(RangeError);
    expect(() => signUrl('/a', 60, '', at(T0))).toThrow(/secret/);
  });

  it('403 without a secret, for a malformed signature, and for an expiry beyond the maximum TTL', () => {
    const url = new URL(signUrl('/downloads/version-5/original.flac', 600, SECRET, at(T0)), 'https://x.test');
    const sig = url.searchParams.get('sig')!;
    const exp = url.searchParams.get('expires')!;
    expect(verifySignedUrl(url.pathname, sig, exp, '', at(T0))).toEqual({
      ok: false,
      status: 403,
      reason: 'Media signing is not configured',
    });
    expect(verifySignedUrl(url.pathname, `${sig}!`, exp, SECRET, at(T0))).toEqual({
      ok: false,
      status: 403,
      reason: 'Missing or malformed signature',
    });
    expect(verifySignedUrl(url.pathname, sig, `${exp}x`, SECRET, at(T0))).toEqual({
      ok: false,
      status: 403,
      reason: 'Malformed expiry',
    });
    // Signed (with the secret) for exactly the maximum TTL ahead: valid; one second further: refused, signature or not.
    const far = T0 + MAX_SIGNED_TTL_SECONDS;
    expect(verifySignedUrl('/a', secureLinkHash(far, '/a', SECRET), String(far), SECRET, at(T0))).toEqual({ ok: true });
    expect(verifySignedUrl('/a', secureLinkHash(far + 1, '/a', SECRET), String(far + 1), SECRET, at(T0))).toEqual({
      ok: false,
      status: 403,
      reason: 'Expiry too far in the future',
    });
  });
});

// Added to kill the survivors of `npm run test:mutation signed-urls` (docs/testing.md): every refusal
// says which rule refused, the bounds are checked on both sides, and the limit is a number worked out by hand.
describe('refusals name their rule; bounds on both sides', () => {
  const rest = 'version-123/playlist.m3u8';
  const hls = (sig: string, expires: string | number) => `/media/hls/${sig}/${expires}/${rest}`;
  const sigFor = (expires: string | number) => secureLinkHash(expires, '/version-123', SECRET);

  it('the longest lifetime is 30 days: 30 × 24 × 3600 = 2,592,000 s', () => {
    expect(MAX_SIGNED_TTL_SECONDS).toBe(2_592_000);
  });

  it('sign refusals say what was wrong', () => {
    expect(() => signUrl('/a', 0, SECRET, at(T0))).toThrow(
      'ttlSeconds must be an integer between 1 and 2592000, got 0',
    );
    expect(() => signHlsPath('12a', 60, SECRET, at(T0))).toThrow('Not a version id: "12a"');
  });

  it('verifyHlsRequest: one reason per rule', () => {
    const refused = (status: number, reason: string) => ({ ok: false, status, reason });
    expect(verifyHlsRequest('/media/hls/a/../x', SECRET, at(T0))).toEqual(refused(400, 'Malformed media path'));
    expect(verifyHlsRequest(hls(sigFor(T0), T0).replace('playlist.m3u8', 'notes.txt'), SECRET, at(T0))).toEqual(
      refused(403, 'Not a signed media file'),
    );
    expect(verifyHlsRequest(hls(sigFor(T0), T0), '', at(T0))).toEqual(refused(403, 'Media signing is not configured'));
    // 21 characters: the loose capture takes it, the signature rule refuses it by name.
    expect(verifyHlsRequest(hls(sigFor(T0).slice(1), T0), SECRET, at(T0))).toEqual(
      refused(403, 'Missing or malformed signature'),
    );
    // 23 characters, the last 22 a valid signature: the rule holds for the whole segment.
    expect(verifyHlsRequest(hls(`A${sigFor(T0)}`, T0), SECRET, at(T0))).toEqual(
      refused(403, 'Missing or malformed signature'),
    );
    // A leading zero, even correctly signed over the same text: nginx would read another number.
    expect(verifyHlsRequest(hls(sigFor(`0${T0}`), `0${T0}`), SECRET, at(T0))).toEqual(refused(403, 'Malformed expiry'));
    const far = T0 + MAX_SIGNED_TTL_SECONDS;
    expect(verifyHlsRequest(hls(sigFor(far), far), SECRET, at(T0))).toMatchObject({ ok: true, expires: far });
    expect(verifyHlsRequest(hls(sigFor(far + 1), far + 1), SECRET, at(T0))).toEqual(
      refused(403, 'Expiry too far in the future'),
    );
    expect(verifyHlsRequest(hls(sigFor(T0 + 1), T0), SECRET, at(T0))).toEqual(refused(403, 'Invalid signature'));
    expect(verifyHlsRequest(hls(sigFor(T0), T0), SECRET, at(T0 + 1))).toEqual(refused(410, 'Link expired'));
  });

  it('verifySignedUrl: valid through its expiry second, then 410; a wrong signature is refused by name', () => {
    const sig = secureLinkHash(T0, '/a', SECRET);
    expect(verifySignedUrl('/a', sig, String(T0), SECRET, at(T0))).toEqual({ ok: true });
    expect(verifySignedUrl('/a', sig, String(T0), SECRET, at(T0 + 1))).toEqual({
      ok: false,
      status: 410,
      reason: 'Link expired',
    });
    // A character before a valid signature (base64url decoding would skip it): refused as malformed.
    expect(verifySignedUrl('/a', `!${sig}`, String(T0), SECRET, at(T0))).toEqual({
      ok: false,
      status: 403,
      reason: 'Missing or malformed signature',
    });
    expect(verifySignedUrl('/b', sig, String(T0), SECRET, at(T0))).toEqual({
      ok: false,
      status: 403,
      reason: 'Invalid signature',
    });
  });
});

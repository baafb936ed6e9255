import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Signed media URLs (docs/architecture.md, "Delivery", docs/decisions/0001-signed-hls-urls.md).
 *
 * HLS uses design (b): the signature and the expiry sit in the *path*,
 *
 *   /media/hls/<sig>/<expires>/version-<id>/playlist.m3u8
 *   sig = base64url-without-padding( MD5( "<expires>/version-<id> <secret>" ) )
 *
 * so the relative URIs inside the playlists (`128k/index.m3u8`, `init.mp4`, `seg_00001.m4s`)
 * inherit the prefix and every segment request carries the same signature. nginx checks it with
 * `secure_link $sig,$expires; secure_link_md5 "$secure_link_expires/version-$id $secret"`
 * (nginx/templates/default.conf.template); the embedded API checks it with `verifyHlsRequest`.
 * Both construct the hashed string exactly as docs/architecture.md, "Delivery" says (`signUrl`):
 * `expires + path + " " + secret`, with path = `/version-<id>`.
 */

export const HLS_URL_PREFIX = '/media/hls/';

/**
 * Longest lifetime a signed URL may have. Signing refuses more, and verification refuses an
 * `expires` further away than this ("not absurd": a leaked URL must not stay valid for decades).
 */
export const MAX_SIGNED_TTL_SECONDS = 30 * 24 * 3600;

export interface SignedHlsPath {
  /** `/media/hls/<sig>/<expires>/version-<id>/playlist.m3u8` (the master playlist). */
  path: string;
  expiresAt: Date;
}

export type HlsRequestCheck =
  | {
      ok: true;
      versionId: string;
      /** Key in the `transcodes` bucket: always `version-<versionId>/<file>`. */
      objectKey: string;
      /** The part after `version-<id>/`: `playlist.m3u8`, `128k/index.m3u8`, `128k/seg_00001.m4s`… */
      file: string;
      /** Unix seconds. */
      expires: number;
    }
  | { ok: false; status: 400 | 403 | 410; reason: string };

/** Rendition folder names, as the transcoder writes them (`64k`, `128k`, `160k`, `hi_fi`…). */
const RENDITION = '[a-z0-9_-]{1,16}';
/** Files a client may ask for inside `version-<id>/`; nothing else is ever served. */
const FILE = `playlist\\.m3u8|${RENDITION}/(?:index\\.m3u8|init\\.mp4|seg_[0-9]{1,9}\\.m4s)`;
/** `sig` and `expires` are captured loosely here and checked one by one below (→ 403). */
const HLS_PATH = new RegExp(`^/media/hls/([^/]*)/([^/]*)/version-([1-9][0-9]{0,18})/(${FILE})$`);
/** Everything a valid path can contain. Rules out `%` (so every encoding trick), `\`, NUL, spaces… */
const SAFE_PATH = /^[A-Za-z0-9_./-]+$/;
/** 16 bytes of MD5 in base64url without padding. */
const SIG = /^[A-Za-z0-9_-]{22}$/;
/** Unix seconds, no sign, no leading zero, at most 10 digits (nginx parses it as a time_t). */
const EXPIRES = /^[1-9][0-9]{0,9}$/;

const toSeconds = (now: Date | number): number => Math.floor((typeof now === 'number' ? now : now.getTime()) / 1000);

function md5(text: string): Buffer {
  return createHash('md5').update(text, 'utf8').digest();
}

/** The hash of docs/architecture.md, "Delivery": base64url(MD5(`<expires><path> <secret>`)) without padding. */
export function secureLinkHash(expires: number | string, path: string, secret: string): string {
  return md5(`${expires}${path} ${secret}`).toString('base64url');
}

function checkTtl(ttlSeconds: number): void {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_SIGNED_TTL_SECONDS) {
    throw new RangeError(`ttlSeconds must be an integer between 1 and ${MAX_SIGNED_TTL_SECONDS}, got ${ttlSeconds}`);
  }
}

function checkSecret(secret: string): void {
  if (!secret) throw new Error('The secure link secret is empty');
}

/**
 * Signs the master playlist of a version: `{ path: "/media/hls/<sig>/<expires>/version-<id>/playlist.m3u8", expiresAt }`.
 * `now` is a Date or milliseconds since the epoch.
 */
export function signHlsPath(
  versionId: string,
  ttlSeconds: number,
  secret: string,
  now: Date | number = Date.now(),
): SignedHlsPath {
  if (!/^[1-9][0-9]{0,18}$/.test(versionId)) throw new RangeError(`Not a version id: ${JSON.stringify(versionId)}`);
  checkTtl(ttlSeconds);
  checkSecret(secret);
  const expires = toSeconds(now) + ttlSeconds;
  const sig = secureLinkHash(expires, `/version-${versionId}`, secret);
  return {
    path: `${HLS_URL_PREFIX}${sig}/${expires}/version-${versionId}/playlist.m3u8`,
    expiresAt: new Date(expires * 1000),
  };
}

const bad = (reason: string): HlsRequestCheck => ({ ok: false, status: 400, reason });
const denied = (reason: string): HlsRequestCheck => ({ ok: false, status: 403, reason });

/**
 * Checks a request path (raw, still percent-encoded, without the query string) against the
 * signature scheme above. Never returns ok for a file outside `version-<id>/` of the signed id.
 * The statuses are the ones nginx gives for the same path (test/edge/nginx.test.ts compares them):
 *
 * - 400: the raw path is not plain: a character outside `[A-Za-z0-9_./-]` (so any `%`-escape such
 *   as `%2e%2e`, `%2f`, `%5c`, `%00`; a backslash; NUL; a space), `//`, or a `.`/`..` segment.
 * - 403: anything else that is not a signed playlist/init/segment: signature missing, malformed
 *   or wrong (incl. another version's folder), `expires` malformed, zero or further away than
 *   MAX_SIGNED_TTL_SECONDS, a file name outside the allowed list.
 * - 410: signature right but expired (`expires` < now, as nginx's secure_link decides).
 */
export function verifyHlsRequest(pathname: string, secret: string, now: Date | number = Date.now()): HlsRequestCheck {
  if (
    !pathname.startsWith(HLS_URL_PREFIX) ||
    !SAFE_PATH.test(pathname) ||
    pathname.includes('//') ||
    pathname.includes('/.')
  ) {
    return bad('Malformed media path');
  }
  const m = HLS_PATH.exec(pathname);
  if (!m) return denied('Not a signed media file');
  const sig = m[1]!;
  const expiresText = m[2]!;
  const versionId = m[3]!;
  const file = m[4]!;
  if (!secret) return denied('Media signing is not configured');
  if (!SIG.test(sig)) return denied('Missing or malformed signature');
  if (!EXPIRES.test(expiresText)) return denied('Malformed expiry');
  const expires = Number(expiresText);
  const nowSeconds = toSeconds(now);
  if (expires > nowSeconds + MAX_SIGNED_TTL_SECONDS) return denied('Expiry too far in the future');
  // 22 base64url characters always decode to 16 bytes; compare bytes as nginx does.
  const given = Buffer.from(sig, 'base64url');
  const expected = md5(`${expiresText}/version-${versionId} ${secret}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return denied('Invalid signature');
  if (expires < nowSeconds) return { ok: false, status: 410, reason: 'Link expired' };
  return { ok: true, versionId, objectKey: `version-${versionId}/${file}`, file, expires };
}

/**
 * `signUrl`, the query-string form, kept for the other signed media (downloads): `<path>?sig=<hash>&expires=<expires>`
 * with hash = base64url(MD5(`<expires><path> <secret>`)). nginx checks these with
 * `secure_link $arg_sig,$arg_expires; secure_link_md5 "$secure_link_expires$uri $secret"`.
 */
export function signUrl(path: string, ttlSeconds: number, secret: string, now: Date | number = Date.now()): string {
  checkTtl(ttlSeconds);
  checkSecret(secret);
  const expires = toSeconds(now) + ttlSeconds;
  return `${path}?sig=${secureLinkHash(expires, path, secret)}&expires=${expires}`;
}

/** Checks a `signUrl` URL: same statuses as verifyHlsRequest (403 bad/missing, 410 expired). */
export function verifySignedUrl(
  path: string,
  sig: string | undefined,
  expiresText: string | undefined,
  secret: string,
  now: Date | number = Date.now(),
): { ok: true } | { ok: false; status: 403 | 410; reason: string } {
  if (!secret) return { ok: false, status: 403, reason: 'Media signing is not configured' };
  if (!sig || !SIG.test(sig)) return { ok: false, status: 403, reason: 'Missing or malformed signature' };
  if (!expiresText || !EXPIRES.test(expiresText)) return { ok: false, status: 403, reason: 'Malformed expiry' };
  const expires = Number(expiresText);
  const nowSeconds = toSeconds(now);
  if (expires > nowSeconds + MAX_SIGNED_TTL_SECONDS)
    return { ok: false, status: 403, reason: 'Expiry too far in the future' };
  const given = Buffer.from(sig, 'base64url');
  const expected = md5(`${expiresText}${path} ${secret}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, status: 403, reason: 'Invalid signature' };
  if (expires < nowSeconds) return { ok: false, status: 410, reason: 'Link expired' };
  return { ok: true };
}

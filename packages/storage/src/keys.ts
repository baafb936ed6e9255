/**
 * The one place that knows where things live in the buckets. Media paths use `version-<id>`
 * as docs/architecture.md, "Domain" and "Delivery" describe (`/media/hls/version-123/playlist.m3u8` → transcodes bucket).
 */
import { randomBytes } from 'node:crypto';

/**
 * A fresh unguessable path segment (128 random bits, base64url): waveforms and version artwork
 * are served without any access check (nginx from the bucket, cached as public), so their keys
 * carry one, and only someone who was given the URL (by the API, per the track's visibility) can
 * fetch them. A new one per processing run: the URL changes when the content does (immutable caching).
 */
export function unguessableToken(): string {
  return randomBytes(16).toString('base64url');
}

/** What `unguessableToken` makes: 22 base64url characters. */
export const UNGUESSABLE_TOKEN = /^[A-Za-z0-9_-]{22}$/;

export const keys = {
  original: (versionId: string, ext: string) =>
    `version-${versionId}/original${ext ? `.${ext.replace(/^\./, '')}` : ''}`,
  hlsPrefix: (versionId: string) => `version-${versionId}/`,
  hlsMaster: (versionId: string) => `version-${versionId}/playlist.m3u8`,
  /** Folder of a version's waveform(s): a rerun empties it before writing. */
  waveformPrefix: (versionId: string) => `version-${versionId}/`,
  waveform: (versionId: string, token: string) => `version-${versionId}/${token}.json`,
  /** Folder of a version's artwork (every run, every size). */
  versionArtworkPrefix: (versionId: string) => `artwork/version-${versionId}/`,
  versionArtwork: (versionId: string, token: string, size: number, ext: string) =>
    `artwork/version-${versionId}/${token}/${size}.${ext}`,
  /** A download format of a version (transcodes bucket; never served by the HLS location: only signed download URLs reach it). */
  download: (versionId: string, format: string, ext: string) => `version-${versionId}/downloads/${format}.${ext}`,
  avatar: (userId: string, stamp: string, size: number, ext: string) =>
    `avatars/user-${userId}/${stamp}-${size}.${ext}`,
  /**
   * Artwork an artist uploads for a track or a release: public like avatars, but its folder holds
   * an unguessable token (a private track's cover is not found by counting ids).
   */
  trackArtworkPrefix: (trackId: string) => `track-artwork/track-${trackId}/`,
  trackArtwork: (trackId: string, token: string, size: number) =>
    `track-artwork/track-${trackId}/${token}-${size}.webp`,
  releaseArtworkPrefix: (releaseId: string) => `release-artwork/release-${releaseId}/`,
  releaseArtwork: (releaseId: string, token: string, size: number) =>
    `release-artwork/release-${releaseId}/${token}-${size}.webp`,
};

const TOKEN = '[A-Za-z0-9_-]{22}';
const VERSION = 'version-[1-9][0-9]{0,18}';
/** Keys of a version's media that are public only to whoever holds their URL (see unguessableToken). */
const CAPABILITY_KEYS: Record<'images' | 'waveforms', { under: string; shape: RegExp }> = {
  waveforms: { under: '', shape: new RegExp(`^${VERSION}/${TOKEN}\\.json$`) },
  images: { under: 'artwork/', shape: new RegExp(`^artwork/${VERSION}/${TOKEN}/[0-9]{1,5}\\.(?:jpg|png|webp)$`) },
};

/**
 * Whether a key of the public buckets may be served to anyone who asks (embedded mode's media
 * route; nginx applies the same shapes in `nginx/templates/nginx.conf.template`): version media only
 * at a key with its unguessable token, so no key is served that could have been guessed from an id.
 * Other image keys (avatars) are public by nature.
 */
export function isPubliclyServable(bucket: 'images' | 'waveforms', key: string): boolean {
  const rule = CAPABILITY_KEYS[bucket];
  return key.startsWith(rule.under) ? rule.shape.test(key) : true;
}

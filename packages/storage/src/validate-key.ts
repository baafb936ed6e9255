import { InvalidKeyError } from './object-store.ts';

/** S3's own limit. */
const MAX_KEY_BYTES = 1024;
/** A segment is a file or folder name on the local store, and most file systems stop at 255 bytes. */
const MAX_SEGMENT_BYTES = 255;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Half a surrogate pair cannot be encoded as UTF-8: S3 and the file system would each mangle it differently. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Keys are relative paths of plain segments: no leading slash, no `.`/`..`/empty segments, no
 * backslash, no control characters (NUL included), at most 1 KiB of UTF-8 and 255 bytes a
 * segment. Every adapter checks every key with this, so no key can reach outside its bucket on
 * disk, and a key that works on one adapter works on the other.
 *
 * With `prefix`, the empty string and a trailing `/` are allowed too (a prefix for `list`).
 */
export function validateKey(key: string, { prefix = false } = {}): string {
  if (typeof key !== 'string') throw new InvalidKeyError(String(key));
  if (prefix && key === '') return key;
  if (
    !key ||
    Buffer.byteLength(key) > MAX_KEY_BYTES ||
    CONTROL.test(key) ||
    LONE_SURROGATE.test(key) ||
    key.includes('\\') ||
    key.startsWith('/')
  ) {
    throw new InvalidKeyError(key);
  }
  const segments = key.split('/');
  const last = segments.length - 1;
  for (const [i, segment] of segments.entries()) {
    if (segment === '' && prefix && i === last) continue;
    if (segment === '' || segment === '.' || segment === '..' || Buffer.byteLength(segment) > MAX_SEGMENT_BYTES)
      throw new InvalidKeyError(key);
  }
  return key;
}

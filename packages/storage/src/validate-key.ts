import { InvalidKeyError } from './object-store.ts';

const MAX_KEY_BYTES = 1024;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Keys are relative paths of plain segments: no leading slash, no `.`/`..`/empty segments, no
 * backslash, no control characters (NUL included), at most 1 KiB. Every adapter checks every
 * key with this, so no key can reach outside its bucket on disk or confuse S3 path handling.
 */
export function validateKey(key: string, { prefix = false } = {}): string {
  if (typeof key !== 'string') throw new InvalidKeyError(String(key));
  if (prefix && key === '') return key;
  if (!key || Buffer.byteLength(key) > MAX_KEY_BYTES || CONTROL.test(key) || key.includes('\\') || key.startsWith('/')) throw new InvalidKeyError(key);
  const segments = key.split('/');
  // A prefix may end with '/', a key may not.
  const last = segments.length - 1;
  for (const [i, s] of segments.entries()) {
    if (s === '' && prefix && i === last) continue;
    if (s === '' || s === '.' || s === '..') throw new InvalidKeyError(key);
  }
  return key;
}

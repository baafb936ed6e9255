import { InvalidRangeError, type ByteRange } from './object-store.ts';

/** Negative, fractional or reversed ranges: S3 would silently ignore them and send everything. */
export function isWellFormedRange(range: ByteRange): boolean {
  const { start, end } = range;
  return (
    Number.isSafeInteger(start) && start >= 0 && (end === undefined || (Number.isSafeInteger(end) && end >= start))
  );
}

/**
 * The inclusive range actually served from an object of `totalSize` bytes, with S3's rules: the
 * end is clamped to the last byte, a start at or past the end is unsatisfiable.
 */
export function resolveRange(range: ByteRange, totalSize: number): { start: number; end: number } {
  if (!isWellFormedRange(range) || range.start >= totalSize) throw new InvalidRangeError(totalSize);
  return { start: range.start, end: Math.min(range.end ?? totalSize - 1, totalSize - 1) };
}

/**
 * The `Range` header of a request for one object, before its size is known: `bytes=a-b` /
 * `bytes=a-` → that range; none, multi-range and suffix ranges → undefined (answered with the
 * whole object, which RFC 9110 allows); anything else → 'invalid' (a 416).
 */
export function parseRangeHeader(header: string | undefined): ByteRange | undefined | 'invalid' {
  if (!header) return undefined;
  const m = /^bytes=(\d{1,15})-(\d{0,15})$/.exec(header.trim());
  if (!m) return header.includes(',') || /^bytes=-\d+$/.test(header.trim()) ? undefined : 'invalid';
  const start = Number(m[1]);
  const end = m[2] ? Number(m[2]) : undefined;
  if (end !== undefined && end < start) return 'invalid';
  return { start, end };
}

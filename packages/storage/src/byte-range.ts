import { InvalidRangeError, type ByteRange } from './object-store.ts';

/** Negative, fractional or reversed ranges: S3 would silently ignore them and send everything. */
export function isWellFormedRange(range: ByteRange): boolean {
  const { start, end } = range;
  return Number.isSafeInteger(start) && start >= 0 && (end === undefined || (Number.isSafeInteger(end) && end >= start));
}

/**
 * The inclusive range actually served from an object of `totalSize` bytes, with S3's rules: the
 * end is clamped to the last byte, a start at or past the end is unsatisfiable.
 */
export function resolveRange(range: ByteRange, totalSize: number): { start: number; end: number } {
  if (!isWellFormedRange(range) || range.start >= totalSize) throw new InvalidRangeError(totalSize);
  return { start: range.start, end: Math.min(range.end ?? totalSize - 1, totalSize - 1) };
}

import { validationFailed } from '../errors.ts';
import { MAX_SECONDS_LISTENED, OVERRUN_MARGIN_SECONDS } from './limits.ts';

/**
 * "Where listeners stop" (docs/architecture.md, "Insights and trending"): the player reports the
 * ranges of the track it actually played, `[[startMs, endMs], …]`; a play keeps the 1% buckets of
 * the track they cover. Bucket i (0..99) is heard when a range covers its middle, at
 * (i + 0.5)% of the duration.
 */
export const REACH_BUCKETS = 100;
/** The most ranges one report may carry (a listener who seeks a lot still fits). */
export const MAX_HEARD_RANGES = 200;
/** Largest position a range may name when the duration is not known. */
export const MAX_RANGE_MS = MAX_SECONDS_LISTENED * 1000;

export type HeardRange = [number, number];

/**
 * Checks a report's ranges against the track's length (null: unknown). Refusals are 400s naming
 * the field; nothing is stored for a refused report.
 */
export function checkRanges(ranges: unknown, durationMs: number | null): HeardRange[] {
  const bad = (message: string) => validationFailed(message, { field: 'ranges' });
  if (!Array.isArray(ranges)) throw bad('ranges must be an array of [startMs, endMs] pairs');
  if (ranges.length > MAX_HEARD_RANGES) throw bad(`ranges holds at most ${MAX_HEARD_RANGES} pairs`);
  const max = durationMs !== null && durationMs > 0 ? durationMs + OVERRUN_MARGIN_SECONDS * 1000 : MAX_RANGE_MS;
  return ranges.map((r): HeardRange => {
    if (!Array.isArray(r) || r.length !== 2) throw bad('each range is a pair [startMs, endMs]');
    const [start, end] = r as unknown[];
    if (typeof start !== 'number' || typeof end !== 'number' || !Number.isFinite(start) || !Number.isFinite(end))
      throw bad('range bounds must be finite numbers');
    if (start < 0 || end < start) throw bad('a range must satisfy 0 ≤ startMs ≤ endMs');
    if (end > max) throw bad(`a range ends after the track (at most ${Math.floor(max)} ms)`);
    return [start, end];
  });
}

/** The sorted 1% buckets the ranges cover; null when the duration is unknown (nothing to divide). */
export function heardBuckets(ranges: readonly HeardRange[], durationMs: number | null): number[] | null {
  if (durationMs === null || !(durationMs > 0)) return null;
  const heard = new Set<number>();
  for (const [start, end] of ranges) {
    const first = Math.max(0, Math.ceil((start / durationMs) * REACH_BUCKETS - 0.5));
    const last = Math.min(REACH_BUCKETS - 1, Math.floor((end / durationMs) * REACH_BUCKETS - 0.5));
    for (let b = first; b <= last; b++) heard.add(b);
  }
  return [...heard].sort((a, b) => a - b);
}

/** The union of two bucket lists (a later report of the same play extends what it heard). */
export function mergeBuckets(a: readonly number[] | null, b: readonly number[]): number[] {
  return [...new Set([...(a ?? []), ...b])].sort((x, y) => x - y);
}

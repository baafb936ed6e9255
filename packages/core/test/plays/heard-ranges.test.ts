/** Ranges played → the 1% buckets a play heard, and the checks on reported ranges. */
import { describe, expect, it } from 'vitest';
import { checkRanges, heardBuckets, mergeBuckets } from '../../src/index.ts';

describe('heardBuckets', () => {
  it('a bucket is heard when a range covers its middle', () => {
    // 100 s track: bucket i is [i s, i+1 s), middle i + 0.5 s.
    expect(heardBuckets([[0, 100_000]], 100_000)).toHaveLength(100);
    expect(heardBuckets([[0, 2_400]], 100_000)).toEqual([0, 1]);
    expect(heardBuckets([[0, 2_500]], 100_000)).toEqual([0, 1, 2]);
    expect(heardBuckets([[49_600, 50_400]], 100_000)).toEqual([]);
    expect(
      heardBuckets(
        [
          [10_000, 12_000],
          [11_000, 13_000],
          [99_000, 105_000],
        ],
        100_000,
      ),
    ).toEqual([10, 11, 12, 99]);
    expect(heardBuckets([[0, 1000]], null)).toBeNull();
  });

  it('merges later reports', () => {
    expect(mergeBuckets([3, 1], [2, 3])).toEqual([1, 2, 3]);
    expect(mergeBuckets(null, [5])).toEqual([5]);
  });

  it('checks shape and bounds against the duration', () => {
    expect(checkRanges([[0, 1000]], 2000)).toEqual([[0, 1000]]);
    expect(checkRanges([[0, 6_900]], 2000)).toEqual([[0, 6_900]]); // within the 5 s overrun margin
    for (const bad of [
      null,
      {},
      [[1]],
      [[0, Number.NaN]],
      [[0, Infinity]],
      [[2, 1]],
      [[-1, 0]],
      [[0, 7_001]],
      Array.from({ length: 201 }, () => [0, 1]),
    ]) {
      expect(() => checkRanges(bad, 2000)).toThrow();
    }
  });
});

describe('the bounds exactly, and what each refusal says', () => {
  const refusal = (ranges: unknown, durationMs: number | null = 2000) => {
    try {
      checkRanges(ranges, durationMs);
    } catch (err) {
      expect(err).toMatchObject({ status: 400, code: 'validation_failed', details: { field: 'ranges' } });
      return (err as Error).message;
    }
    return null;
  };

  it('accepts the limits themselves', () => {
    expect(refusal(Array.from({ length: 200 }, () => [0, 1]))).toBeNull();
    expect(refusal([[0, 7_000]])).toBeNull(); // duration + 5 s
    expect(refusal([[500, 500]])).toBeNull();
    expect(refusal([[0, 86_400_000]], null)).toBeNull(); // no duration: 24 h
    expect(refusal([[0, 86_400_000]], 0)).toBeNull(); // a zero duration is unknown
    expect(refusal([])).toBeNull();
  });

  it('names the rule broken', () => {
    expect(refusal('0-1000')).toBe('ranges must be an array of [startMs, endMs] pairs');
    expect(refusal(Array.from({ length: 201 }, () => [0, 1]))).toBe('ranges holds at most 200 pairs');
    for (const pair of ['0,1', [0], [0, 1, 2]]) expect(refusal([pair])).toBe('each range is a pair [startMs, endMs]');
    for (const pair of [
      ['0', 1],
      [0, '1'],
      [Number.NaN, 1],
      [0, -Infinity],
    ])
      expect(refusal([pair])).toBe('range bounds must be finite numbers');
    expect(refusal([[-1, 0]])).toBe('a range must satisfy 0 ≤ startMs ≤ endMs');
    expect(refusal([[2, 1]])).toBe('a range must satisfy 0 ≤ startMs ≤ endMs');
    expect(refusal([[0, 7_001]], 2000.7)).toBe('a range ends after the track (at most 7000 ms)');
    expect(refusal([[0, 86_400_001]], null)).toBe('a range ends after the track (at most 86400000 ms)');
    expect(refusal([[0, 86_400_001]], 0)).toBe('a range ends after the track (at most 86400000 ms)');
  });

  it('buckets: numeric order, clamped to the track, none without a duration', () => {
    expect(
      heardBuckets(
        [
          [10_000, 11_000],
          [9_000, 10_000],
        ],
        100_000,
      ),
    ).toEqual([9, 10]);
    expect(heardBuckets([[-5_000, 1_000]], 100_000)).toEqual([0]);
    expect(heardBuckets([[98_000, 200_000]], 100_000)).toEqual([98, 99]);
    expect(heardBuckets([[500, 500]], 100_000)).toEqual([0]); // exactly a middle
    expect(heardBuckets([[0, 1000]], 0)).toBeNull();
    expect(heardBuckets([], 100_000)).toEqual([]);
    expect(mergeBuckets([10], [9])).toEqual([9, 10]);
    expect(mergeBuckets(null, [])).toEqual([]);
  });
});

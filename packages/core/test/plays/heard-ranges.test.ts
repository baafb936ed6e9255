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

/** The player's measure of time heard: steps while playing count, seeks and pauses do not; one report per load. */
import { describe, expect, it } from 'vitest';
import { ListenMeter, secondsToCount } from '../lib/player/listen-meter';

/** Plays from `from` to `to` in 250 ms `timeupdate`s, as an element does. */
function play(meter: ListenMeter, from: number, to: number): void {
  meter.tick(from, false); // `playing`
  for (let t = from + 0.25; t <= to + 1e-9; t += 0.25) meter.tick(t, true);
}

describe('ListenMeter', () => {
  it('counts time played, not seeks or time paused', () => {
    const m = new ListenMeter();
    play(m, 0, 10);
    expect(m.seconds).toBeCloseTo(10);
    // Seek to 100 s: the jump adds nothing, even if a timeupdate comes before `seeking`.
    m.tick(100, true);
    m.jumped();
    play(m, 100, 105);
    expect(m.seconds).toBeCloseTo(15);
    // Paused: position updates do not count.
    m.tick(105, false);
    m.tick(105.2, false);
    expect(m.seconds).toBeCloseTo(15);
    // Going backwards never subtracts.
    m.tick(50, true);
    expect(m.seconds).toBeCloseTo(15);
  });

  it('reports once, when 30 s have been heard', () => {
    const m = new ListenMeter();
    play(m, 0, 29.5);
    expect(m.takeReport(180)).toBeNull();
    play(m, 29.5, 30);
    expect(m.takeReport(180)).toBeCloseTo(30);
    play(m, 30, 60);
    expect(m.takeReport(180)).toBeNull();
  });

  it('a short track is reported when heard to its end, never for more than its length', () => {
    expect(secondsToCount(20)).toBe(19);
    expect(secondsToCount(3)).toBeCloseTo(2.85);
    expect(secondsToCount(Number.NaN)).toBe(30);
    const m = new ListenMeter();
    play(m, 0, 18.5);
    expect(m.takeReport(20)).toBeNull();
    // Back to the start and all the way through: heard 38.5 s of a 20 s track, reported as 20.
    m.jumped();
    play(m, 0, 20);
    expect(m.takeReport(20)).toBe(20);
  });

  it('keeps the ranges played, split at seeks, merged when they overlap', () => {
    const m = new ListenMeter();
    play(m, 0, 10);
    m.jumped();
    play(m, 60, 70);
    m.jumped();
    play(m, 5, 12); // overlaps the first range
    expect(m.rangesMs(180)).toEqual([
      [0, 12_000],
      [60_000, 70_000],
    ]);
    // A jump larger than a step without `seeking` also ends a range.
    m.tick(100, true);
    play(m, 100, 101);
    expect(m.rangesMs(180)).toHaveLength(3);
    // Clamped to the track.
    const n = new ListenMeter();
    play(n, 19, 21);
    expect(n.rangesMs(20)).toEqual([[19_000, 20_000]]);
  });

  it('sends the first report at 30 s, then a follow-up with where the listener stopped', () => {
    const m = new ListenMeter();
    play(m, 0, 20);
    expect(m.takeRangesReport(180)).toBeNull();
    play(m, 20, 30);
    expect(m.takeRangesReport(180)).toEqual({ seconds: expect.closeTo(30), ranges: [[0, 30_000]] });
    // Paused right after: nothing new.
    expect(m.takeRangesReport(180)).toBeNull();
    play(m, 30, 95);
    expect(m.takeRangesReport(180)).toEqual({ seconds: expect.closeTo(95), ranges: [[0, 95_000]] });
    expect(m.takeRangesReport(180)).toBeNull();
  });

  it('never sends more than 200 ranges: the longest are kept', () => {
    const m = new ListenMeter();
    for (let i = 0; i < 250; i++) {
      m.jumped();
      play(m, i * 4, i * 4 + (i === 7 ? 3 : 1));
    }
    const ranges = m.rangesMs(2000);
    expect(ranges).toHaveLength(200);
    expect(ranges).toContainEqual([28_000, 31_000]);
    expect(ranges).toEqual([...ranges].sort((a, b) => a[0] - b[0]));
  });
});

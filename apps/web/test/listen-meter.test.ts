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
});

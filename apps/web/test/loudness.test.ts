/**
 * The player's loudness rule, checked against values worked out by hand (not recomputed with the
 * formula under test). Rule: ReplayGain 2.0 track gain G = −18 − I (computed by the worker); a
 * negative G is applied as is; a positive G is limited to the headroom the true peak P leaves
 * (P + gain ≤ 0 dBTP, i.e. gain ≤ −P); without a known P the player never turns a track up.
 */
import { describe, expect, it } from 'vitest';
import { dbToGain, normalisationGainDb } from '../lib/player/loudness';

describe('normalisationGainDb', () => {
  it('turns a loud track down by its whole gain, whatever its peak', () => {
    // I = −8 LUFS → G = −18 − (−8) = −10 dB. Turning down never clips: −10 applies.
    expect(normalisationGainDb(-10, -0.5)).toBe(-10);
    // Same with a peak over full scale (+1.2 dBTP, an inter-sample overshoot) or no peak known.
    expect(normalisationGainDb(-10, 1.2)).toBe(-10);
    expect(normalisationGainDb(-10, null)).toBe(-10);
    expect(normalisationGainDb(-10, undefined)).toBe(-10);
    expect(normalisationGainDb(-10, Number.NaN)).toBe(-10);
    // Exactly at the target: 0 dB.
    expect(normalisationGainDb(0, -3)).toBe(0);
  });

  it('turns a quiet track up by its whole gain when its peak leaves room', () => {
    // I = −24 LUFS → G = +6 dB; P = −9 dBTP → headroom 9 dB ≥ 6: +6 applies (peak lands at −3 dBTP).
    expect(normalisationGainDb(6, -9)).toBe(6);
    // Headroom equal to the gain: P = −6 dBTP, G = +6 → +6 (peak lands exactly at 0 dBTP).
    expect(normalisationGainDb(6, -6)).toBe(6);
  });

  it('limits a positive gain to the headroom the true peak leaves', () => {
    // I = −30 LUFS → G = +12 dB; P = −2.5 dBTP → headroom 2.5 dB < 12: +2.5 applies
    // (peak lands at −2.5 + 2.5 = 0 dBTP, not at +9.5).
    expect(normalisationGainDb(12, -2.5)).toBe(2.5);
    // G = +4.2, P = −0.7 → 0.7.
    expect(normalisationGainDb(4.2, -0.7)).toBeCloseTo(0.7, 12);
    // A peak at or over full scale leaves no headroom: 0, never negative (that would turn it down).
    expect(normalisationGainDb(5, 0)).toBe(0);
    expect(normalisationGainDb(5, 0.8)).toBe(0);
  });

  it('never turns a track up without a known true peak', () => {
    // G = +7 but P unknown (null, missing, or NaN as the player stores "not measured"): 0.
    expect(normalisationGainDb(7, null)).toBe(0);
    expect(normalisationGainDb(7, undefined)).toBe(0);
    expect(normalisationGainDb(7, Number.NaN)).toBe(0);
    expect(normalisationGainDb(7, Number.NEGATIVE_INFINITY)).toBe(0);
  });

  it('applies nothing without a usable gain', () => {
    expect(normalisationGainDb(null, -3)).toBe(0);
    expect(normalisationGainDb(undefined, -3)).toBe(0);
    expect(normalisationGainDb(Number.NaN, -3)).toBe(0);
    expect(normalisationGainDb(Number.POSITIVE_INFINITY, -3)).toBe(0);
    expect(normalisationGainDb(Number.NEGATIVE_INFINITY, -3)).toBe(0);
  });
});

describe('dbToGain', () => {
  it('converts dB to an amplitude factor', () => {
    // 10^(0/20) = 1; 10^(20/20) = 10; 10^(−20/20) = 0.1; 10^(−6/20) = 0.501187…; 10^(6/20) = 1.995262…
    expect(dbToGain(0)).toBe(1);
    expect(dbToGain(20)).toBeCloseTo(10, 12);
    expect(dbToGain(-20)).toBeCloseTo(0.1, 12);
    expect(dbToGain(-6)).toBeCloseTo(0.501187, 6);
    expect(dbToGain(6)).toBeCloseTo(1.995262, 6);
  });
});

/**
 * Loudness normalisation (docs/architecture.md, "Media pipeline": ReplayGain 2.0 gain = −18 − I, measured by the worker).
 *
 * Turning a quiet track up can push its peaks over full scale, so positive gain is limited to the
 * headroom the true peak leaves (peak + gain ≤ 0 dBTP). Without a known true peak the player never
 * turns a track up; turning down is always safe.
 */
export function normalisationGainDb(
  trackGainDb: number | null | undefined,
  truePeakDbtp: number | null | undefined,
): number {
  if (trackGainDb == null || !Number.isFinite(trackGainDb)) return 0;
  if (trackGainDb <= 0) return trackGainDb;
  const headroom = truePeakDbtp == null || !Number.isFinite(truePeakDbtp) ? 0 : Math.max(0, -truePeakDbtp);
  return Math.min(trackGainDb, headroom);
}

/** dB → linear amplitude factor (10^(dB/20)). */
export function dbToGain(db: number): number {
  return 10 ** (db / 20);
}

import WaveformData, { type JsonWaveformData } from 'waveform-data';

/** Bar heights 0..1 (loudest bar of the track = 1), one per bar drawn. */
export type Bars = Float32Array;

/**
 * Reads the worker's audiowaveform JSON (v2, 8- or 16-bit) with waveform-data and keeps, per bar, the
 * largest absolute sample of every point the bar covers. Works for any number of bars, more or fewer
 * than the points in the file.
 */
export function parseWaveform(json: unknown): { min: number[]; max: number[]; seconds: number } {
  const data = WaveformData.create(json as JsonWaveformData);
  const channel = data.channel(0);
  // How much audio the points cover: less than the track while it is processed (a waveform drawn as
  // it grows, docs/performance.md "Playable in seconds").
  return { min: channel.min_array(), max: channel.max_array(), seconds: data.duration };
}

/**
 * The share of the width the peaks cover: 1 for a finished waveform; for a partial one (it covers
 * clearly less than the track), the part decoded so far, the rest drawn as a placeholder.
 */
export function coveredFraction(seconds: number, duration: number): number {
  if (!(duration > 0) || !(seconds > 0) || seconds >= duration * 0.98) return 1;
  return seconds / duration;
}

export function toBars(peaks: { min: number[]; max: number[] }, count: number): Bars {
  const points = peaks.max.length;
  const bars = new Float32Array(Math.max(0, count));
  if (!points || count <= 0) return bars;
  let loudest = 0;
  for (let i = 0; i < count; i++) {
    const from = Math.floor((i * points) / count);
    const to = Math.max(from + 1, Math.floor(((i + 1) * points) / count));
    let peak = 0;
    for (let p = from; p < to && p < points; p++) {
      peak = Math.max(peak, Math.abs(peaks.max[p]!), Math.abs(peaks.min[p]!));
    }
    bars[i] = peak;
    loudest = Math.max(loudest, peak);
  }
  if (loudest > 0) for (let i = 0; i < count; i++) bars[i] = bars[i]! / loudest;
  return bars;
}

import WaveformData, { type JsonWaveformData } from 'waveform-data';

/** Bar heights 0..1 (loudest bar of the track = 1), one per bar drawn. */
export type Bars = Float32Array;

/**
 * Reads the worker's audiowaveform JSON (v2, 8- or 16-bit) with waveform-data and keeps, per bar, the
 * largest absolute sample of every point the bar covers. Works for any number of bars, more or fewer
 * than the points in the file.
 */
export function parseWaveform(json: unknown): { min: number[]; max: number[] } {
  const data = WaveformData.create(json as JsonWaveformData);
  const channel = data.channel(0);
  return { min: channel.min_array(), max: channel.max_array() };
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

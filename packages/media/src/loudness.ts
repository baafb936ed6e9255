import { audioOnly, inputArgs } from './input.ts';
import { assertAudio, probe } from './probe.ts';
import { runFfmpeg } from './runner.ts';
import { defaultTimeoutMs, type OperationOptions } from './tool-options.ts';

/**
 * `ebur128` filter options: true peak (4× oversampled), mono measured as dual mono (a mono track is
 * played on both speakers, so it must not come out 3 LU quieter than the same track in stereo;
 * the option does nothing for two or more channels), and per-frame lines logged at verbose level
 * so that, at ffmpeg's default level, stderr holds only the final summary (5.1 has no
 * `framelog=quiet`).
 */
export const EBUR128_FILTER = 'ebur128=peak=true:dualmono=true:framelog=verbose';

export function buildLoudnessArgs(input: string, options: { audioStreamIndex?: number } = {}): string[] {
  return [...inputArgs(input), ...audioOnly(options.audioStreamIndex), '-af', EBUR128_FILTER, '-f', 'null', '-'];
}

export interface Ebur128Summary {
  /** Integrated loudness I (LUFS). −70 for silence (everything gated out). */
  integratedLufs: number;
  /** Threshold of the relative gate used for I (LUFS). */
  integratedThresholdLufs: number;
  /** Loudness range LRA (LU). */
  loudnessRange: number;
  lraLowLufs: number;
  lraHighLufs: number;
  /** Maximum true peak (dBTP); −Infinity for digital silence. */
  truePeakDbtp: number | null;
}

/**
 * Parses the summary ebur128 prints when the filter closes. Only the last summary counts: ffmpeg
 * 5.1 prints an all-zero one even when the filter failed to start, so call this only after a
 * successful run. Returns null when there is no summary.
 */
export function parseEbur128Summary(stderr: string): Ebur128Summary | null {
  const at = stderr.lastIndexOf('Summary:');
  if (at < 0) return null;
  const text = stderr.slice(at);
  const integrated = section(text, 'Integrated loudness:', 'Loudness range:');
  const range = section(text, 'Loudness range:', 'True peak:');
  const peak = section(text, 'True peak:', null);
  const i = field(integrated, 'I', 'LUFS');
  const lra = field(range, 'LRA', 'LU');
  if (i === null || lra === null) return null;
  return {
    integratedLufs: i,
    integratedThresholdLufs: field(integrated, 'Threshold', 'LUFS') ?? NaN,
    loudnessRange: lra,
    lraLowLufs: field(range, 'LRA low', 'LUFS') ?? NaN,
    lraHighLufs: field(range, 'LRA high', 'LUFS') ?? NaN,
    truePeakDbtp: field(peak, 'Peak', 'dBFS'),
  };
}

function section(text: string, from: string, to: string | null): string {
  const start = text.indexOf(from);
  if (start < 0) return '';
  const end = to === null ? -1 : text.indexOf(to, start);
  return text.slice(start + from.length, end < 0 ? undefined : end);
}

/** `  I:         -23.0 LUFS` → −23; `-inf` → −Infinity. */
function field(section: string, label: string, unit: string): number | null {
  const m = new RegExp(String.raw`^\s*${label}:\s+(-?inf|-?\d+(?:\.\d+)?)\s+${unit}\s*$`, 'mi').exec(section);
  if (!m) return null;
  const v = m[1]!.toLowerCase();
  return v === '-inf' ? -Infinity : v === 'inf' ? Infinity : Number(v);
}

/** ReplayGain 2.0 reference: −18 LUFS. */
export const REPLAYGAIN2_REFERENCE_LUFS = -18;

/** ReplayGain 2.0 track gain (dB) for an integrated loudness: −18 − I, rounded to 0.01 dB. */
export function replayGainTrackGain(integratedLufs: number): number {
  return Math.round((REPLAYGAIN2_REFERENCE_LUFS - integratedLufs) * 100) / 100;
}

export interface LoudnessResult {
  integratedLufs: number;
  loudnessRange: number;
  /** dBTP; −Infinity for digital silence. */
  truePeakDbtp: number;
  trackGainDb: number;
}

export interface LoudnessSource {
  durationMs: number;
  audioStreamIndex?: number;
}

/**
 * Measures EBU R128 loudness with ffmpeg's `ebur128` filter (~10× faster than `loudnorm`). Without
 * `source` (duration for progress, which audio stream) the file is probed first.
 */
export async function measureLoudness(
  input: string,
  source?: LoudnessSource,
  options: OperationOptions = {},
): Promise<LoudnessResult> {
  if (!source) {
    const p = await probe(input, { signal: options.signal, ffprobePath: options.ffprobePath });
    assertAudio(p);
    source = { durationMs: p.durationMs, audioStreamIndex: p.audio.index };
  }
  const out = await runFfmpeg(buildLoudnessArgs(input, { audioStreamIndex: source.audioStreamIndex }), {
    timeoutMs: options.timeoutMs ?? defaultTimeoutMs(source.durationMs),
    signal: options.signal,
    binary: options.ffmpegPath,
    durationMs: source.durationMs,
    onProgress: options.onProgress ? (p) => p.percent !== null && options.onProgress!(p.percent) : undefined,
    niceness: options.niceness,
  });
  const summary = parseEbur128Summary(out.stderrTail);
  if (!summary) throw new Error('ffmpeg ebur128 printed no summary');
  return {
    integratedLufs: summary.integratedLufs,
    loudnessRange: summary.loudnessRange,
    truePeakDbtp: summary.truePeakDbtp ?? -Infinity,
    trackGainDb: replayGainTrackGain(summary.integratedLufs),
  };
}

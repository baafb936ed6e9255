import os from 'node:os';
import { FfmpegError, MediaRejectedError, lowerFirst } from './errors.ts';
import { audioOnly, inputArgs } from './input.ts';
import { assertAudio, probe } from './probe.ts';
import { runFfmpeg } from './runner.ts';
import { defaultTimeoutMs, type OperationOptions } from './tool-options.ts';

/** BBC audiowaveform's JSON format, version 2, one channel, 8-bit: what peaks.js and waveform-data read. */
export interface AudiowaveformJson {
  version: 2;
  channels: 1;
  sample_rate: number;
  samples_per_pixel: number;
  bits: 8;
  /** Number of points (min/max pairs). */
  length: number;
  /** `[min0, max0, min1, max1, …]`, each −128…127. */
  data: number[];
}

/** About this many points per track, whatever its length: enough for a full-width player on a wide HiDPI screen. */
export const WAVEFORM_TARGET_POINTS = 3000;
/** Short tracks get fewer points rather than sub-millisecond ones (64 samples ≈ 1.5 ms at 44.1 kHz). */
export const MIN_SAMPLES_PER_PIXEL = 64;

/**
 * The resolution rule: `samples_per_pixel = max(64, floor(totalSamples / 3000))`. Any track of
 * 4.4 s or more then yields between 3,000 and ~3,050 points (within 1 % of 3,000 above 30 s), and
 * shorter ones 64 samples (≈1.5 ms) per point. waveform-data can only make a waveform coarser
 * (`resample`), never finer, so the stored one aims at the widest display; narrower players
 * resample it down.
 */
export function chooseSamplesPerPixel(
  totalSamples: number,
  targetPoints = WAVEFORM_TARGET_POINTS,
  minSamplesPerPixel = MIN_SAMPLES_PER_PIXEL,
): number {
  if (!(totalSamples > 0)) return minSamplesPerPixel;
  return Math.max(minSamplesPerPixel, Math.floor(totalSamples / targetPoints));
}

export interface WaveformDecodeArgsOptions {
  input: string;
  /** Rate of the PCM written (the source rate: no resampling when they match). */
  sampleRate: number;
  audioStreamIndex?: number;
}

/** Decodes the audio to mono signed 16-bit little-endian PCM on stdout (channels averaged, as audiowaveform does by default). */
export function buildWaveformDecodeArgs(o: WaveformDecodeArgsOptions): string[] {
  return [
    ...inputArgs(o.input),
    ...audioOnly(o.audioStreamIndex),
    '-ac',
    '1',
    '-ar',
    String(o.sampleRate),
    '-c:a',
    'pcm_s16le',
    '-f',
    's16le',
    'pipe:1',
  ];
}

const LITTLE_ENDIAN = os.endianness() === 'LE';

/**
 * Folds a stream of s16le samples into min/max pairs, chunk by chunk: memory is the output
 * (2 bytes a point) plus at most one odd byte carried between chunks.
 */
export class PeakFolder {
  private min = 32767;
  private max = -32768;
  private inPixel = 0;
  private carry: number | null = null;
  private readonly out: number[] = [];
  samples = 0;

  constructor(readonly samplesPerPixel: number) {
    if (!Number.isInteger(samplesPerPixel) || samplesPerPixel < 1)
      throw new RangeError(`samplesPerPixel must be a positive integer, got ${samplesPerPixel}`);
  }

  push(chunk: Uint8Array): void {
    let bytes = chunk;
    if (this.carry !== null) {
      if (bytes.length === 0) return;
      this.add((((bytes[0]! << 8) | this.carry) << 16) >> 16);
      this.carry = null;
      bytes = bytes.subarray(1);
    }
    const n = bytes.length >> 1;
    if (bytes.length & 1) this.carry = bytes[bytes.length - 1]!;
    if (n === 0) return;
    if (LITTLE_ENDIAN) {
      let aligned = bytes;
      if (bytes.byteOffset % 2 !== 0) {
        aligned = new Uint8Array(n * 2); // Int16Array views need an even offset
        aligned.set(bytes.subarray(0, n * 2));
      }
      this.addAll(new Int16Array(aligned.buffer, aligned.byteOffset, n));
    } else {
      const view = new DataView(bytes.buffer, bytes.byteOffset, n * 2);
      for (let i = 0; i < n; i++) this.add(view.getInt16(i * 2, true));
    }
  }

  private addAll(samples: Int16Array): void {
    const spp = this.samplesPerPixel;
    let { min, max, inPixel } = this;
    for (let i = 0; i < samples.length; i++) {
      const v = samples[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
      if (++inPixel === spp) {
        this.out.push(min >> 8, max >> 8);
        min = 32767;
        max = -32768;
        inPixel = 0;
      }
    }
    this.samples += samples.length;
    this.min = min;
    this.max = max;
    this.inPixel = inPixel;
  }

  private add(v: number): void {
    this.addAll(Int16Array.of(v));
  }

  /** Points completed so far (a pixel still filling is not one). */
  get points(): number {
    return this.out.length / 2;
  }

  /** A copy of the completed points' `data`, for a waveform published while the decode goes on. */
  snapshot(): number[] {
    return this.out.slice();
  }

  /** The `data` array; a last, partial pixel counts as a point. */
  finish(): number[] {
    if (this.inPixel > 0) {
      this.out.push(this.min >> 8, this.max >> 8);
      this.min = 32767;
      this.max = -32768;
      this.inPixel = 0;
    }
    return this.out;
  }
}

export interface WaveformSource {
  /** Expected duration (from `probe`), to choose samples_per_pixel and report progress. */
  durationMs: number;
  sampleRate: number;
  audioStreamIndex?: number;
}

export interface WaveformOptions extends OperationOptions {
  targetPoints?: number;
  minSamplesPerPixel?: number;
  /**
   * Called while the decode goes on (docs/performance.md, "Playable in seconds") with the
   * waveform of the audio decoded so far: the same JSON as the finished one, only `length` and
   * `data` cover the completed points (every call's `data` is a prefix of the next's and of the
   * final one). About every tenth of the expected points; never with the finished waveform.
   */
  onPartial?: (json: AudiowaveformJson) => void;
  /** Points between two `onPartial` calls (default: a tenth of the expected points). */
  partialEveryPoints?: number;
}

export interface WaveformResult {
  json: AudiowaveformJson;
  samplesDecoded: number;
  /** How much audio really decoded: the pipeline compares it with the probed duration. */
  decodedDurationMs: number;
}

/**
 * Decodes the whole track once (streaming, never whole in memory) and returns its peaks. Without
 * `source` the file is probed first.
 */
export async function computeWaveform(
  input: string,
  source?: WaveformSource,
  options: WaveformOptions = {},
): Promise<WaveformResult> {
  source ??= await sourceFromProbe(input, options);
  const rate = source.sampleRate;
  if (!(rate > 0)) throw new RangeError(`sampleRate must be positive, got ${rate}`);
  const spp = chooseSamplesPerPixel(
    Math.round((source.durationMs / 1000) * rate),
    options.targetPoints,
    options.minSamplesPerPixel,
  );
  const folder = new PeakFolder(spp);
  const expectedPoints = Math.ceil(((source.durationMs / 1000) * rate) / spp);
  const every = Math.max(1, Math.floor(options.partialEveryPoints ?? expectedPoints / 10));
  let nextPartial = every;
  const waveformJson = (data: number[]): AudiowaveformJson => ({
    version: 2,
    channels: 1,
    sample_rate: rate,
    samples_per_pixel: spp,
    bits: 8,
    length: data.length / 2,
    data,
  });
  const onStdout = (chunk: Uint8Array) => {
    folder.push(chunk);
    if (options.onPartial && folder.points >= nextPartial) {
      nextPartial = folder.points + every;
      options.onPartial(waveformJson(folder.snapshot()));
    }
  };
  await runFfmpeg(buildWaveformDecodeArgs({ input, sampleRate: rate, audioStreamIndex: source.audioStreamIndex }), {
    timeoutMs: options.timeoutMs ?? defaultTimeoutMs(source.durationMs),
    signal: options.signal,
    binary: options.ffmpegPath,
    durationMs: source.durationMs,
    onProgress: options.onProgress ? (p) => p.percent !== null && options.onProgress!(p.percent) : undefined,
    onStdout,
    niceness: options.niceness,
  }).catch((err: unknown) => {
    // Decoding to a pipe has nothing else to fail on: an ffmpeg error here is the file's.
    if (err instanceof FfmpegError && err.kind === 'exit')
      throw new MediaRejectedError('unreadable', `cannot decode this file: ${lowerFirst(err.reason)}`);
    throw err;
  });
  if (folder.samples === 0)
    throw new MediaRejectedError('truncated', 'file is truncated or damaged: no audio could be decoded');
  return {
    json: waveformJson(folder.finish()),
    samplesDecoded: folder.samples,
    decodedDurationMs: (folder.samples / rate) * 1000,
  };
}

async function sourceFromProbe(input: string, options: WaveformOptions): Promise<WaveformSource> {
  const p = await probe(input, { signal: options.signal, ffprobePath: options.ffprobePath });
  assertAudio(p);
  return { durationMs: p.durationMs, sampleRate: p.audio.sampleRate, audioStreamIndex: p.audio.index };
}

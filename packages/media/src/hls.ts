import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildMasterPlaylist, measureRendition, type RenditionMeasure } from './hls-playlist.ts';
import { audioMap, inputArgs } from './input.ts';
import { runFfmpeg } from './runner.ts';
import { defaultTimeoutMs, type OperationOptions } from './tool-options.ts';

export interface Rendition {
  /** Directory name under the output folder, and what the master playlist points at. */
  name: string;
  bitrateKbps: number;
}

/**
 * The ladder: Apple's HLS authoring spec recommends 32–160 kbit/s for stereo AAC-LC; 64 k is the
 * fallback for bad networks, 128 k the usual, 160 k the best it lists. The master lists them from
 * low to high. Mono sources keep one channel at the same bit rates (the ladder is about bandwidth;
 * the encoder simply has more bits per channel).
 */
export const DEFAULT_RENDITIONS: readonly Rendition[] = [
  { name: '64k', bitrateKbps: 64 },
  { name: '128k', bitrateKbps: 128 },
  { name: '160k', bitrateKbps: 160 },
];

export const HLS_SEGMENT_SECONDS = 6;
export const MASTER_PLAYLIST = 'playlist.m3u8';
export const MEDIA_PLAYLIST = 'index.m3u8';
export const INIT_SEGMENT = 'init.mp4';
export const SEGMENT_PATTERN = 'seg_%05d.m4s';

/**
 * 44.1 and 48 kHz stay; higher rates (88.2/96/192 kHz masters) become 48 kHz, which AAC players all
 * support and which keeps everything audible; lower or odd rates become 44.1 kHz (AAC-LC in HLS
 * should be 44.1 or 48 kHz, and renditions of one track share one rate).
 */
export function hlsSampleRate(sourceRate: number): 44100 | 48000 {
  if (sourceRate === 44100) return 44100;
  return sourceRate >= 48000 ? 48000 : 44100;
}

/** Mono stays mono; stereo stays stereo; more channels are downmixed to stereo. */
export function hlsChannels(sourceChannels: number): 1 | 2 {
  return sourceChannels === 1 ? 1 : 2;
}

export interface HlsRenditionArgsOptions {
  input: string;
  /** `<outDir>/<rendition.name>`: receives index.m3u8, init.mp4 and seg_00001.m4s… */
  renditionDir: string;
  rendition: Rendition;
  sourceSampleRate: number;
  sourceChannels: number;
  /** Absolute index of the audio stream (from `probe`); default the first audio stream. */
  audioStreamIndex?: number;
  segmentSeconds?: number;
}

/**
 * One rendition, one ffmpeg process: ffmpeg 5.1 encodes the outputs of one process one after
 * another, and one process per rendition ran ~2× faster on 2 cores.
 */
export function buildHlsRenditionArgs(o: HlsRenditionArgsOptions): string[] {
  const dir = o.renditionDir;
  return [
    '-y',
    ...inputArgs(o.input),
    '-map',
    audioMap(o.audioStreamIndex),
    '-vn',
    '-sn',
    '-dn',
    '-map_metadata',
    '-1',
    '-map_chapters',
    '-1',
    '-c:a',
    'aac',
    '-profile:a',
    'aac_low',
    '-b:a',
    `${o.rendition.bitrateKbps}k`,
    '-ac',
    String(hlsChannels(o.sourceChannels)),
    '-ar',
    String(hlsSampleRate(o.sourceSampleRate)),
    '-f',
    'hls',
    '-hls_time',
    String(o.segmentSeconds ?? HLS_SEGMENT_SECONDS),
    '-hls_playlist_type',
    'vod',
    '-hls_list_size',
    '0',
    '-hls_segment_type',
    'fmp4',
    '-hls_flags',
    'independent_segments',
    '-hls_fmp4_init_filename',
    INIT_SEGMENT,
    '-start_number',
    '1',
    // The segment name is a pattern: a literal % in the directory must be doubled.
    '-hls_segment_filename',
    path.join(dir.replaceAll('%', '%%'), SEGMENT_PATTERN),
    path.join(dir, MEDIA_PLAYLIST),
  ];
}

export interface HlsSource {
  sampleRate: number;
  channels: number;
  durationMs: number;
  audioStreamIndex?: number;
}

export interface TranscodeHlsOptions extends OperationOptions {
  renditions?: readonly Rendition[];
  /** How many renditions encode at once. Default: all of them (one process each). */
  concurrency?: number;
}

export interface HlsOutput {
  /** `playlist.m3u8`, relative to the output directory. */
  masterPlaylist: string;
  renditions: RenditionMeasure[];
  /** Every file written, relative to the output directory (for upload). */
  files: string[];
}

/**
 * Transcodes `input` into `<outDir>/<rendition>/` for every rendition and writes
 * `<outDir>/playlist.m3u8` with measured bandwidths. Idempotent: old rendition folders are
 * removed first, so a rerun leaves no stale segments. When one rendition fails the others are
 * killed and the first error is thrown.
 */
export async function transcodeHls(
  input: string,
  outDir: string,
  source: HlsSource,
  options: TranscodeHlsOptions = {},
): Promise<HlsOutput> {
  const renditions = options.renditions ?? DEFAULT_RENDITIONS;
  if (renditions.length === 0) throw new Error('no renditions');
  const names = new Set(renditions.map((r) => r.name));
  if (names.size !== renditions.length || [...names].some((n) => !/^[\w.-]+$/.test(n)))
    throw new Error('rendition names must be unique, simple folder names');

  await mkdir(outDir, { recursive: true });
  await rm(path.join(outDir, MASTER_PLAYLIST), { force: true });
  for (const r of renditions) {
    await rm(path.join(outDir, r.name), { recursive: true, force: true });
    await mkdir(path.join(outDir, r.name));
  }

  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const percents = renditions.map(() => 0);
  const report = () => options.onProgress?.(percents.reduce((a, b) => a + b, 0) / percents.length);
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs(source.durationMs);

  const encode = async (i: number) => {
    const rendition = renditions[i]!;
    const args = buildHlsRenditionArgs({
      input,
      renditionDir: path.join(outDir, rendition.name),
      rendition,
      sourceSampleRate: source.sampleRate,
      sourceChannels: source.channels,
      audioStreamIndex: source.audioStreamIndex,
    });
    await runFfmpeg(args, {
      timeoutMs,
      signal,
      binary: options.ffmpegPath,
      durationMs: source.durationMs,
      onProgress: (p) => {
        if (p.percent === null) return;
        percents[i] = p.percent;
        report();
      },
    });
  };

  await runPool(renditions.length, Math.max(1, options.concurrency ?? renditions.length), encode, () => stop.abort());

  const measured = await Promise.all(
    renditions.map((r) => measureRendition(path.join(outDir, r.name), MEDIA_PLAYLIST)),
  );
  const byName = Object.fromEntries(measured.map((m) => [m.name, m]));
  await writeFile(path.join(outDir, MASTER_PLAYLIST), buildMasterPlaylist(renditions, byName, MEDIA_PLAYLIST));

  const files = [MASTER_PLAYLIST];
  for (const m of measured) {
    files.push(`${m.name}/${MEDIA_PLAYLIST}`);
    if (m.init) files.push(`${m.name}/${m.init.uri}`);
    for (const s of m.segments) files.push(`${m.name}/${s.uri}`);
  }
  return { masterPlaylist: MASTER_PLAYLIST, renditions: measured, files };
}

/** Runs `task(0…count-1)` with at most `limit` at a time; on the first failure calls `onFail` and rethrows it once all have settled. */
async function runPool(
  count: number,
  limit: number,
  task: (i: number) => Promise<void>,
  onFail: () => void,
): Promise<void> {
  let next = 0;
  let firstError: unknown;
  let failed = false;
  const worker = async () => {
    while (!failed && next < count) {
      const i = next++;
      try {
        await task(i);
      } catch (err) {
        if (!failed) {
          failed = true;
          firstError = err;
          onFail();
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  if (failed) throw firstError;
}

import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  buildMasterPlaylist,
  buildProvisionalMasterPlaylist,
  measureRendition,
  parseMediaPlaylist,
  type RenditionMeasure,
} from './hls-playlist.ts';
import { audioOnly, inputArgs } from './input.ts';
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
  /** ffmpeg's `-readrate`: reads the input no faster than this many times real time (tests of a slow encode). */
  readRate?: number;
}

/**
 * One rendition, one ffmpeg process: ffmpeg 5.1 encodes the outputs of one process one after
 * another, and one process per rendition ran ~2× faster on 2 cores.
 */
export function buildHlsRenditionArgs(o: HlsRenditionArgsOptions): string[] {
  const dir = o.renditionDir;
  return [
    '-y',
    ...(o.readRate ? ['-readrate', String(o.readRate)] : []),
    ...inputArgs(o.input),
    ...audioOnly(o.audioStreamIndex),
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
    // EVENT, not VOD: ffmpeg 5.1 writes a VOD playlist only once the encode ends, an EVENT one
    // after every segment (through a temp file and a rename), which is what publishes the
    // rendition while it grows. The segments are the same bytes; `transcodeHls` turns the finished
    // playlist into the VOD one (`finishedPlaylist`).
    '-hls_playlist_type',
    'event',
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

/**
 * What `transcodeHls` hands over while it encodes, for publishing the stream as it grows
 * (docs/performance.md, "Playable in seconds"). Paths are relative to the output directory.
 */
export type HlsPublication =
  | {
      kind: 'rendition';
      rendition: string;
      /** Files complete on disk and not handed over before (the init section, then segments). */
      files: string[];
      /** `<rendition>/index.m3u8`. */
      playlist: string;
      /** The playlist listing exactly the files handed over so far: EVENT while growing, the final VOD one when `final`. */
      playlistText: string;
      final: boolean;
    }
  | {
      /** Once every rendition has its first segment: a master with nominal bandwidths (`buildProvisionalMasterPlaylist`). */
      kind: 'master';
      playlist: string;
      text: string;
    };

export interface TranscodeHlsOptions extends OperationOptions {
  renditions?: readonly Rendition[];
  /** How many renditions encode at once. Default: all of them (one process each). */
  concurrency?: number;
  /**
   * Called, one call at a time, as segments are written and when a rendition is complete. The
   * encode waits for nothing; a rejection stops it (and is the error thrown). The finished
   * output (`files`) is the same with or without it.
   */
  onPublish?: (publication: HlsPublication) => Promise<void>;
  /** How often the growing playlists are looked at, in ms (default 50: a file read each, against a first segment that a listener waits for). */
  publishPollMs?: number;
  /** See `HlsRenditionArgsOptions.readRate`. */
  readRate?: number;
}

/** The VOD playlist of a finished rendition, from the EVENT playlist ffmpeg wrote: only the type differs. */
export function finishedPlaylist(eventText: string): string {
  const parsed = parseMediaPlaylist(eventText);
  if (!parsed.endList) throw new Error('rendition playlist has no #EXT-X-ENDLIST: the encode did not finish');
  if (parsed.playlistType !== 'EVENT') return eventText;
  return eventText.replace(/^#EXT-X-PLAYLIST-TYPE:EVENT$/m, '#EXT-X-PLAYLIST-TYPE:VOD');
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

  let publishError: { err: unknown } | null = null;
  const publisher = options.onPublish
    ? new Publisher(outDir, renditions, options.onPublish, options.publishPollMs ?? 50, (err) => {
        publishError ??= { err };
        stop.abort();
      })
    : null;

  const encode = async (i: number) => {
    const rendition = renditions[i]!;
    const watch = publisher?.watch(rendition.name);
    const args = buildHlsRenditionArgs({
      input,
      renditionDir: path.join(outDir, rendition.name),
      rendition,
      sourceSampleRate: source.sampleRate,
      sourceChannels: source.channels,
      audioStreamIndex: source.audioStreamIndex,
      readRate: options.readRate,
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
    }).finally(() => watch?.stop());
    const file = path.join(outDir, rendition.name, MEDIA_PLAYLIST);
    // Through a temp file and a rename, as ffmpeg writes it: a look at the playlist queued before
    // the watch stopped may still run now, and must never read it half written (an empty read
    // failed the encode).
    await writeFile(`${file}.tmp`, finishedPlaylist(await readFile(file, 'utf8')));
    await rename(`${file}.tmp`, file);
    await publisher?.finish(rendition.name);
  };

  try {
    await runPool(renditions.length, Math.max(1, options.concurrency ?? renditions.length), encode, () => stop.abort());
  } catch (err) {
    throw publishError ? (publishError as { err: unknown }).err : err;
  }
  await publisher?.idle();
  if (publishError) throw (publishError as { err: unknown }).err;

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

/**
 * Segments every rendition has before the provisional master is handed over (or the rendition is
 * complete). A player that starts on a growing playlist reloads it about once a target duration
 * (6 s): with two segments it holds 12 s of audio ahead when it starts, so its first reload comes
 * with half of that still buffered, and by then the encoders (several times faster than real time)
 * have listed many more. With one segment the first reload came as the buffer ran out (a stall in
 * the browser test); three held 18 s but cost a third more encoding before the first note.
 */
export const PROVISIONAL_MASTER_SEGMENTS = 2;

/**
 * Watches the rendition folders while ffmpeg writes them and hands over what is complete, one
 * call at a time: ffmpeg rewrites `index.m3u8` (temp file + rename) after each finished segment,
 * so a segment listed there is whole on disk.
 */
class Publisher {
  private chain: Promise<void> = Promise.resolve();
  private readonly sent = new Map<string, Set<string>>();
  private readonly lastText = new Map<string, string>();
  private readonly finished = new Set<string>();
  private masterSent = false;

  constructor(
    private readonly outDir: string,
    private readonly renditions: readonly Rendition[],
    private readonly onPublish: (p: HlsPublication) => Promise<void>,
    private readonly pollMs: number,
    private readonly onError: (err: unknown) => void,
  ) {
    for (const r of renditions) this.sent.set(r.name, new Set());
  }

  watch(name: string): { stop(): void } {
    const timer = setInterval(() => this.enqueue(() => this.look(name, false)), this.pollMs);
    return { stop: () => clearInterval(timer) };
  }

  finish(name: string): Promise<void> {
    this.enqueue(() => this.look(name, true));
    return this.idle();
  }

  idle(): Promise<void> {
    return this.chain;
  }

  private enqueue(task: () => Promise<void>): void {
    this.chain = this.chain.then(task).catch((err) => this.onError(err));
  }

  private async look(name: string, final: boolean): Promise<void> {
    const playlist = `${name}/${MEDIA_PLAYLIST}`;
    let text: string;
    try {
      text = await readFile(path.join(this.outDir, playlist), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !final) return; // no segment finished yet
      throw err;
    }
    if (!final && text === this.lastText.get(name)) return;
    this.lastText.set(name, text);
    const parsed = parseMediaPlaylist(text);
    // Between ffmpeg's last write (EVENT with its end) and `finish`, only the finished VOD
    // playlist is handed over: a complete playlist is cached by servers, so it must be the final one.
    if (!final && (parsed.segments.length === 0 || parsed.endList)) return;
    const sent = this.sent.get(name)!;
    const files: string[] = [];
    for (const uri of [...(parsed.initUri ? [parsed.initUri] : []), ...parsed.segments.map((s) => s.uri)]) {
      if (sent.has(uri)) continue;
      sent.add(uri);
      files.push(`${name}/${uri}`);
    }
    await this.onPublish({ kind: 'rendition', rendition: name, files, playlist, playlistText: text, final });
    if (final) this.finished.add(name);
    const enough = (r: Rendition) =>
      this.finished.has(r.name) || (this.sent.get(r.name)?.size ?? 0) >= 1 + PROVISIONAL_MASTER_SEGMENTS;
    if (!this.masterSent && this.renditions.every(enough)) {
      this.masterSent = true;
      await this.onPublish({
        kind: 'master',
        playlist: MASTER_PLAYLIST,
        text: buildProvisionalMasterPlaylist(this.renditions),
      });
    }
  }
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

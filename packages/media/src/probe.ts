import { stat } from 'node:fs/promises';
import { FfmpegError, MediaRejectedError, lowerFirst } from './errors.ts';
import { inputArgs } from './input.ts';
import { runFfprobe } from './runner.ts';
import type { ToolOptions } from './tool-options.ts';

export interface AudioStreamInfo {
  /** Absolute stream index in the file (for `-map 0:<index>`). */
  index: number;
  codec: string;
  codecLongName: string | null;
  profile: string | null;
  sampleRate: number;
  channels: number;
  /**
   * `stereo`, `mono`, `5.1(side)`…; when the file does not say (plain WAV), the layout ffmpeg
   * assumes for 1 and 2 channels, else null.
   */
  channelLayout: string | null;
  /** Bits per sample of the source for PCM and lossless codecs (16, 24, 32); absent for lossy codecs. */
  bitDepth?: number;
  sampleFormat: string | null;
  bitRate: number | null;
  durationMs: number | null;
}

export interface PictureInfo {
  index: number;
  /** As ffprobe names it: `mjpeg`, `png`, `webp`, `bmp`… */
  codec: string;
  width: number;
  height: number;
}

export interface VideoStreamInfo extends PictureInfo {
  frameRate: number | null;
  durationMs: number | null;
}

export interface ProbeResult {
  /** ffprobe's demuxer name(s): `wav`, `flac`, `mp3`, `ogg`, `mov,mp4,m4a,3gp,3g2,mj2`… */
  formatName: string;
  durationMs: number | null;
  /** True when ffprobe guessed the duration from the bit rate (e.g. VBR MP3 without a Xing header). */
  durationEstimated: boolean;
  bitRate: number | null;
  sizeBytes: number | null;
  /** How sure ffprobe is of the format, 0–100 (below 25 it is a guess). */
  probeScore: number | null;
  audio: AudioStreamInfo | null;
  /** How many audio streams the file has (`audio` is the one chosen among them). */
  audioStreamCount: number;
  /** A real video stream (moving pictures). Cover art is never counted as video. */
  video: VideoStreamInfo | null;
  /** Embedded cover art: an attached picture (ID3 APIC, FLAC PICTURE, MP4 covr) or a still image stream. */
  cover: PictureInfo | null;
  /** The container's tags (and the audio stream's: Ogg, Opus), as the file has them: untrusted. */
  tags: Record<string, string>;
}

export type AudioProbeResult = ProbeResult & { audio: AudioStreamInfo; durationMs: number };

export interface ProbeOptions extends ToolOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** ffprobe arguments for `probe`. `-v warning` keeps the "Estimating duration from bitrate" warning. */
export function buildProbeArgs(file: string): string[] {
  return ['-v', 'warning', '-show_format', '-show_streams', '-of', 'json', ...inputArgs(file)];
}

/**
 * Describes a media file. Rejects with `MediaRejectedError` when the file is empty or ffprobe
 * cannot read it at all; other failures (timeout, ffprobe missing) are `FfmpegError`s. Whether
 * there is usable audio is `assertAudio`'s call.
 */
export async function probe(file: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  const info = await stat(file);
  if (!info.isFile()) throw new Error(`not a file: ${file}`);
  if (info.size === 0) throw new MediaRejectedError('empty', 'file is empty');
  let out;
  try {
    out = await runFfprobe(buildProbeArgs(file), {
      timeoutMs: options.timeoutMs ?? 60_000,
      signal: options.signal,
      binary: options.ffprobePath,
    });
  } catch (err) {
    if (err instanceof FfmpegError && err.kind === 'exit')
      throw new MediaRejectedError('unreadable', `cannot read this file: ${lowerFirst(err.reason)}`);
    throw err;
  }
  return parseProbeOutput(out.stdout, out.stderrTail);
}

// What `ffprobe -show_format -show_streams -of json` writes (the parts used here).
interface FfprobeStream {
  index: number;
  codec_name?: string;
  codec_long_name?: string;
  profile?: string;
  codec_type?: string;
  sample_fmt?: string;
  sample_rate?: string;
  channels?: number;
  channel_layout?: string;
  bits_per_sample?: number;
  bits_per_raw_sample?: string;
  bit_rate?: string;
  duration?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  nb_frames?: string;
  disposition?: Record<string, number>;
  tags?: Record<string, string>;
}
interface FfprobeFormat {
  format_name?: string;
  duration?: string;
  size?: string;
  bit_rate?: string;
  probe_score?: number;
  tags?: Record<string, string>;
}

/** Codecs of still pictures: such a stream is artwork, not video, unless it has many frames. */
const PICTURE_CODECS = new Set([
  'mjpeg',
  'png',
  'bmp',
  'gif',
  'webp',
  'tiff',
  'jpeg2000',
  'jpegls',
  'ljpeg',
  'targa',
  'ppm',
  'pgm',
  'pam',
]);

/** Pure: ffprobe's JSON (and the warnings it printed) → `ProbeResult`. */
export function parseProbeOutput(json: string, stderr = ''): ProbeResult {
  let parsed: { streams?: FfprobeStream[]; format?: FfprobeFormat };
  try {
    parsed = JSON.parse(json) as typeof parsed;
  } catch {
    throw new MediaRejectedError('unreadable', 'cannot read this file: ffprobe gave no usable description');
  }
  const streams = parsed.streams ?? [];
  const format = parsed.format ?? {};

  const audioStreams = streams.filter((s) => s.codec_type === 'audio');
  const audioStream =
    audioStreams.find((s) => (s.channels ?? 0) > 0 && s.disposition?.default === 1) ??
    audioStreams.find((s) => (s.channels ?? 0) > 0) ??
    audioStreams[0];
  const videoStreams = streams.filter((s) => s.codec_type === 'video');
  const coverStream = videoStreams.find(isPicture);
  const videoStream = videoStreams.find((s) => !isPicture(s));

  return {
    formatName: format.format_name ?? 'unknown',
    durationMs: toMs(format.duration) ?? toMs(audioStream?.duration),
    durationEstimated: /Estimating duration from bitrate/i.test(stderr),
    bitRate: toInt(format.bit_rate),
    sizeBytes: toInt(format.size),
    probeScore: typeof format.probe_score === 'number' ? format.probe_score : null,
    audio: audioStream ? toAudio(audioStream) : null,
    audioStreamCount: audioStreams.length,
    video: videoStream
      ? {
          ...toPicture(videoStream),
          frameRate: toRate(videoStream.avg_frame_rate),
          durationMs: toMs(videoStream.duration),
        }
      : null,
    cover: coverStream ? toPicture(coverStream) : null,
    // Ogg and Opus keep their comments on the audio stream; the container's tags win over them.
    tags: { ...(audioStream?.tags ?? {}), ...(format.tags ?? {}) },
  };
}

/** Formats that point at other files or URLs instead of holding audio. */
const INDIRECT_FORMATS = new Set(['hls', 'concat', 'ffmetadata', 'dash']);
const IMAGE_FORMAT = /_pipe$|^image2$/;
/** Text-art "formats" ffmpeg picks for any bytes named .bin, .txt, .ans…: never media. */
const TEXT_FORMATS = new Set(['bin', 'tty', 'ansi', 'xbin', 'adf', 'idf']);

/**
 * Throws `MediaRejectedError` with a reason the uploader understands unless the file has a usable
 * audio stream and a duration. Video files with sound pass (their first audio stream is used);
 * cover pictures are not video.
 */
export function assertAudio(result: ProbeResult): asserts result is AudioProbeResult {
  const formats = result.formatName.split(',');
  if (formats.some((f) => INDIRECT_FORMATS.has(f))) {
    throw new MediaRejectedError('unreadable', 'cannot read this file: it is a playlist or list of files, not audio');
  }
  if ((result.probeScore !== null && result.probeScore < 25) || formats.some((f) => TEXT_FORMATS.has(f))) {
    throw new MediaRejectedError('unreadable', 'cannot read this file: its format is not recognised');
  }
  if (!result.audio) {
    const what = result.video
      ? ' (it is a video without sound)'
      : result.cover || IMAGE_FORMAT.test(result.formatName)
        ? ' (it is an image)'
        : '';
    throw new MediaRejectedError('no-audio', `no audio stream found${what}`);
  }
  if (!(result.audio.sampleRate > 0) || !(result.audio.channels > 0)) {
    throw new MediaRejectedError('unreadable', 'cannot read this file: its audio stream cannot be decoded');
  }
  if (result.durationMs === null || !(result.durationMs > 0)) {
    throw new MediaRejectedError('truncated', 'file is truncated: it has a header but no audio data');
  }
}

function isPicture(s: FfprobeStream): boolean {
  if (s.disposition?.attached_pic === 1 || s.disposition?.still_image === 1) return true;
  const frames = toInt(s.nb_frames);
  return PICTURE_CODECS.has(s.codec_name ?? '') && (frames === null || frames <= 1);
}

const DEFAULT_LAYOUTS: Record<number, string> = { 1: 'mono', 2: 'stereo' };

function toAudio(s: FfprobeStream): AudioStreamInfo {
  const raw = toInt(s.bits_per_raw_sample);
  const codec = s.codec_name ?? 'unknown';
  const bitDepth =
    raw !== null && raw > 0
      ? raw
      : codec.startsWith('pcm_') && (s.bits_per_sample ?? 0) > 0
        ? s.bits_per_sample
        : undefined;
  return {
    index: s.index,
    codec,
    codecLongName: s.codec_long_name ?? null,
    profile: s.profile ?? null,
    sampleRate: toInt(s.sample_rate) ?? 0,
    channels: s.channels ?? 0,
    channelLayout: s.channel_layout ?? DEFAULT_LAYOUTS[s.channels ?? 0] ?? null,
    ...(bitDepth !== undefined ? { bitDepth } : {}),
    sampleFormat: s.sample_fmt ?? null,
    bitRate: toInt(s.bit_rate),
    durationMs: toMs(s.duration),
  };
}

function toPicture(s: FfprobeStream): PictureInfo {
  return { index: s.index, codec: s.codec_name ?? 'unknown', width: s.width ?? 0, height: s.height ?? 0 };
}

function toMs(value: string | undefined): number | null {
  const n = Number(value);
  return value !== undefined && value !== 'N/A' && Number.isFinite(n) ? Math.round(n * 1000) : null;
}

function toInt(value: string | number | undefined): number | null {
  if (value === undefined || value === 'N/A') return null;
  const n = Number(value);
  return Number.isFinite(n) ? Math.round(n) : null;
}

function toRate(value: string | undefined): number | null {
  const m = /^(\d+)\/(\d+)$/.exec(value ?? '');
  if (!m || Number(m[2]) === 0) return null;
  return Number(m[1]) / Number(m[2]);
}

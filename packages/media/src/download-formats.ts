import { inputArgs, audioMap } from './input.ts';
import { runFfmpeg } from './runner.ts';
import { defaultTimeoutMs, type OperationOptions } from './tool-options.ts';

/**
 * Download formats (docs/payments.md, "Downloads"). Each is made once from the original master
 * by the `download-formats` queue and kept. FLAC is offered only when the original is lossless
 * (a FLAC of an MP3 would only pretend to be better).
 */
export const DOWNLOAD_FORMATS = ['flac', 'wav', 'mp3-320', 'mp3-v0', 'aac-256', 'opus-160'] as const;
export type DownloadFormat = (typeof DOWNLOAD_FORMATS)[number];

export interface DownloadFormatInfo {
  ext: string;
  contentType: string;
  label: string;
  /** Whether the cover is embedded (WAV has no standard picture tag; Ogg Opus pictures are not written by ffmpeg). */
  embedsCover: boolean;
}

export const DOWNLOAD_FORMAT_INFO: Record<DownloadFormat, DownloadFormatInfo> = {
  flac: { ext: 'flac', contentType: 'audio/flac', label: 'FLAC', embedsCover: true },
  wav: { ext: 'wav', contentType: 'audio/wav', label: 'WAV', embedsCover: false },
  'mp3-320': { ext: 'mp3', contentType: 'audio/mpeg', label: 'MP3 320', embedsCover: true },
  'mp3-v0': { ext: 'mp3', contentType: 'audio/mpeg', label: 'MP3 V0', embedsCover: true },
  'aac-256': { ext: 'm4a', contentType: 'audio/mp4', label: 'AAC 256', embedsCover: true },
  'opus-160': { ext: 'opus', contentType: 'audio/ogg', label: 'Opus 160', embedsCover: false },
};

export function isDownloadFormat(value: unknown): value is DownloadFormat {
  return typeof value === 'string' && (DOWNLOAD_FORMATS as readonly string[]).includes(value);
}

/** Codecs whose decoded audio is exactly the master (FLAC is offered for these only). */
const LOSSLESS_CODECS = /^(flac|alac|wavpack|tta|ape|mlp|truehd|pcm_.*)$/;

export function isLosslessCodec(codec: string | null | undefined): boolean {
  return !!codec && LOSSLESS_CODECS.test(codec);
}

/** The formats offered for a master of `codec`. */
export function formatsFor(codec: string | null | undefined): DownloadFormat[] {
  return DOWNLOAD_FORMATS.filter((f) => f !== 'flac' || isLosslessCodec(codec));
}

export interface DownloadTags {
  title: string;
  artist: string;
  album?: string;
  /** `3` or `3/10`. */
  track?: string;
  /** `2026` or `2026-12-02`. */
  date?: string;
  comment?: string;
}

export interface DownloadArgsOptions {
  input: string;
  output: string;
  format: DownloadFormat;
  tags: DownloadTags;
  /** A JPEG or PNG to embed as the front cover, when the format can carry one. */
  cover?: string;
  /** Absolute stream index of the audio to use (default the first audio stream). */
  audioStreamIndex?: number;
  /** Bits per sample of the master (24-bit masters keep 24 bits in WAV and FLAC). */
  sourceBits?: number;
}

/** Tags as `-metadata key=value` pairs; control characters removed (they break ID3/Vorbis fields). */
function metadataArgs(tags: DownloadTags): string[] {
  const clean = (s: string) => s.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 1000);
  const out: string[] = [];
  const put = (key: string, value: string | undefined) => {
    if (value) out.push('-metadata', `${key}=${clean(value)}`);
  };
  put('title', tags.title);
  put('artist', tags.artist);
  put('album_artist', tags.album ? tags.artist : undefined);
  put('album', tags.album);
  put('track', tags.track);
  put('date', tags.date);
  put('comment', tags.comment);
  return out;
}

/** The codec part of each format. */
export function codecArgs(format: DownloadFormat, sourceBits?: number): string[] {
  const deep = (sourceBits ?? 16) > 16;
  switch (format) {
    case 'flac':
      return [
        '-c:a',
        'flac',
        '-compression_level',
        '5',
        ...(deep ? ['-sample_fmt', 's32'] : ['-sample_fmt', 's16']),
        '-f',
        'flac',
      ];
    case 'wav':
      return ['-c:a', deep ? 'pcm_s24le' : 'pcm_s16le', '-f', 'wav'];
    case 'mp3-320':
      return ['-c:a', 'libmp3lame', '-b:a', '320k', '-id3v2_version', '3', '-f', 'mp3'];
    case 'mp3-v0':
      return ['-c:a', 'libmp3lame', '-q:a', '0', '-id3v2_version', '3', '-f', 'mp3'];
    case 'aac-256':
      return ['-c:a', 'aac', '-b:a', '256k', '-movflags', '+faststart', '-f', 'ipod'];
    case 'opus-160':
      return ['-c:a', 'libopus', '-b:a', '160k', '-vbr', 'on', '-ar', '48000', '-f', 'ogg'];
  }
}

/**
 * ffmpeg arguments making one download file: the master's audio, our tags (the master's own are
 * dropped: they may hold anything the uploader's software wrote), the cover as an attached picture
 * when the format carries one.
 */
export function buildDownloadArgs(o: DownloadArgsOptions): string[] {
  const withCover = !!o.cover && DOWNLOAD_FORMAT_INFO[o.format].embedsCover;
  return [
    '-y',
    ...inputArgs(o.input),
    ...(withCover ? inputArgs(o.cover!) : []),
    '-map',
    audioMap(o.audioStreamIndex),
    ...(withCover
      ? [
          '-map',
          '1:v:0',
          '-c:v',
          'copy',
          '-disposition:v:0',
          'attached_pic',
          '-metadata:s:v:0',
          'title=Album cover',
          '-metadata:s:v:0',
          'comment=Cover (front)',
        ]
      : []),
    '-map_metadata',
    '-1',
    '-map_chapters',
    '-1',
    ...metadataArgs(o.tags),
    ...codecArgs(o.format, o.sourceBits),
    o.output,
  ];
}

/** Runs ffmpeg for one download file (the caller picks the temp path and stores the result). */
export async function makeDownloadFile(
  o: DownloadArgsOptions & { durationMs?: number },
  options: OperationOptions = {},
): Promise<void> {
  await runFfmpeg(buildDownloadArgs(o), {
    timeoutMs: options.timeoutMs ?? defaultTimeoutMs(o.durationMs),
    signal: options.signal,
    durationMs: o.durationMs,
    binary: options.ffmpegPath,
    onProgress:
      options.onProgress && o.durationMs ? (p) => options.onProgress!(Math.min(100, p.percent ?? 0)) : undefined,
  });
}

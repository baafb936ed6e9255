import type { EmbeddedCover } from '@earshot/db';
import type { FileTags } from '../tracks/file-tags.ts';

/**
 * What the pipeline needs from audio tooling, as a port: the worker wires it to
 * `@earshot/media` (ffmpeg); unit tests of the rules use a fake.
 */
/** What the transcode hands over as it encodes (the shape of `@earshot/media`'s `HlsPublication`). */
export type HlsPublication =
  | { kind: 'rendition'; rendition: string; files: string[]; playlist: string; playlistText: string; final: boolean }
  | { kind: 'master'; playlist: string; text: string };

export interface AudioInfo {
  durationMs: number;
  codec: string;
  sampleRate: number;
  channels: number;
  bitDepth: number | null;
  /** ffmpeg's absolute index of the audio stream to read; null when not known (then a step probes). */
  audioStreamIndex: number | null;
  formatName: string;
  /**
   * Embedded cover art: what the upload's probe found (null: none); undefined when not known, and
   * then the artwork step probes the file.
   */
  cover?: EmbeddedCover | null;
  /** The file's tags, cleaned (tracks/file-tags.ts); absent when not read. */
  tags?: FileTags;
}

export interface StepRun {
  signal: AbortSignal;
  /** 0–100. */
  onProgress(percent: number): void;
}

export interface LoudnessResult {
  integratedLufs: number;
  loudnessRange: number;
  truePeakDbtp: number;
  trackGainDb: number;
}

export interface ImageOutput {
  /** Local file to upload. */
  file: string;
  size: number;
  ext: string;
  contentType: string;
}

/** The artwork step's outcome: the images written, or none and why the cover was skipped. */
export interface ArtworkOutput {
  images: ImageOutput[];
  skipped?: string;
}

export interface MediaToolkit {
  /** Throws `MediaRejectedError` (with a reason a person understands) when there is no usable audio. */
  probe(file: string): Promise<AudioInfo>;
  /**
   * HLS renditions + master `playlist.m3u8` into `outDir`; returns every written file, relative to
   * outDir. With `publish`, hands over the stream while it grows (`HlsPublication`, one call at a time).
   */
  transcodeHls(
    input: string,
    outDir: string,
    info: AudioInfo,
    run: StepRun,
    publish?: (p: HlsPublication) => Promise<void>,
  ): Promise<string[]>;
  /**
   * audiowaveform JSON (v2, 8-bit) and the duration of the decoded audio. `partial`, when given,
   * is called while the decode goes on with the waveform of the part decoded so far.
   */
  waveform(
    input: string,
    info: AudioInfo,
    run: StepRun,
    partial?: (json: unknown) => void,
  ): Promise<{ json: unknown; decodedDurationMs: number }>;
  loudness(input: string, info: AudioInfo, run: StepRun): Promise<LoudnessResult>;
  /** Embedded cover resized for the web into `outDir`; null when there is none; `skipped` when it is too large to decode. */
  artwork(input: string, outDir: string, info: AudioInfo, run: StepRun): Promise<ArtworkOutput | null>;
}

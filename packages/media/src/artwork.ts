import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { FfmpegError } from './errors.ts';
import { inputArgs } from './input.ts';
import { probe, type PictureInfo } from './probe.ts';
import { runFfmpeg } from './runner.ts';
import type { OperationOptions } from './tool-options.ts';

/** Square boxes the cover is fitted into: a track page / player (1000) and lists and grids (300). */
export const ARTWORK_SIZES: readonly number[] = [1000, 300];

/**
 * Fits `width × height` into a `box × box` square keeping its aspect ratio, never enlarging it:
 * a 600 px cover stays 600 px in the 1000 box. Nothing is cropped; non-square covers keep their
 * shape (the web app can letterbox or `object-fit: cover`).
 */
export function fitWithin(width: number, height: number, box: number): { width: number; height: number } {
  const longest = Math.max(width, height);
  if (longest <= box) return { width, height };
  const scale = box / longest;
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** ffprobe's codec of a cover → the extension and content type of a stream copy of it. */
const COVER_FILE_TYPES = new Map<string, readonly [ext: string, contentType: string]>([
  ['mjpeg', ['jpg', 'image/jpeg']],
  ['png', ['png', 'image/png']],
  ['webp', ['webp', 'image/webp']],
  ['gif', ['gif', 'image/gif']],
  ['bmp', ['bmp', 'image/bmp']],
  ['tiff', ['tiff', 'image/tiff']],
]);

/** File extension for a stream copy of the cover, from the codec ffprobe reports. */
export function coverExtension(codec: string): { ext: string; contentType: string } | null {
  const known = COVER_FILE_TYPES.get(codec);
  return known ? { ext: known[0], contentType: known[1] } : null;
}

export interface ArtworkTarget {
  file: string;
  /** The box; the picture is fitted into it. */
  box: number;
  /** Exact output size when the source size is known (see `fitWithin`); else ffmpeg fits it. */
  width?: number;
  height?: number;
}

/**
 * Largest embedded cover decoded, in pixels (5000 × 5000). Uploads are never refused for their
 * cover: a larger one is skipped (the track has no artwork, the artwork step says why). ffmpeg is
 * also told the same limit (`-max_pixels`), so a cover whose header lies to the probe still cannot
 * make the decoder allocate more (a 10000 × 10000 PNG cost the artwork step 400 MB without it).
 */
export const MAX_COVER_PIXELS = 25_000_000;

/** Why a probed cover is not decoded, or null when it is fine. */
export function coverSkipReason(cover: PictureInfo): string | null {
  if (cover.width * cover.height <= MAX_COVER_PIXELS) return null;
  return `the embedded cover art is ${cover.width}×${cover.height} pixels, over the ${MAX_COVER_PIXELS / 1_000_000}-megapixel limit, so it was skipped`;
}

/** Input options that bound every cover decode (see MAX_COVER_PIXELS). */
const DECODE_LIMIT_ARGS = ['-max_pixels', String(MAX_COVER_PIXELS)];

/** JPEG quality (mjpeg qscale, 2 = best … 31): 3 is visually clean at a fraction of q=2's size. */
export const JPEG_QSCALE = 3;

/**
 * One ffmpeg run decodes the cover once and writes every size: `split`, then `scale` with a
 * Lanczos filter per target, as baseline-compatible 4:2:0 JPEG.
 */
export function buildArtworkArgs(input: string, streamIndex: number, targets: readonly ArtworkTarget[]): string[] {
  if (targets.length === 0) throw new Error('no artwork targets');
  const scale = (t: ArtworkTarget) =>
    t.width !== undefined && t.height !== undefined
      ? `scale=${t.width}:${t.height}:flags=lanczos`
      : `scale='min(iw,${t.box})':'min(ih,${t.box})':force_original_aspect_ratio=decrease:flags=lanczos`;
  const chains =
    targets.length === 1
      ? [`[0:${streamIndex}]${scale(targets[0]!)},format=yuvj420p[o0]`]
      : [
          `[0:${streamIndex}]split=${targets.length}${targets.map((_, i) => `[s${i}]`).join('')}`,
          ...targets.map((t, i) => `[s${i}]${scale(t)},format=yuvj420p[o${i}]`),
        ];
  const outputs = targets.flatMap((t, i) => [
    '-map',
    `[o${i}]`,
    '-frames:v',
    '1',
    '-c:v',
    'mjpeg',
    '-q:v',
    String(JPEG_QSCALE),
    '-f',
    'image2',
    '-update',
    '1',
    t.file,
  ]);
  return ['-y', ...DECODE_LIMIT_ARGS, ...inputArgs(input), '-filter_complex', chains.join(';'), ...outputs];
}

/** The embedded picture as it is, without re-encoding. */
export function buildCoverCopyArgs(input: string, streamIndex: number, outFile: string): string[] {
  return [
    '-y',
    ...inputArgs(input),
    '-map',
    `0:${streamIndex}`,
    '-c',
    'copy',
    '-frames:v',
    '1',
    '-f',
    'image2',
    '-update',
    '1',
    outFile,
  ];
}

export interface ArtworkImage {
  file: string;
  /** The box it was fitted into (1000, 300). */
  size: number;
  width: number;
  height: number;
  ext: string;
  contentType: string;
}

export interface ArtworkResult {
  /** The embedded picture as probed (codec detected, not assumed). */
  source: PictureInfo;
  images: ArtworkImage[];
  /** A stream copy of the embedded picture, when asked for and its codec is a web format. */
  original: ArtworkImage | null;
  /** Set when the cover was not decoded (see `coverSkipReason`); `images` is then empty. */
  skipped?: string;
}

export interface ArtworkOptions extends OperationOptions {
  /** The cover from an earlier `probe`; probed when absent. */
  cover?: PictureInfo | null;
  sizes?: readonly number[];
  includeOriginal?: boolean;
}

/**
 * Writes `cover-<size>.jpg` for every size into `outDir`, fitted and never enlarged; null when the
 * file has no embedded picture (the track keeps its uploaded or default artwork). A cover over
 * MAX_COVER_PIXELS is not decoded: the result has no images and says why in `skipped`.
 */
export async function extractArtwork(
  input: string,
  outDir: string,
  options: ArtworkOptions = {},
): Promise<ArtworkResult | null> {
  const cover =
    options.cover !== undefined
      ? options.cover
      : (await probe(input, { signal: options.signal, ffprobePath: options.ffprobePath })).cover;
  if (!cover) return null;
  const skipped = coverSkipReason(cover);
  if (skipped) return { source: cover, images: [], original: null, skipped };
  const sizes = options.sizes ?? ARTWORK_SIZES;
  await mkdir(outDir, { recursive: true });
  const known = cover.width > 0 && cover.height > 0;
  const targets = sizes.map((box) => ({
    file: path.join(outDir, `cover-${box}.jpg`),
    box,
    ...(known ? fitWithin(cover.width, cover.height, box) : {}),
  }));
  for (const t of targets) await rm(t.file, { force: true });
  const run = {
    timeoutMs: options.timeoutMs ?? 60_000,
    signal: options.signal,
    binary: options.ffmpegPath,
    niceness: options.niceness,
  };

  try {
    await runFfmpeg(buildArtworkArgs(input, cover.index, targets), run);
  } catch (err) {
    // A damaged picture must not fail the track: it just has no embedded artwork.
    if (err instanceof FfmpegError && err.kind === 'exit') return null;
    throw err;
  }
  options.onProgress?.(90);

  let original: ArtworkImage | null = null;
  const format = coverExtension(cover.codec);
  if (options.includeOriginal && format) {
    const file = path.join(outDir, `cover-original.${format.ext}`);
    await runFfmpeg(buildCoverCopyArgs(input, cover.index, file), run);
    original = { file, size: Math.max(cover.width, cover.height), width: cover.width, height: cover.height, ...format };
  }
  options.onProgress?.(100);

  const images = targets.map((t) => {
    const dims =
      t.width !== undefined && t.height !== undefined ? { width: t.width, height: t.height } : { width: 0, height: 0 };
    return { file: t.file, size: t.box, ...dims, ext: 'jpg', contentType: 'image/jpeg' };
  });
  return { source: cover, images, original };
}

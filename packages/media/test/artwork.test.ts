import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildArtworkArgs,
  buildCoverCopyArgs,
  coverExtension,
  coverSkipReason,
  extractArtwork,
  fitWithin,
  MAX_COVER_PIXELS,
  probe,
} from '../src/index.ts';
import { readdir } from 'node:fs/promises';
import { writeBlackPng } from '../../../test/support/images.ts';
import { argv, ffmpeg, ffprobeJson, muxCover, useTempDir } from './helpers.ts';

const tmp = useTempDir('artwork', { name: 'tone.wav', codecArgs: ['-c:a', 'pcm_s16le'], seconds: 2 });

describe('sizing and builders', () => {
  it('fits into a square box, keeps the aspect ratio, never enlarges', () => {
    expect(fitWithin(3000, 3000, 1000)).toEqual({ width: 1000, height: 1000 });
    expect(fitWithin(1200, 800, 1000)).toEqual({ width: 1000, height: 667 });
    expect(fitWithin(800, 1200, 300)).toEqual({ width: 200, height: 300 });
    expect(fitWithin(600, 600, 1000)).toEqual({ width: 600, height: 600 });
    expect(fitWithin(5000, 10, 300)).toEqual({ width: 300, height: 1 });
  });

  it('extensions follow the probed codec', () => {
    expect(coverExtension('mjpeg')).toEqual({ ext: 'jpg', contentType: 'image/jpeg' });
    expect(coverExtension('png')).toEqual({ ext: 'png', contentType: 'image/png' });
    expect(coverExtension('h264')).toBeNull();
  });

  it('one ffmpeg run: split once, scale per size, JPEG out', () => {
    expect(
      buildArtworkArgs('/in/a.mp3', 1, [
        { file: '/out/cover-1000.jpg', box: 1000, width: 1000, height: 1000 },
        { file: '/out/cover-300.jpg', box: 300 },
      ]),
    ).toEqual(
      argv(
        `-y -max_pixels ${MAX_COVER_PIXELS} -protocol_whitelist file -i /in/a.mp3 -filter_complex`,
        "[0:1]split=2[s0][s1];[s0]scale=1000:1000:flags=lanczos,format=yuvj420p[o0];[s1]scale='min(iw,300)':'min(ih,300)':force_original_aspect_ratio=decrease:flags=lanczos,format=yuvj420p[o1]",
        '-map [o0] -frames:v 1 -c:v mjpeg -q:v 3 -f image2 -update 1 /out/cover-1000.jpg',
        '-map [o1] -frames:v 1 -c:v mjpeg -q:v 3 -f image2 -update 1 /out/cover-300.jpg',
      ),
    );
    expect(buildArtworkArgs('in.flac', 2, [{ file: 'o.jpg', box: 300, width: 300, height: 225 }])[8]).toBe(
      '[0:2]scale=300:225:flags=lanczos,format=yuvj420p[o0]',
    );
    expect(buildCoverCopyArgs('in.flac', 2, 'o.png')).toEqual(
      argv('-y -protocol_whitelist file -i in.flac -map 0:2 -c copy -frames:v 1 -f image2', '-update 1 o.png'),
    );
  });
});

async function imageInfo(file: string): Promise<{ codec: string; width: number; height: number }> {
  const info = await ffprobeJson(['-show_streams', file]);
  const s = info.streams[0];
  return { codec: s.codec_name, width: s.width, height: s.height };
}

async function withCover(
  name: string,
  size: string,
  coverExt: 'jpg' | 'png',
  container: 'mp3' | 'flac',
): Promise<string> {
  const cover = tmp.file(`${name}.${coverExt}`);
  await ffmpeg(['-f', 'lavfi', '-i', `testsrc=s=${size}:d=1`, '-frames:v', '1', cover]);
  const out = tmp.file(`${name}.${container}`);
  const codec = container === 'mp3' ? ['-c:a', 'libmp3lame', '-id3v2_version', '3'] : ['-c:a', 'flac'];
  return muxCover(tmp.tone, cover, out, codec);
}

describe('extractArtwork on real files', () => {
  it('JPEG cover in an MP3, 1500 px: 1000 and 300 px JPEGs', async () => {
    const file = await withCover('big-jpeg', '1500x1500', 'jpg', 'mp3');
    const r = await extractArtwork(file, tmp.file('out-big'), { includeOriginal: true });
    expect(r).not.toBeNull();
    expect(r!.source).toEqual({ index: 1, codec: 'mjpeg', width: 1500, height: 1500 });
    expect(r!.images.map((i) => [i.size, i.width, i.height, i.contentType])).toEqual([
      [1000, 1000, 1000, 'image/jpeg'],
      [300, 300, 300, 'image/jpeg'],
    ]);
    for (const img of r!.images)
      expect(await imageInfo(img.file)).toEqual({ codec: 'mjpeg', width: img.width, height: img.height });
    expect(r!.original).toMatchObject({ ext: 'jpg', contentType: 'image/jpeg', width: 1500, height: 1500 });
    expect((await readFile(r!.original!.file)).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  });

  it('PNG cover in a FLAC, 640×480: never enlarged for the 1000 box, fitted into the 300 box', async () => {
    const file = await withCover('png-cover', '640x480', 'png', 'flac');
    const progress: number[] = [];
    const r = await extractArtwork(file, tmp.file('out-png'), {
      includeOriginal: true,
      onProgress: (p) => progress.push(p),
    });
    expect(r!.source.codec).toBe('png');
    expect(await imageInfo(r!.images[0]!.file)).toEqual({ codec: 'mjpeg', width: 640, height: 480 });
    expect(await imageInfo(r!.images[1]!.file)).toEqual({ codec: 'mjpeg', width: 300, height: 225 });
    // The stream copy keeps the PNG (its codec was probed, not assumed).
    expect(r!.original).toMatchObject({ ext: 'png', contentType: 'image/png' });
    expect((await readFile(r!.original!.file)).subarray(1, 4).toString()).toBe('PNG');
    expect(progress.at(-1)).toBe(100);
  });

  it('JPEG cover in a FLAC and PNG cover in an MP3, using an earlier probe', async () => {
    for (const [name, ext, container] of [
      ['flac-jpeg', 'jpg', 'flac'],
      ['mp3-png', 'png', 'mp3'],
    ] as const) {
      const file = await withCover(name, '400x400', ext, container);
      const p = await probe(file);
      const r = await extractArtwork(file, tmp.file(`out-${name}`), { cover: p.cover });
      expect(r!.images.map((i) => [i.width, i.height])).toEqual([
        [400, 400],
        [300, 300],
      ]);
      expect(r!.original).toBeNull();
    }
  });

  it('null when there is no cover', async () => {
    expect(await extractArtwork(tmp.tone, tmp.file('out-none'))).toBeNull();
    const p = await probe(tmp.tone);
    expect(await extractArtwork(tmp.tone, tmp.file('out-none'), { cover: p.cover })).toBeNull();
  });
});

describe('oversize covers (decompression bombs)', () => {
  let bomb: string;
  beforeAll(async () => {
    // 10000 × 10000 (100 MP) PNG, ~300 KB on disk, muxed by ffmpeg into a real FLAC.
    const png = await writeBlackPng(tmp.file('bomb.png'), 10_000, 10_000);
    bomb = tmp.file('bomb.flac');
    await muxCover(tmp.tone, png, bomb, ['-c:a', 'flac']);
  });

  it('the probe sees its size and the cover is skipped with a reason, nothing decoded', async () => {
    const p = await probe(bomb);
    expect(p.cover).toMatchObject({ codec: 'png', width: 10_000, height: 10_000 });
    expect(coverSkipReason(p.cover!)).toMatch(/10000×10000 pixels, over the 25-megapixel limit/);
    expect(coverSkipReason({ index: 1, codec: 'png', width: 5000, height: 5000 })).toBeNull();
    const r = await extractArtwork(bomb, tmp.file('out-bomb'), { cover: p.cover });
    expect(r).toMatchObject({ images: [], original: null, skipped: expect.stringMatching(/skipped/) });
    expect(await readdir(tmp.file('out-bomb')).catch(() => [])).toEqual([]);
  });

  it('a probe that understates the size still cannot make ffmpeg decode it (-max_pixels)', async () => {
    const lying = { index: 1, codec: 'png', width: 1000, height: 1000 };
    expect(await extractArtwork(bomb, tmp.file('out-lying'), { cover: lying })).toBeNull();
    expect(await readdir(tmp.file('out-lying'))).toEqual([]);
  });
});

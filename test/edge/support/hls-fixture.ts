import { spawn } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface HlsTreeOptions {
  /** Seconds of audio. */
  seconds?: number;
  /** Target segment duration (Apple's authoring spec: ~6 s). */
  segmentSeconds?: number;
  /** Rendition folder → AAC bitrate. */
  renditions?: Record<string, string>;
  /** `sine` (small, compressible) or `noise` (full-bitrate segments, for benchmarks). */
  source?: 'sine' | 'noise';
}

export interface HlsTree {
  /** The `version-<id>/` folder. */
  root: string;
  /** Relative paths of every file written, e.g. `playlist.m3u8`, `128k/seg_00001.m4s`. */
  files: string[];
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited with ${code}: ${err}`))));
  });
}

/**
 * Writes a real HLS tree with ffmpeg, in the layout of the transcodes bucket:
 * `<dir>/playlist.m3u8` (master) and per rendition `<name>/index.m3u8`, `init.mp4`, `seg_00001.m4s`…
 * (AAC-LC in fMP4, as docs/architecture.md, "Media pipeline" describes).
 */
export async function makeHlsTree(dir: string, options: HlsTreeOptions = {}): Promise<HlsTree> {
  const { seconds = 8, segmentSeconds = 2, renditions = { '128k': '128k' }, source = 'sine' } = options;
  const input =
    source === 'sine'
      ? `sine=frequency=440:sample_rate=44100:duration=${seconds}`
      : `anoisesrc=d=${seconds}:c=white:r=48000:a=0.8`;
  const variants: string[] = [];
  for (const [name, bitrate] of Object.entries(renditions)) {
    const out = path.join(dir, name);
    await mkdir(out, { recursive: true });
    await run('ffmpeg', [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      input,
      '-ac',
      '2',
      '-c:a',
      'aac',
      '-b:a',
      bitrate,
      '-f',
      'hls',
      '-hls_time',
      String(segmentSeconds),
      '-hls_playlist_type',
      'vod',
      '-hls_segment_type',
      'fmp4',
      '-hls_fmp4_init_filename',
      'init.mp4',
      '-start_number',
      '1',
      '-hls_segment_filename',
      path.join(out, 'seg_%05d.m4s'),
      path.join(out, 'index.m3u8'),
    ]);
    const bandwidth = Number.parseInt(bitrate, 10) * 1000;
    variants.push(
      `#EXT-X-STREAM-INF:BANDWIDTH=${Math.round(bandwidth * 1.1)},AVERAGE-BANDWIDTH=${bandwidth},CODECS="mp4a.40.2"\n${name}/index.m3u8`,
    );
  }
  await writeFile(
    path.join(dir, 'playlist.m3u8'),
    `#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n${variants.join('\n')}\n`,
  );
  const files = ['playlist.m3u8'];
  for (const name of Object.keys(renditions))
    for (const f of (await readdir(path.join(dir, name))).sort()) files.push(`${name}/${f}`);
  return { root: dir, files };
}

import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildDownloadArgs,
  DOWNLOAD_FORMATS,
  DOWNLOAD_FORMAT_INFO,
  formatsFor,
  makeDownloadFile,
  probe,
} from '../src/index.ts';
import { generateTone } from '../../../test/support/audio.ts';

const run = promisify(execFile);
const tags = { title: 'Night Drive', artist: 'Ada', album: 'Roads', track: '2/5', date: '2026' };

describe('download format arguments (pure)', () => {
  it('offers FLAC only for lossless masters', () => {
    expect(formatsFor('pcm_s24le')).toEqual(DOWNLOAD_FORMATS);
    expect(formatsFor('flac')).toContain('flac');
    expect(formatsFor('mp3')).toEqual(['wav', 'mp3-320', 'mp3-v0', 'aac-256', 'opus-160']);
    expect(formatsFor(null)).not.toContain('flac');
  });

  it('builds the codec options of each format', () => {
    const args = (format: (typeof DOWNLOAD_FORMATS)[number], sourceBits?: number) =>
      buildDownloadArgs({ input: '/in.wav', output: '/out', format, tags, sourceBits }).join(' ');
    expect(args('mp3-320')).toContain('-c:a libmp3lame -b:a 320k');
    expect(args('mp3-v0')).toContain('-c:a libmp3lame -q:a 0');
    expect(args('aac-256')).toContain('-c:a aac -b:a 256k');
    expect(args('opus-160')).toContain('-c:a libopus -b:a 160k');
    expect(args('wav')).toContain('pcm_s16le');
    expect(args('wav', 24)).toContain('pcm_s24le');
    expect(args('flac', 24)).toContain('-sample_fmt s32');
  });

  it('drops the master tags, writes ours, and embeds the cover only where the format carries one', () => {
    const withCover = (format: (typeof DOWNLOAD_FORMATS)[number]) =>
      buildDownloadArgs({ input: '/in.wav', output: '/out', format, tags, cover: '/c.jpg' });
    const mp3 = withCover('mp3-320');
    expect(mp3.join(' ')).toContain('-map_metadata -1');
    expect(mp3).toContain('title=Night Drive');
    expect(mp3).toContain('track=2/5');
    expect(mp3.join(' ')).toContain('-disposition:v:0 attached_pic');
    expect(withCover('wav')).not.toContain('/c.jpg');
    expect(withCover('opus-160')).not.toContain('/c.jpg');
    // Control characters never reach a tag.
    const evil = buildDownloadArgs({
      input: '/i',
      output: '/o',
      format: 'flac',
      tags: { title: 'a\u0000b\nc', artist: 'x' },
    });
    expect(evil).toContain('title=a b c');
  });

  it('opens inputs with the file protocol only', () => {
    const args = buildDownloadArgs({ input: 'http://evil/x', output: '/o', format: 'wav', tags });
    expect(args.slice(1, 5)).toEqual(['-protocol_whitelist', 'file', '-i', 'file:http://evil/x']);
  });
});

describe('download formats made by real ffmpeg', () => {
  let dir: string;
  let master: string;
  let cover: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'dl-formats-'));
    master = await generateTone(path.join(dir, 'master.wav'), { seconds: 3 });
    cover = path.join(dir, 'cover.jpg');
    await run('ffmpeg', ['-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'color=red:s=64x64', '-frames:v', '1', cover]);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(DOWNLOAD_FORMATS)('%s: right codec, tags, cover where carried', async (format) => {
    const output = path.join(dir, `out-${format}.${DOWNLOAD_FORMAT_INFO[format].ext}`);
    await makeDownloadFile({ input: master, output, format, tags, cover, durationMs: 3000 });
    expect((await stat(output)).size).toBeGreaterThan(1000);
    const { stdout } = await run('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'stream=codec_name,codec_type:stream_disposition=attached_pic:format_tags:stream_tags',
      '-of',
      'json',
      output,
    ]);
    const info = JSON.parse(stdout) as {
      streams: Array<{
        codec_name: string;
        codec_type: string;
        disposition?: { attached_pic: number };
        tags?: Record<string, string>;
      }>;
      format: { tags?: Record<string, string> };
    };
    const audio = info.streams.find((s) => s.codec_type === 'audio')!;
    const expected = {
      flac: 'flac',
      wav: 'pcm_s16le',
      'mp3-320': 'mp3',
      'mp3-v0': 'mp3',
      'aac-256': 'aac',
      'opus-160': 'opus',
    }[format];
    expect(audio.codec_name).toBe(expected);
    const allTags = Object.fromEntries(
      Object.entries({ ...info.format.tags, ...audio.tags }).map(([k, v]) => [k.toLowerCase(), v]),
    );
    expect(allTags.title).toBe('Night Drive');
    expect(allTags.artist).toBe('Ada');
    const pic = info.streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic === 1);
    expect(Boolean(pic)).toBe(DOWNLOAD_FORMAT_INFO[format].embedsCover);
    const p = await probe(output, {});
    expect(p.durationMs).toBeGreaterThan(2800);
  });
});

import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  MediaRejectedError,
  assertAudio,
  buildProbeArgs,
  inspectAudio,
  parseProbeOutput,
  probe,
  verifyDecodes,
  type ProbeResult,
} from '../src/index.ts';
import { argv, ffmpeg, makeTone, muxCover, useTempDir, toneSource } from './helpers.ts';

const tmp = useTempDir('probe');

async function rejection(file: string): Promise<MediaRejectedError> {
  const err = await inspectAudio(file).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MediaRejectedError);
  return err as MediaRejectedError;
}

describe('buildProbeArgs', () => {
  it('asks for format and streams as JSON, keeps warnings, and only lets ffprobe open local files', () => {
    expect(buildProbeArgs('/in/track.flac')).toEqual(
      argv('-v warning -show_format -show_streams -of json -protocol_whitelist file -i /in/track.flac'),
    );
    expect(buildProbeArgs('/in/a:b.wav').at(-1)).toBe('file:/in/a:b.wav');
  });
});

describe('probe of real files', () => {
  const cases: {
    name: string;
    file: string;
    args: string[];
    opts: { rate?: number; channels?: number; seconds?: number };
    expect: Partial<ProbeResult['audio'] & object> & { format: string };
  }[] = [
    {
      name: 'WAV 16-bit stereo 44.1 kHz, 1 s',
      file: 'a.wav',
      args: ['-c:a', 'pcm_s16le'],
      opts: {},
      expect: {
        format: 'wav',
        codec: 'pcm_s16le',
        sampleRate: 44100,
        channels: 2,
        bitDepth: 16,
        channelLayout: 'stereo',
      },
    },
    {
      name: 'WAV 24-bit stereo 96 kHz',
      file: 'b.wav',
      args: ['-c:a', 'pcm_s24le'],
      opts: { rate: 96000 },
      expect: { format: 'wav', codec: 'pcm_s24le', sampleRate: 96000, channels: 2, bitDepth: 24 },
    },
    {
      name: 'WAV 16-bit mono 48 kHz',
      file: 'c.wav',
      args: ['-c:a', 'pcm_s16le'],
      opts: { rate: 48000, channels: 1 },
      expect: { format: 'wav', sampleRate: 48000, channels: 1, channelLayout: 'mono', bitDepth: 16 },
    },
    {
      name: 'FLAC 24-bit stereo 96 kHz',
      file: 'd.flac',
      args: ['-c:a', 'flac', '-sample_fmt', 's32'],
      opts: { rate: 96000 },
      expect: { format: 'flac', codec: 'flac', sampleRate: 96000, channels: 2, bitDepth: 24 },
    },
    {
      name: 'FLAC 16-bit mono 44.1 kHz',
      file: 'e.flac',
      args: ['-c:a', 'flac', '-sample_fmt', 's16'],
      opts: { channels: 1 },
      expect: { format: 'flac', codec: 'flac', sampleRate: 44100, channels: 1, bitDepth: 16 },
    },
    {
      name: 'MP3 stereo 44.1 kHz',
      file: 'f.mp3',
      args: ['-c:a', 'libmp3lame', '-b:a', '192k'],
      opts: {},
      expect: { format: 'mp3', codec: 'mp3', sampleRate: 44100, channels: 2 },
    },
    {
      name: 'MP3 mono 48 kHz',
      file: 'g.mp3',
      args: ['-c:a', 'libmp3lame', '-q:a', '4'],
      opts: { rate: 48000, channels: 1 },
      expect: { format: 'mp3', codec: 'mp3', sampleRate: 48000, channels: 1 },
    },
    {
      name: 'M4A (AAC) stereo 48 kHz',
      file: 'h.m4a',
      args: ['-c:a', 'aac', '-b:a', '128k'],
      opts: { rate: 48000 },
      expect: { format: 'mov,mp4,m4a,3gp,3g2,mj2', codec: 'aac', sampleRate: 48000, channels: 2 },
    },
    {
      name: 'Ogg Vorbis stereo 44.1 kHz',
      file: 'i.ogg',
      args: ['-c:a', 'libvorbis', '-q:a', '4'],
      opts: {},
      expect: { format: 'ogg', codec: 'vorbis', sampleRate: 44100, channels: 2 },
    },
    {
      name: 'Opus mono',
      file: 'j.opus',
      args: ['-c:a', 'libopus', '-b:a', '64k'],
      opts: { rate: 48000, channels: 1 },
      expect: { format: 'ogg', codec: 'opus', sampleRate: 48000, channels: 1 },
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const file = await makeTone(tmp.file(c.file), c.args, { seconds: 1, ...c.opts });
      const r = await inspectAudio(file);
      const { format, ...audio } = c.expect;
      expect(r.formatName).toBe(format);
      expect(r.audio).toMatchObject(audio);
      if (['mp3', 'aac', 'vorbis', 'opus'].includes(r.audio.codec)) expect(r.audio.bitDepth).toBeUndefined();
      // Lossy codecs add encoder delay / padding: allow a few frames.
      expect(Math.abs(r.durationMs - 1000)).toBeLessThan(60);
      expect(r.video).toBeNull();
      expect(r.cover).toBeNull();
      expect(r.probeScore).toBeGreaterThanOrEqual(25);
    });
  }
});

describe('cover art and video', () => {
  let jpg: string;
  let png: string;
  let tone: string;
  beforeAll(async () => {
    jpg = tmp.file('cover.jpg');
    png = tmp.file('cover.png');
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=s=600x600:d=1', '-frames:v', '1', jpg]);
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=s=640x480:d=1', '-frames:v', '1', png]);
    tone = await makeTone(tmp.file('cover-src.wav'), ['-c:a', 'pcm_s16le'], { seconds: 2 });
  });

  const withCover = (out: string, cover: string, audioCodec: string[], extra: string[] = []) =>
    muxCover(tone, cover, out, audioCodec, extra);

  it('MP3 with a JPEG cover: audio plus an mjpeg attached picture, not video', async () => {
    const r = await inspectAudio(
      await withCover(tmp.file('jpeg-cover.mp3'), jpg, ['-c:a', 'libmp3lame'], ['-id3v2_version', '3']),
    );
    expect(r.audio.codec).toBe('mp3');
    expect(r.cover).toEqual({ index: 1, codec: 'mjpeg', width: 600, height: 600 });
    expect(r.video).toBeNull();
  });

  it('MP3 with a PNG cover', async () => {
    const r = await inspectAudio(
      await withCover(tmp.file('png-cover.mp3'), png, ['-c:a', 'libmp3lame'], ['-id3v2_version', '3']),
    );
    expect(r.cover).toMatchObject({ codec: 'png', width: 640, height: 480 });
    expect(r.video).toBeNull();
  });

  it('FLAC with a JPEG cover and with a PNG cover', async () => {
    const a = await inspectAudio(await withCover(tmp.file('jpeg-cover.flac'), jpg, ['-c:a', 'flac']));
    expect(a.cover).toMatchObject({ codec: 'mjpeg', width: 600, height: 600 });
    const b = await inspectAudio(await withCover(tmp.file('png-cover.flac'), png, ['-c:a', 'flac']));
    expect(b.cover).toMatchObject({ codec: 'png', width: 640, height: 480 });
    expect(b.video).toBeNull();
  });

  it('a video with sound is accepted; its audio stream is the one used', async () => {
    const file = tmp.file('with-sound.mp4');
    await ffmpeg([
      '-f',
      'lavfi',
      '-i',
      'testsrc=s=160x120:d=2',
      '-f',
      'lavfi',
      '-i',
      toneSource(2),
      '-map',
      '0:v',
      '-map',
      '1:a',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-shortest',
      file,
    ]);
    const r = await inspectAudio(file);
    expect(r.video).toMatchObject({ index: 0, codec: 'h264', width: 160, height: 120 });
    expect(r.audio).toMatchObject({ index: 1, codec: 'aac' });
    expect(r.cover).toBeNull();
  });
});

describe('rejections, with reasons a person understands', () => {
  it('random bytes', async () => {
    const bytes = Buffer.alloc(200_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
    for (const name of ['random.bin', 'random', 'random.mp3', 'random.flac']) {
      await writeFile(tmp.file(name), bytes);
      const err = await rejection(tmp.file(name));
      expect(err.message).toMatch(/^(cannot read this file: .+|no audio stream found.*)$/);
    }
  });

  it('a PNG image', async () => {
    const file = tmp.file('image.png');
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=s=64x64:d=1', '-frames:v', '1', file]);
    const err = await rejection(file);
    expect(err.code).toBe('no-audio');
    expect(err.message).toBe('no audio stream found (it is an image)');
  });

  it('a video without audio', async () => {
    const file = tmp.file('silent.mp4');
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=s=160x120:d=2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', file]);
    const err = await rejection(file);
    expect(err.message).toBe('no audio stream found (it is a video without sound)');
  });

  it('a zero-byte file', async () => {
    await writeFile(tmp.file('empty.wav'), '');
    const err = await rejection(tmp.file('empty.wav'));
    expect(err).toMatchObject({ code: 'empty', message: 'file is empty', permanent: true });
  });

  it('a WAV cut right after its header: ffprobe finds no duration', async () => {
    const full = await makeTone(tmp.file('full.wav'), ['-c:a', 'pcm_s16le'], { seconds: 5 });
    const bytes = await readFile(full);
    const header = bytes.indexOf('data') + 8;
    await writeFile(tmp.file('header-only.wav'), bytes.subarray(0, header));
    const err = await rejection(tmp.file('header-only.wav'));
    expect(err).toMatchObject({ code: 'truncated', message: 'file is truncated: it has a header but no audio data' });
    // Cut inside the RIFF header: ffprobe cannot read it at all.
    await writeFile(tmp.file('half-header.wav'), bytes.subarray(0, 30));
    expect((await rejection(tmp.file('half-header.wav'))).message).toMatch(/^cannot read this file: /);
  });

  it('a FLAC cut after its header: ffprobe believes STREAMINFO, decoding tells the truth', async () => {
    const full = await makeTone(tmp.file('full.flac'), ['-c:a', 'flac'], { seconds: 5 });
    const bytes = await readFile(full);
    const headerEnd = flacMetadataEnd(bytes);
    await writeFile(tmp.file('header-only.flac'), bytes.subarray(0, headerEnd));
    await writeFile(tmp.file('half.flac'), bytes.subarray(0, headerEnd + Math.floor((bytes.length - headerEnd) / 2)));

    // ffprobe alone accepts both: the duration comes from the header.
    const probed = await probe(tmp.file('header-only.flac'));
    assertAudio(probed);
    expect(probed.durationMs).toBe(5000);

    // The decode check in inspectAudio rejects them.
    expect(await rejection(tmp.file('header-only.flac'))).toMatchObject({
      code: 'truncated',
      message: 'file is truncated or damaged: no audio could be decoded',
    });
    const half = await rejection(tmp.file('half.flac'));
    expect(half.code).toBe('truncated');
    expect(half.message).toMatch(/^file is truncated: only 2\.\d s of its 5\.0 s could be decoded$/);
  });

  it('an MP3 whose duration ffprobe only estimates gets its decoded duration instead of a rejection', async () => {
    // VBR without a Xing header, quiet start then noise: the bit-rate estimate is far off.
    const file = tmp.file('no-xing.mp3');
    await ffmpeg([
      '-f',
      'lavfi',
      '-i',
      'anullsrc=r=44100:cl=stereo:d=3',
      '-f',
      'lavfi',
      '-i',
      'anoisesrc=r=44100:a=0.5:d=7',
      '-filter_complex',
      '[0][1]concat=n=2:v=0:a=1',
      '-c:a',
      'libmp3lame',
      '-q:a',
      '2',
      '-write_xing',
      '0',
      file,
    ]);
    const probed = await probe(file);
    assertAudio(probed);
    expect(probed.durationEstimated).toBe(true);
    const check = await verifyDecodes(file, probed);
    expect(check.decodedDurationMs).not.toBeNull();
    expect(Math.abs(check.durationMs - 10_000)).toBeLessThan(100);
    const inspected = await inspectAudio(file);
    expect(Math.abs(inspected.durationMs - 10_000)).toBeLessThan(100);
  });

  it('rejects playlists, which would make ffmpeg open other files', async () => {
    const wav = await makeTone(tmp.file('seg.wav'), ['-c:a', 'pcm_s16le'], { seconds: 1 });
    await copyFile(wav, tmp.file('seg.ts'));
    await writeFile(tmp.file('list.m3u8'), '#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nseg.wav\n#EXT-X-ENDLIST\n');
    const err = await rejection(tmp.file('list.m3u8'));
    expect(err.message).toMatch(/^cannot read this file: /);
  });
});

describe('parseProbeOutput', () => {
  it('treats a still picture without the attached_pic flag as cover art, and motion video as video', () => {
    const json = JSON.stringify({
      streams: [
        {
          index: 0,
          codec_type: 'video',
          codec_name: 'h264',
          width: 320,
          height: 240,
          avg_frame_rate: '25/1',
          nb_frames: '50',
          duration: '2.000000',
          disposition: { attached_pic: 0 },
        },
        {
          index: 1,
          codec_type: 'audio',
          codec_name: 'aac',
          sample_rate: '48000',
          channels: 2,
          channel_layout: 'stereo',
          duration: '2.000000',
          disposition: { default: 1 },
        },
        {
          index: 2,
          codec_type: 'video',
          codec_name: 'png',
          width: 500,
          height: 500,
          nb_frames: '1',
          disposition: { attached_pic: 0 },
        },
      ],
      format: {
        format_name: 'mov,mp4,m4a,3gp,3g2,mj2',
        duration: '2.000000',
        size: '1000',
        bit_rate: '4000',
        probe_score: 100,
      },
    });
    const r = parseProbeOutput(json);
    expect(r.video).toEqual({ index: 0, codec: 'h264', width: 320, height: 240, frameRate: 25, durationMs: 2000 });
    expect(r.cover).toEqual({ index: 2, codec: 'png', width: 500, height: 500 });
    expect(r.audio).toMatchObject({ index: 1, codec: 'aac', sampleRate: 48000, channels: 2, durationMs: 2000 });
    expect(r.audio?.bitDepth).toBeUndefined();
  });

  it('a low probe score is a guess and is rejected', () => {
    const r = parseProbeOutput(
      JSON.stringify({
        streams: [{ index: 0, codec_type: 'audio', codec_name: 'mp3', sample_rate: '0', channels: 0 }],
        format: { format_name: 'mp3', probe_score: 1 },
      }),
    );
    expect(() => assertAudio(r)).toThrow(
      new MediaRejectedError('unreadable', 'cannot read this file: its format is not recognised'),
    );
  });
});

/** Offset of the first audio frame in a FLAC file (end of its metadata blocks). */
function flacMetadataEnd(bytes: Buffer): number {
  let i = 4; // "fLaC"
  for (;;) {
    const header = bytes[i]!;
    const length = bytes.readUIntBE(i + 1, 3);
    i += 4 + length;
    if (header & 0x80) return i;
  }
}

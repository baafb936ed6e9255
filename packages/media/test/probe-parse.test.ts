/**
 * The upload checks in-process, without running ffmpeg: `parseProbeOutput` on ffprobe's JSON captured
 * from real files (fixtures/ffprobe, remade by its capture.sh) and on variants of it, and
 * `verifyDecodes` around a stand-in ffmpeg that reports how much it decoded. The same rules on real
 * files are in probe.test.ts; these run first in the mutation run (docs/testing.md).
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FfmpegError,
  MediaRejectedError,
  assertAudio,
  buildDecodeCheckArgs,
  parseProbeOutput,
  probe,
  verifyDecodes,
  type AudioProbeResult,
  type ProbeResult,
} from '../src/index.ts';
import { argv, fakeFfmpeg, useTempDir } from './helpers.ts';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/ffprobe');
const json = (name: string) => readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8');
const stderr = (name: string) => readFileSync(path.join(FIXTURES, `${name}.stderr`), 'utf8');
const fixture = (name: string) => parseProbeOutput(json(name), stderr(name));

// biome-ignore lint/suspicious/noExplicitAny: ffprobe's JSON, edited by hand
type Ffprobe = { streams: any[]; format: any };
/** A captured fixture changed by `edit`, then parsed. */
function variant(name: string, edit: (p: Ffprobe) => void, err = ''): ProbeResult {
  const parsed = JSON.parse(json(name)) as Ffprobe;
  edit(parsed);
  return parseProbeOutput(JSON.stringify(parsed), err);
}

function rejected(fn: () => unknown): MediaRejectedError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(MediaRejectedError);
    return err as MediaRejectedError;
  }
  throw new Error('not rejected');
}

const STEREO_WAV_AUDIO = {
  index: 0,
  codec: 'pcm_s16le',
  codecLongName: 'PCM signed 16-bit little-endian',
  profile: null,
  sampleRate: 44100,
  channels: 2,
  channelLayout: 'stereo',
  bitDepth: 16,
  sampleFormat: 's16',
  bitRate: 1411200,
  durationMs: 1000,
};

describe('parseProbeOutput on ffprobe output captured from real files', () => {
  it('WAV 16-bit stereo: every field', () => {
    expect(fixture('wav-s16-stereo')).toStrictEqual({
      formatName: 'wav',
      durationMs: 1000,
      durationEstimated: false,
      bitRate: 1411824,
      sizeBytes: 176478,
      probeScore: 99,
      audio: STEREO_WAV_AUDIO,
      audioStreamCount: 1,
      video: null,
      cover: null,
      tags: { encoder: 'Lavf59.27.100' },
    });
  });

  it('WAV 24-bit mono 96 kHz and FLAC 24-bit (bits_per_raw_sample)', () => {
    expect(fixture('wav-s24-mono').audio).toStrictEqual({
      index: 0,
      codec: 'pcm_s24le',
      codecLongName: 'PCM signed 24-bit little-endian',
      profile: null,
      sampleRate: 96000,
      channels: 1,
      channelLayout: 'mono',
      bitDepth: 24,
      sampleFormat: 's32',
      bitRate: 2304000,
      durationMs: 1000,
    });
    const flac = fixture('flac-24');
    expect(flac.formatName).toBe('flac');
    expect(flac.audio).toMatchObject({ codec: 'flac', sampleRate: 48000, bitDepth: 24, sampleFormat: 's32' });
    expect(flac.audio?.bitRate).toBeNull();
  });

  it('AAC in M4A: a profile, no bit depth at all (not even an undefined key)', () => {
    const r = fixture('m4a-aac');
    expect(r.formatName).toBe('mov,mp4,m4a,3gp,3g2,mj2');
    expect(r.audio).toStrictEqual({
      index: 0,
      codec: 'aac',
      codecLongName: 'AAC (Advanced Audio Coding)',
      profile: 'LC',
      sampleRate: 44100,
      channels: 2,
      channelLayout: 'stereo',
      sampleFormat: 'fltp',
      bitRate: 127870,
      durationMs: 1000,
    });
    expect('bitDepth' in (r.audio ?? {})).toBe(false);
    expect(r.probeScore).toBe(100);
  });

  it('MP3 with a JPEG cover and FLAC with a PNG cover: the picture is cover art, not video', () => {
    const mp3 = fixture('mp3-jpeg-cover');
    expect(mp3.cover).toStrictEqual({ index: 1, codec: 'mjpeg', width: 600, height: 600 });
    expect(mp3.video).toBeNull();
    expect(mp3.durationMs).toBe(2038);
    expect(mp3.probeScore).toBe(51);
    expect(mp3.tags).toStrictEqual({ encoder: 'Lavf59.27.100', title: 'Container' });
    const flac = fixture('flac-png-cover');
    expect(flac.cover).toStrictEqual({ index: 1, codec: 'png', width: 640, height: 480 });
    expect(flac.video).toBeNull();
    expect(flac.audio?.index).toBe(0);
  });

  it('a video with sound: video and audio both described; a silent video has no audio', () => {
    const r = fixture('mp4-video-with-sound');
    expect(r.video).toStrictEqual({
      index: 0,
      codec: 'h264',
      width: 160,
      height: 120,
      frameRate: 25,
      durationMs: 2000,
    });
    expect(r.audio).toMatchObject({ index: 1, codec: 'aac', durationMs: 2000 });
    expect(r.cover).toBeNull();
    const silent = fixture('mp4-video-silent');
    expect(silent.audio).toBeNull();
    expect(silent.video).toMatchObject({ index: 0, codec: 'h264' });
    const refusal = rejected(() => assertAudio(silent));
    expect([refusal.code, refusal.message]).toEqual([
      'no-audio',
      'no audio stream found (it is a video without sound)',
    ]);
  });

  it('a PNG image: a cover-like picture, no duration, no bit rate, refused as an image', () => {
    const r = fixture('png-image');
    expect(r).toStrictEqual({
      formatName: 'png_pipe',
      durationMs: null,
      durationEstimated: false,
      bitRate: null,
      sizeBytes: 14405,
      probeScore: 99,
      audio: null,
      audioStreamCount: 0,
      video: null,
      cover: { index: 0, codec: 'png', width: 640, height: 480 },
      tags: {},
    });
    expect(rejected(() => assertAudio(r)).message).toBe('no audio stream found (it is an image)');
  });

  it('Ogg Vorbis: the comments on the audio stream are the tags; the container wins on a clash', () => {
    expect(fixture('ogg-vorbis-tags').tags).toStrictEqual({
      encoder: 'Lavc59.37.100 libvorbis',
      TITLE: 'Stream',
      ARTIST: 'Voice',
    });
    const clash = variant('ogg-vorbis-tags', (p) => {
      p.format.tags = { TITLE: 'Container' };
    });
    expect(clash.tags).toStrictEqual({ encoder: 'Lavc59.37.100 libvorbis', TITLE: 'Container', ARTIST: 'Voice' });
  });

  it('two audio streams: the default one with channels is used, its own duration unknown', () => {
    const r = fixture('mka-second-default');
    expect(r.audio).toMatchObject({ index: 1, channels: 2, sampleRate: 44100, durationMs: null });
    expect(r.durationMs).toBe(1046);
    // Without a default stream, the first with channels.
    const none = variant('mka-second-default', (p) => {
      for (const s of p.streams) s.disposition.default = 0;
    });
    expect(none.audio).toMatchObject({ index: 0, channels: 1, sampleRate: 22050, channelLayout: 'mono' });
    // A default stream without channels is passed over for one that has them.
    const silentDefault = variant('mka-second-default', (p) => {
      p.streams[0].disposition.default = 1;
      p.streams[0].channels = 0;
      p.streams[1].disposition.default = 0;
    });
    expect(silentDefault.audio?.index).toBe(1);
    const noChannelsAnywhere = variant('mka-second-default', (p) => {
      for (const s of p.streams) delete s.channels;
    });
    expect(noChannelsAnywhere.audio).toMatchObject({ index: 0, channels: 0 });
  });

  it('an MP3 without a Xing header: the duration is an estimate (ffprobe says so on stderr)', () => {
    const r = fixture('mp3-no-xing');
    expect(r.durationEstimated).toBe(true);
    expect(r.durationMs).toBe(26445);
    expect(parseProbeOutput(json('mp3-no-xing'), '').durationEstimated).toBe(false);
    expect(parseProbeOutput(json('mp3-no-xing'), 'ESTIMATING DURATION FROM BITRATE').durationEstimated).toBe(true);
    expect(parseProbeOutput(json('mp3-no-xing')).durationEstimated).toBe(false);
  });
});

describe('parseProbeOutput on variants of the captured output', () => {
  it('output that is not JSON is refused as unreadable; an empty description is not audio', () => {
    const refusal = rejected(() => parseProbeOutput('{\n'));
    expect([refusal.code, refusal.message]).toEqual([
      'unreadable',
      'cannot read this file: ffprobe gave no usable description',
    ]);
    expect(parseProbeOutput('{}')).toStrictEqual({
      formatName: 'unknown',
      durationMs: null,
      durationEstimated: false,
      bitRate: null,
      sizeBytes: null,
      probeScore: null,
      audio: null,
      audioStreamCount: 0,
      video: null,
      cover: null,
      tags: {},
    });
  });

  it('the duration: the container’s, else the audio stream’s; N/A and nonsense are unknown', () => {
    const streamOnly = variant('wav-s16-stereo', (p) => {
      delete p.format.duration;
      p.streams[0].duration = '1.5';
    });
    expect(streamOnly.durationMs).toBe(1500);
    const na = variant('wav-s16-stereo', (p) => {
      p.format.duration = 'N/A';
      p.streams[0].duration = 'N/A';
    });
    expect(na.durationMs).toBeNull();
    expect(na.audio?.durationMs).toBeNull();
    const nonsense = variant('wav-s16-stereo', (p) => {
      p.format.duration = 'abc';
      p.streams[0].duration = '2.25';
    });
    expect(nonsense.durationMs).toBe(2250);
    // Milliseconds are rounded, not truncated.
    expect(variant('wav-s16-stereo', (p) => (p.format.duration = '1.0006')).durationMs).toBe(1001);
  });

  it('integers: rounded; N/A and nonsense are null; a probe score must be a number', () => {
    const r = variant('wav-s16-stereo', (p) => {
      p.format.bit_rate = 'N/A';
      p.format.size = '1234.6';
      p.format.probe_score = '99';
      p.streams[0].bit_rate = 'abc';
      p.streams[0].sample_rate = '44100.4';
    });
    expect(r.bitRate).toBeNull();
    expect(r.sizeBytes).toBe(1235);
    expect(r.probeScore).toBeNull();
    expect(r.audio?.bitRate).toBeNull();
    expect(r.audio?.sampleRate).toBe(44100);
    expect(variant('wav-s16-stereo', (p) => (p.format.probe_score = 0)).probeScore).toBe(0);
  });

  it('an audio stream missing its fields gets safe defaults, which assertAudio refuses', () => {
    const r = variant('wav-s16-stereo', (p) => {
      const { index, codec_type } = p.streams[0];
      p.streams[0] = { index, codec_type };
    });
    expect(r.audio).toStrictEqual({
      index: 0,
      codec: 'unknown',
      codecLongName: null,
      profile: null,
      sampleRate: 0,
      channels: 0,
      channelLayout: null,
      sampleFormat: null,
      bitRate: null,
      durationMs: null,
    });
    expect(rejected(() => assertAudio(r)).code).toBe('unreadable');
  });

  it('a WAV that names no layout: mono and stereo are assumed, more channels are not', () => {
    const layout = (channels: number) =>
      variant('wav-s16-stereo', (p) => {
        delete p.streams[0].channel_layout;
        p.streams[0].channels = channels;
      }).audio?.channelLayout;
    expect([layout(1), layout(2), layout(6)]).toEqual(['mono', 'stereo', null]);
  });

  it('bit depth: bits_per_raw_sample first, then bits_per_sample for PCM only', () => {
    const depth = (edit: (s: Record<string, unknown>) => void) =>
      variant('wav-s16-stereo', (p) => edit(p.streams[0])).audio?.bitDepth;
    expect(depth((s) => (s.bits_per_raw_sample = '24'))).toBe(24);
    expect(depth((s) => (s.bits_per_raw_sample = '0'))).toBe(16);
    expect(depth((s) => (s.bits_per_raw_sample = 'N/A'))).toBe(16);
    expect(depth((s) => Object.assign(s, { bits_per_raw_sample: undefined, bits_per_sample: 0 }))).toBeUndefined();
    expect(depth((s) => Object.assign(s, { bits_per_sample: undefined }))).toBeUndefined();
    expect(depth((s) => Object.assign(s, { codec_name: 'mp3', bits_per_sample: 16 }))).toBeUndefined();
    expect(depth((s) => Object.assign(s, { codec_name: 'xpcm_s16le' }))).toBeUndefined();
    const noCodec = variant('wav-s16-stereo', (p) => delete p.streams[0].codec_name).audio;
    expect(noCodec?.codec).toBe('unknown');
    expect(noCodec && 'bitDepth' in noCodec).toBe(false);
  });

  it('pictures and video: attached or still pictures are covers, many-frame picture codecs are video', () => {
    const cover = (edit: (s: Record<string, unknown>) => void) => {
      const r = variant('mp3-jpeg-cover', (p) => {
        p.streams[1].disposition.attached_pic = 0;
        edit(p.streams[1]);
      });
      return { cover: r.cover?.index ?? null, video: r.video?.index ?? null };
    };
    expect(cover(() => {})).toEqual({ cover: 1, video: null }); // mjpeg, frame count unknown
    expect(cover((s) => (s.nb_frames = '1'))).toEqual({ cover: 1, video: null });
    expect(cover((s) => (s.nb_frames = '2'))).toEqual({ cover: null, video: 1 }); // motion JPEG
    expect(cover((s) => Object.assign(s, { nb_frames: '2', disposition: { attached_pic: 1 } }))).toEqual({
      cover: 1,
      video: null,
    });
    expect(cover((s) => Object.assign(s, { codec_name: 'h264', disposition: { still_image: 1 } }))).toEqual({
      cover: 1,
      video: null,
    });
    expect(cover((s) => Object.assign(s, { codec_name: 'h264' }))).toEqual({ cover: null, video: 1 });
    expect(cover((s) => Object.assign(s, { codec_name: 'png', disposition: undefined }))).toEqual({
      cover: 1,
      video: null,
    });
    expect(cover((s) => delete s.codec_name)).toEqual({ cover: null, video: 1 });
    const bare = variant('mp3-jpeg-cover', (p) => {
      p.streams[1] = { index: 1, codec_type: 'video', disposition: { attached_pic: 1 } };
    });
    expect(bare.cover).toStrictEqual({ index: 1, codec: 'unknown', width: 0, height: 0 });
  });

  it('an audio stream without a disposition is still found; an image2 format is an image, a name ending so is not', () => {
    const bare = variant('wav-s16-stereo', (p) => {
      delete p.streams[0].disposition;
    });
    expect(bare.audio?.index).toBe(0);
    const nothing = (format_name: string) =>
      rejected(() =>
        assertAudio(
          variant('png-image', (p) => {
            p.streams = [];
            p.format.format_name = format_name;
          }),
        ),
      ).message;
    expect(nothing('image2')).toBe('no audio stream found (it is an image)');
    expect(nothing('notimage2')).toBe('no audio stream found');
  });

  it('the frame rate of a video: a fraction, null when absent, zero-based or not a fraction', () => {
    const rate = (value: string | undefined) =>
      variant('mp4-video-silent', (p) => {
        p.streams[0].avg_frame_rate = value;
      }).video?.frameRate;
    expect(rate('30000/1001')).toBeCloseTo(29.97, 2);
    expect([rate('0/0'), rate('25/0'), rate(undefined), rate('x25/1'), rate('25/1x'), rate('25')]).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(rate('0/1')).toBe(0);
  });
});

describe('assertAudio on the captured files', () => {
  it('every captured file with audio passes', () => {
    for (const name of [
      'wav-s16-stereo',
      'wav-s24-mono',
      'flac-24',
      'flac-png-cover',
      'm4a-aac',
      'mp3-jpeg-cover',
      'mp3-no-xing',
      'mp4-video-with-sound',
      'ogg-vorbis-tags',
      'mka-second-default',
    ])
      expect(() => assertAudio(fixture(name)), name).not.toThrow();
  });
});

describe('verifyDecodes around a stand-in ffmpeg', () => {
  const tmp = useTempDir('decode-check');

  const progress = (ms: number) => `out_time_us=${Math.round(ms * 1000)}\nprogress=end\n`;
  const probed = (durationMs: number, durationEstimated = false): AudioProbeResult =>
    ({
      ...fixture('wav-s16-stereo'),
      audio: { ...STEREO_WAV_AUDIO, index: 2 },
      durationMs,
      durationEstimated,
    }) as AudioProbeResult;
  let n = 0;
  /** A stand-in that decodes `tail` ms after a seek and `full` ms from the start. */
  const stand = (tail: number | null, full: number | null, extra: Parameters<typeof fakeFfmpeg>[2] = {}) =>
    fakeFfmpeg(tmp, `ff${n++}`, {
      seekProgress: tail === null ? '' : progress(tail),
      progress: full === null ? '' : progress(full),
      ...extra,
    });

  it('the arguments: a seek only when starting later, the probed stream only, no output', () => {
    expect(buildDecodeCheckArgs('/in/a.flac')).toEqual(
      argv('-v error -protocol_whitelist file -i /in/a.flac -map 0:a:0 -vn -sn -dn -f null -'),
    );
    expect(buildDecodeCheckArgs('/in/a.flac', { startMs: 0, audioStreamIndex: 3 }).slice(0, 4)).toEqual([
      '-v',
      'error',
      '-protocol_whitelist',
      'file',
    ]);
    expect(buildDecodeCheckArgs('/in/a.flac', { startMs: 7000 }).slice(2, 4)).toEqual(['-ss', '7']);
    expect(buildDecodeCheckArgs('/in/a.flac', { startMs: -500 })).not.toContain('-ss');
  });

  it('the last seconds decode: the declared duration stands after one short run', async () => {
    const ff = await stand(3000, null);
    expect(await verifyDecodes('/in/a.wav', probed(10_000), { ffmpegPath: ff.path })).toEqual({
      durationMs: 10_000,
      decodedDurationMs: null,
    });
    const calls = await ff.calls();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toContain(' -ss 7 ');
    expect(calls[0]).toContain(' -map 0:2 ');
  });

  it('half of the checked tail (at most 1 s of it) is enough; less means a full decode', async () => {
    const at = async (tail: number, opts: { tailMs?: number } = {}) => {
      const ff = await stand(tail, 10_000);
      const r = await verifyDecodes('/in/a.wav', probed(10_000), { ffmpegPath: ff.path, ...opts });
      return { ...r, runs: (await ff.calls()).length };
    };
    expect(await at(500)).toEqual({ durationMs: 10_000, decodedDurationMs: null, runs: 1 });
    expect(await at(499)).toEqual({ durationMs: 10_000, decodedDurationMs: 10_000, runs: 2 });
    // A 400 ms tail needs 200 ms of it.
    expect(await at(200, { tailMs: 400 })).toEqual({ durationMs: 10_000, decodedDurationMs: null, runs: 1 });
    expect(await at(199, { tailMs: 400 })).toMatchObject({ decodedDurationMs: 10_000, runs: 2 });
  });

  it.each([
    {
      name: 'a file no longer than the tail is decoded once, from the start',
      tail: null,
      full: 2000,
      file: '/in/a.wav',
      declaredMs: 2000,
      estimated: false,
      decoded: { durationMs: 2000, decodedDurationMs: 2000 },
    },
    {
      name: 'an estimated duration: the whole audio is decoded and its length is the duration',
      tail: 100,
      full: 4000.4,
      file: '/in/a.mp3',
      declaredMs: 26_445,
      estimated: true,
      decoded: { durationMs: 4000, decodedDurationMs: 4000.4 },
    },
  ])('$name', async ({ tail, full, file, declaredMs, estimated, decoded }) => {
    const ff = await stand(tail, full);
    expect(await verifyDecodes(file, probed(declaredMs, estimated), { ffmpegPath: ff.path })).toEqual(decoded);
    const calls = await ff.calls();
    expect(calls).toHaveLength(1);
    expect(calls[0]).not.toContain('-ss');
  });

  it('less than 90 % of a declared duration is truncated; 90 % passes', async () => {
    const short = await stand(0, 8940);
    const err = await verifyDecodes('/in/a.wav', probed(10_000), { ffmpegPath: short.path }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MediaRejectedError);
    expect(err).toMatchObject({ code: 'truncated' });
    expect((err as Error).message).toBe('file is truncated: only 8.9 s of its 10.0 s could be decoded');
    const enough = await stand(0, 9000);
    expect(await verifyDecodes('/in/a.wav', probed(10_000), { ffmpegPath: enough.path })).toEqual({
      durationMs: 10_000,
      decodedDurationMs: 9000,
    });
  });

  it('nothing decoded is truncated or damaged', async () => {
    for (const full of [null, 0]) {
      const ff = await stand(null, full);
      const err = await verifyDecodes('/in/a.wav', probed(10_000), { ffmpegPath: ff.path }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MediaRejectedError);
      expect(err).toMatchObject({ code: 'truncated' });
      expect((err as Error).message).toBe('file is truncated or damaged: no audio could be decoded');
    }
  });

  it('ffmpeg failing on the file is unreadable; other failures stay ffmpeg errors', async () => {
    const failing = await stand(null, null, { exitCode: 1, stderr: 'Invalid data found when processing input\n' });
    const err = await verifyDecodes('/in/a.wav', probed(10_000), { ffmpegPath: failing.path }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MediaRejectedError);
    expect(err).toMatchObject({ code: 'unreadable' });
    expect((err as Error).message).toMatch(/^cannot decode this file: [a-z]/);
    const slow = await stand(null, null, { sleep: 30 });
    const timeout = await verifyDecodes('/in/a.wav', probed(10_000), { ffmpegPath: slow.path, timeoutMs: 200 }).catch(
      (e: unknown) => e,
    );
    expect(timeout).toBeInstanceOf(FfmpegError);
    expect(timeout).toMatchObject({ kind: 'timeout' });
    const aborted = await verifyDecodes('/in/a.wav', probed(10_000), {
      ffmpegPath: slow.path,
      signal: AbortSignal.abort(),
    }).catch((e: unknown) => e);
    expect(aborted).toMatchObject({ kind: 'aborted' });
  });
});

describe('probe around a stand-in ffprobe', () => {
  const tmp = useTempDir('probe-stand-in');
  beforeAll(async () => {
    await writeFile(tmp.file('some.wav'), 'not really audio');
  });

  it('a folder is not a file; ffprobe failing on the file is unreadable, failing to start is not', async () => {
    await expect(probe(tmp.dir)).rejects.toThrow(`not a file: ${tmp.dir}`);
    const failing = await fakeFfmpeg(tmp, 'ffprobe-exit', {
      exitCode: 1,
      stderr: 'Invalid data found when processing input\n',
    });
    const err = await probe(tmp.file('some.wav'), { ffprobePath: failing.path }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MediaRejectedError);
    expect((err as MediaRejectedError).code).toBe('unreadable');
    expect((err as Error).message).toMatch(/^cannot read this file: /);
    const missing = await probe(tmp.file('some.wav'), { ffprobePath: tmp.file('no-such-ffprobe') }).catch(
      (e: unknown) => e,
    );
    expect(missing).toBeInstanceOf(FfmpegError);
    expect(missing).not.toBeInstanceOf(MediaRejectedError);
    expect((missing as FfmpegError).kind).toBe('spawn');
  });
});

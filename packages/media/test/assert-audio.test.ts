/**
 * `assertAudio` on hand-made probe results, one rule at a time: the real-file cases are in
 * probe.test.ts; these run in milliseconds, so mutation testing (docs/testing.md) runs them first.
 */
import { describe, expect, it } from 'vitest';
import { assertAudio, MediaRejectedError, type ProbeResult } from '../src/index.ts';

const AUDIO = {
  index: 0,
  codec: 'flac',
  codecLongName: null,
  profile: null,
  sampleRate: 44100,
  channels: 2,
  channelLayout: 'stereo',
  sampleFormat: 's16',
  bitRate: null,
  durationMs: 1000,
};
const PICTURE = { index: 1, codec: 'mjpeg', width: 600, height: 600 };

function result(overrides: Partial<ProbeResult> = {}): ProbeResult {
  return {
    formatName: 'flac',
    durationMs: 1000,
    durationEstimated: false,
    bitRate: null,
    sizeBytes: 1000,
    probeScore: 100,
    audio: AUDIO,
    audioStreamCount: 1,
    video: null,
    cover: null,
    tags: {},
    ...overrides,
  };
}

function refusal(r: ProbeResult): { code: string; message: string } {
  try {
    assertAudio(r);
  } catch (err) {
    expect(err).toBeInstanceOf(MediaRejectedError);
    const { code, message } = err as MediaRejectedError;
    return { code, message };
  }
  throw new Error('accepted');
}

const unreadable = (why: string) => ({ code: 'unreadable', message: `cannot read this file: ${why}` });

describe('assertAudio', () => {
  it('accepts audio with a rate, channels and a duration; a score of 25 is not a guess', () => {
    expect(() => assertAudio(result())).not.toThrow();
    expect(() => assertAudio(result({ probeScore: 25 }))).not.toThrow();
    expect(() => assertAudio(result({ probeScore: null }))).not.toThrow();
    expect(() => assertAudio(result({ formatName: 'mov,mp4,m4a,3gp,3g2,mj2', cover: PICTURE }))).not.toThrow();
  });

  it('refuses playlists and lists of files, named alone or among other demuxer names', () => {
    const playlist = unreadable('it is a playlist or list of files, not audio');
    for (const formatName of ['hls', 'concat', 'ffmetadata', 'dash', 'wav,hls']) {
      expect(refusal(result({ formatName }))).toEqual(playlist);
    }
  });

  it('refuses guesses (score under 25) and text-art formats', () => {
    const guess = unreadable('its format is not recognised');
    expect(refusal(result({ probeScore: 24 }))).toEqual(guess);
    for (const formatName of ['bin', 'tty', 'ansi', 'xbin', 'adf', 'idf', 'mp3,tty'])
      expect(refusal(result({ formatName }))).toEqual(guess);
  });

  it('without audio, says what the file is: a video, an image, or nothing more', () => {
    const video = { ...PICTURE, frameRate: 25, durationMs: 2000 };
    expect(refusal(result({ audio: null, video }))).toEqual({
      code: 'no-audio',
      message: 'no audio stream found (it is a video without sound)',
    });
    const image = { code: 'no-audio', message: 'no audio stream found (it is an image)' };
    expect(refusal(result({ audio: null, cover: PICTURE }))).toEqual(image);
    expect(refusal(result({ audio: null, formatName: 'png_pipe' }))).toEqual(image);
    expect(refusal(result({ audio: null, formatName: 'image2' }))).toEqual(image);
    const nothing = { code: 'no-audio', message: 'no audio stream found' };
    expect(refusal(result({ audio: null }))).toEqual(nothing);
    expect(refusal(result({ audio: null, formatName: 'image2pipe' }))).toEqual(nothing);
    expect(refusal(result({ audio: null, formatName: 'png_pipe_x' }))).toEqual(nothing);
  });

  it('refuses an audio stream without a sample rate or channels', () => {
    const undecodable = unreadable('its audio stream cannot be decoded');
    expect(refusal(result({ audio: { ...AUDIO, sampleRate: 0 } }))).toEqual(undecodable);
    expect(refusal(result({ audio: { ...AUDIO, sampleRate: Number.NaN } }))).toEqual(undecodable);
    expect(refusal(result({ audio: { ...AUDIO, channels: 0 } }))).toEqual(undecodable);
    expect(() => assertAudio(result({ audio: { ...AUDIO, sampleRate: 1, channels: 1 } }))).not.toThrow();
  });

  it('refuses a file without a duration (a header and no audio data)', () => {
    const truncated = { code: 'truncated', message: 'file is truncated: it has a header but no audio data' };
    expect(refusal(result({ durationMs: null }))).toEqual(truncated);
    expect(refusal(result({ durationMs: 0 }))).toEqual(truncated);
    expect(() => assertAudio(result({ durationMs: 1 }))).not.toThrow();
  });
});

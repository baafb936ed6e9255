import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AudioInfo } from '@earshot/core';
import { generateTaggedTone, generateTone } from '../../../test/support/audio.ts';
import { createMediaToolkit } from '../src/media-toolkit.ts';

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-media-toolkit-'));
  file = await generateTone(path.join(dir, 'tone.wav'), { seconds: 1, rate: 44_100 });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = { signal: new AbortController().signal, onProgress: () => {} };
const sampleRateOf = async (info: AudioInfo) =>
  ((await createMediaToolkit().waveform(file, info, run)).json as { sample_rate: number }).sample_rate;

describe('media toolkit', () => {
  it("records the audio stream the upload's probe found", async () => {
    expect(await createMediaToolkit().probe(file)).toMatchObject({
      audioStreamIndex: 0,
      sampleRate: 44_100,
      channels: 2,
      codec: 'pcm_s16le',
    });
  });

  it("starts a step from the version row's facts, and probes only when the row lacks the stream", async () => {
    const info = await createMediaToolkit().probe(file);
    // A rate the file does not have shows which source the step used: the row's, not a new probe.
    expect(await sampleRateOf({ ...info, sampleRate: 48_000 })).toBe(48_000);
    expect(await sampleRateOf({ ...info, sampleRate: 48_000, audioStreamIndex: null })).toBe(44_100);
  });

  it("extracts the cover the upload's probe recorded without probing again; a version without the record is probed", async () => {
    const toolkit = createMediaToolkit();
    const covered = await generateTaggedTone(path.join(dir, 'covered.flac'), { cover: true });
    const info = await toolkit.probe(covered);
    expect(info.cover).toMatchObject({ codec: 'png', width: 320, height: 320 });
    const sizes = async (out: Awaited<ReturnType<typeof toolkit.artwork>>) =>
      out?.images.map((i) => i.size).sort((a, b) => a - b);
    expect(await sizes(await toolkit.artwork(covered, path.join(dir, 'recorded'), info, run))).toEqual([300, 1000]);
    // "No cover" on record is believed (the file has one, so only the record can say that) …
    expect(await toolkit.artwork(covered, path.join(dir, 'none'), { ...info, cover: null }, run)).toBeNull();
    // … and no record at all means the file is asked.
    const unknown = { ...info, cover: undefined };
    expect(await sizes(await toolkit.artwork(covered, path.join(dir, 'probed'), unknown, run))).toEqual([300, 1000]);
    expect((await toolkit.probe(file)).cover).toBeNull();
  });
});

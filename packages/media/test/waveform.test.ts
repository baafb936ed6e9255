import { readFile, writeFile } from 'node:fs/promises';
import WaveformData from 'waveform-data';
import { describe, expect, it } from 'vitest';
import {
  type AudiowaveformJson,
  MediaRejectedError,
  PeakFolder,
  buildWaveformDecodeArgs,
  chooseSamplesPerPixel,
  computeWaveform,
  probe,
} from '../src/index.ts';
import { argv, ffmpeg, musicSource, useTempDir } from './helpers.ts';

const tmp = useTempDir('waveform');

describe('samples_per_pixel rule', () => {
  it('aims at 3,000–3,050 points whatever the length, with at least 64 samples per point', () => {
    for (const seconds of [5, 30, 180, 600, 3600]) {
      const total = seconds * 44100;
      const spp = chooseSamplesPerPixel(total);
      const points = Math.ceil(total / spp);
      expect(points).toBeGreaterThanOrEqual(3000);
      expect(points).toBeLessThanOrEqual(seconds >= 30 ? 3030 : 3050);
    }
    expect(chooseSamplesPerPixel(44100)).toBe(64); // 1 s: 690 points
    expect(chooseSamplesPerPixel(0)).toBe(64);
  });
});

describe('buildWaveformDecodeArgs', () => {
  it('decodes the audio stream to mono s16le on stdout', () => {
    expect(buildWaveformDecodeArgs({ input: '/in/a.flac', sampleRate: 48000, audioStreamIndex: 0 })).toEqual(
      argv(
        '-protocol_whitelist file -i /in/a.flac -map 0:0 -vn -sn -dn -ac 1 -ar 48000 -c:a pcm_s16le',
        '-f s16le pipe:1',
      ),
    );
  });
});

describe('PeakFolder', () => {
  const pcm = (values: number[]) => {
    const b = Buffer.alloc(values.length * 2);
    values.forEach((v, i) => {
      b.writeInt16LE(v, i * 2);
    });
    return b;
  };

  it('folds min/max per pixel into 8-bit values, whatever the chunking (odd byte splits too)', () => {
    const samples = [0, 32767, -32768, 256, -256, 1000, -1, 1, 512, -512];
    const expected = [-128, 127, -1, 3, -2, 2]; // pixels of 4, 4 and a partial 2: min>>8, max>>8
    const whole = new PeakFolder(4);
    whole.push(pcm(samples));
    expect(whole.finish()).toEqual(expected);

    const bytes = pcm(samples);
    for (const cut of [1, 3, 7, 19]) {
      const f = new PeakFolder(4);
      f.push(bytes.subarray(0, cut));
      f.push(bytes.subarray(cut, cut + 5));
      f.push(bytes.subarray(cut + 5));
      expect(f.finish()).toEqual(expected);
      expect(f.samples).toBe(samples.length);
    }
  });

  it('reads misaligned buffers', () => {
    const backing = Buffer.alloc(9);
    const view = backing.subarray(1);
    view.writeInt16LE(-20000, 0);
    view.writeInt16LE(20000, 2);
    view.writeInt16LE(5, 4);
    view.writeInt16LE(-5, 6);
    const f = new PeakFolder(2);
    f.push(view);
    expect(f.finish()).toEqual([-20000 >> 8, 20000 >> 8, -5 >> 8, 5 >> 8]);
  });
});

describe('computeWaveform on real audio', () => {
  it('3-minute stereo track: ~3,000 points, readable by waveform-data, with the expected length and duration', async () => {
    const file = tmp.file('three-minutes.flac');
    await ffmpeg(['-f', 'lavfi', '-i', musicSource(180), '-c:a', 'flac', file]);
    const p = await probe(file);
    const progress: number[] = [];
    const r = await computeWaveform(
      file,
      { durationMs: p.durationMs!, sampleRate: p.audio!.sampleRate },
      { onProgress: (x) => progress.push(x) },
    );

    const spp = chooseSamplesPerPixel(180 * 44100);
    expect(r.json).toMatchObject({ version: 2, channels: 1, sample_rate: 44100, samples_per_pixel: spp, bits: 8 });
    expect(r.samplesDecoded).toBe(180 * 44100);
    expect(r.json.length).toBe(Math.ceil((180 * 44100) / spp));
    expect(r.json.data).toHaveLength(r.json.length * 2);
    expect(r.decodedDurationMs).toBeCloseTo(180_000, 3);
    expect(progress.at(-1)).toBe(100);

    // Through JSON, as the worker stores it and the browser reads it.
    const wf = WaveformData.create(JSON.parse(JSON.stringify(r.json)));
    expect(wf.length).toBe(r.json.length);
    expect(wf.channels).toBe(1);
    expect(wf.sample_rate).toBe(44100);
    expect(wf.scale).toBe(spp);
    expect(wf.bits).toBe(8);
    expect(wf.duration).toBeCloseTo(180, 0);
    const ch = wf.channel(0);
    for (let i = 0; i < wf.length; i += 97) {
      expect(ch.min_sample(i)).toBeLessThanOrEqual(ch.max_sample(i));
      expect(ch.max_sample(i)).toBeGreaterThan(0); // there is signal everywhere in this track
    }
    const narrower = wf.resample({ width: 1000 });
    expect(narrower.length).toBe(1000);
  });

  it('while it decodes, hands over growing prefixes of the finished waveform, which is the same as without them', async () => {
    const file = tmp.file('growing.flac');
    await ffmpeg(['-f', 'lavfi', '-i', musicSource(60), '-c:a', 'flac', file]);
    const p = await probe(file);
    const source = { durationMs: p.durationMs!, sampleRate: p.audio!.sampleRate };
    const partials: AudiowaveformJson[] = [];
    const growing = await computeWaveform(file, source, { onPartial: (json) => partials.push(json) });
    const plain = await computeWaveform(file, source);

    expect(growing.json).toEqual(plain.json);
    // About every tenth of the points: nine or ten partial ones, none of them the whole waveform.
    expect(partials.length).toBeGreaterThanOrEqual(9);
    expect(partials.length).toBeLessThanOrEqual(10);
    let before = 0;
    for (const partial of partials) {
      const { data, length, ...header } = partial;
      const { data: _d, length: _l, ...finalHeader } = plain.json;
      expect(header).toEqual(finalHeader);
      expect(length).toBeGreaterThan(before);
      expect(length).toBeLessThan(plain.json.length);
      expect(data).toEqual(plain.json.data.slice(0, length * 2));
      expect(WaveformData.create(JSON.parse(JSON.stringify(partial))).length).toBe(length);
      before = length;
    }
  });

  it('a 1 s mono 48 kHz file, probed by computeWaveform itself: 64 samples per point', async () => {
    const file = tmp.file('short.wav');
    await ffmpeg(['-f', 'lavfi', '-i', 'sine=f=1000:r=48000:d=1', '-c:a', 'pcm_s16le', file]);
    const r = await computeWaveform(file); // probes the file itself
    expect(r.json.samples_per_pixel).toBe(64);
    expect(r.json.length).toBe(750);
    // sine filter amplitude is 1/8 of full scale: peaks of ±4096 → ±16 in 8 bits
    expect(Math.max(...r.json.data)).toBe(15);
    expect(Math.min(...r.json.data)).toBe(-16);
    expect(WaveformData.create(r.json).length).toBe(750);
  });

  it('a file with no decodable audio is rejected', async () => {
    const file = tmp.file('no-audio.flac');
    await ffmpeg(['-f', 'lavfi', '-i', 'sine=d=1', '-c:a', 'flac', file]);
    // Keep only the 42-byte fLaC header + STREAMINFO.
    await writeFile(file, (await readFile(file)).subarray(0, 42));
    const err = await computeWaveform(file, { durationMs: 1000, sampleRate: 44100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MediaRejectedError);
    expect((err as Error).message).toMatch(/^cannot decode this file: |^file is truncated/);
  });
});

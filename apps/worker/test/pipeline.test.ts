import { readFile } from 'node:fs/promises';
import path from 'node:path';
import WaveformData from 'waveform-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrackFromUpload, type CoreDeps, type ProcessingEvent } from '@earshot/core';
import { createCoreDeps, createMediaToolkit } from '@earshot/runtime';
import { createTestInfra, type TestInfra } from '../../../test/support/infra.ts';
import { attachedPicture, generateTone, renderLavfi } from '../../../test/support/audio.ts';
import { createHandlers, startProcessing } from '../src/index.ts';
import { fullyDecodedMs, waitForVersion } from './support.ts';
import { writeBlackPng } from '../../../test/support/images.ts';

let t: TestInfra;
let owner: { id: string; role: 'artist' };
let core: CoreDeps;
let closeCore: () => Promise<void>;
const events: ProcessingEvent[] = [];

beforeAll(async () => {
  t = await createTestInfra();
  const row = await t.infra.database.db
    .insertInto('users')
    .values({ email: 'a@example.com', handle: 'artist', display_name: 'Artist', password_hash: 'x', role: 'artist' })
    .returning('id')
    .executeTakeFirstOrThrow();
  owner = { id: row.id, role: 'artist' };
  ({ core, close: closeCore } = createCoreDeps({
    config: t.config,
    logger: t.logger,
    infra: t.infra,
    media: createMediaToolkit(),
  }));
  t.infra.progress.subscribe((e) => (e.type === 'version.step' || e.type === 'version.status') && events.push(e));
  startProcessing(t.infra.jobs, createHandlers(core), t.logger, 2);
});
afterAll(async () => {
  await t.cleanup();
  await closeCore();
});

async function cover(kind: 'jpg' | 'png'): Promise<string> {
  return renderLavfi('testsrc=size=1200x1200:rate=1', path.join(t.dataDir, `cover.${kind}`), ['-frames:v', '1']);
}

/** ffmpeg arguments that embed a `kind` cover, encoded with `codec`, as the file's attached picture. */
async function attachedCover(kind: 'jpg' | 'png', codec: string): Promise<string[]> {
  return ['-i', await cover(kind), '-map', '0:a', '-map', '1:v', '-c:v', codec, '-disposition:v', 'attached_pic'];
}

interface Case {
  name: string;
  file: string;
  seconds: number;
  rate?: number;
  channels?: 1 | 2;
  args?: () => Promise<string[]>;
  art?: boolean;
}

const CASES: Case[] = [
  { name: 'WAV 16-bit 44.1 kHz stereo', file: 'a.wav', seconds: 8 },
  {
    name: 'WAV 24-bit 96 kHz stereo',
    file: 'b.wav',
    seconds: 7,
    rate: 96_000,
    args: async () => ['-c:a', 'pcm_s24le'],
  },
  {
    name: 'FLAC 24-bit 48 kHz mono with PNG cover',
    file: 'c.flac',
    seconds: 9,
    rate: 48_000,
    channels: 1,
    art: true,
    args: async () => [...(await attachedCover('png', 'png')), '-sample_fmt', 's32', '-bits_per_raw_sample', '24'],
  },
  {
    name: 'MP3 with JPEG cover',
    file: 'd.mp3',
    seconds: 10,
    art: true,
    args: async () => [...(await attachedCover('jpg', 'mjpeg')), '-id3v2_version', '3', '-b:a', '192k'],
  },
  { name: 'M4A/AAC', file: 'e.m4a', seconds: 8, args: async () => ['-c:a', 'aac', '-b:a', '160k'] },
  { name: 'Ogg Vorbis', file: 'f.ogg', seconds: 8, args: async () => ['-c:a', 'libvorbis'] },
  { name: 'Opus 48 kHz', file: 'g.opus', seconds: 8, rate: 48_000, args: async () => ['-c:a', 'libopus'] },
  { name: 'a 1 s FLAC', file: 'h.flac', seconds: 1 },
];

describe('upload to ready with real ffmpeg', () => {
  it.each(CASES)('$name', async (c) => {
    const file = await generateTone(path.join(t.dataDir, c.file), {
      seconds: c.seconds,
      rate: c.rate,
      channels: c.channels,
      extraArgs: c.args ? await c.args() : [],
    });
    const size = (await readFile(file)).length;
    const track = await createTrackFromUpload(
      core,
      owner,
      { path: file, originalFilename: c.file, sizeBytes: size },
      { title: c.name },
    );
    const version = track.latestVersion;
    const done = await waitForVersion(t.infra.database.db, version.id);
    expect(done, done.failure_reason ?? '').toMatchObject({ status: 'ready' });

    const v = await t.infra.database.db
      .selectFrom('track_versions')
      .selectAll()
      .where('id', '=', version.id)
      .executeTakeFirstOrThrow();
    const current = await t.infra.database.db
      .selectFrom('tracks')
      .select('current_version_id')
      .where('id', '=', track.id)
      .executeTakeFirstOrThrow();
    expect(current.current_version_id).toBe(version.id);

    // Duration from the decoded audio; the HLS output decodes back to it ±50 ms.
    const storageRoot = (t.config.storage as { root: string }).root;
    const master = path.join(storageRoot, 'transcodes', v.hls_key!);
    const sourceMs = await fullyDecodedMs(file);
    expect(Math.abs(v.duration_ms! - sourceMs)).toBeLessThanOrEqual(50);
    expect(Math.abs((await fullyDecodedMs(master)) - sourceMs)).toBeLessThanOrEqual(50);

    const masterText = await readFile(master, 'utf8');
    expect(masterText.match(/#EXT-X-STREAM-INF/g)?.length).toBeGreaterThanOrEqual(3);
    expect(masterText).toMatch(/CODECS="mp4a\.40\.2"/);
    expect(masterText).toMatch(/AVERAGE-BANDWIDTH=\d+/);

    const wf = WaveformData.create(
      JSON.parse(await readFile(path.join(storageRoot, 'waveforms', v.waveform_key!), 'utf8')),
    );
    expect(wf.length).toBeGreaterThan(0);
    expect(wf.channels).toBe(1);

    expect(v.integrated_lufs).toBeLessThan(0);
    expect(v.track_gain_db).toBeCloseTo(-18 - v.integrated_lufs!, 1);
    if (c.art) expect(v.artwork_key).toMatch(new RegExp(`^artwork/version-${version.id}/`));
    else expect(v.artwork_key).toBeNull();

    const mine = events.filter((e) => e.versionId === version.id);
    expect(mine.some((e) => e.type === 'version.status' && e.status === 'ready')).toBe(true);
    for (const step of ['transcode', 'waveform', 'artwork-extract', 'loudness'])
      expect(mine.some((e) => e.step === step && e.state === 'done')).toBe(true);
  });

  it('a FLAC whose cover is a 10000×10000 PNG becomes ready without artwork, and says why', async () => {
    const png = await writeBlackPng(path.join(t.dataDir, 'bomb.png'), 10_000, 10_000);
    const file = await generateTone(path.join(t.dataDir, 'bomb.flac'), {
      seconds: 3,
      extraArgs: [...attachedPicture(png), '-c:a', 'flac'],
    });
    const size = (await readFile(file)).length;
    expect(size).toBeLessThan(1024 * 1024);
    const { latestVersion: version } = await createTrackFromUpload(
      core,
      owner,
      { path: file, originalFilename: 'bomb.flac', sizeBytes: size },
      { title: 'Huge cover' },
    );
    const done = await waitForVersion(t.infra.database.db, version.id);
    expect(done, done.failure_reason ?? '').toMatchObject({ status: 'ready' });
    const v = await t.infra.database.db
      .selectFrom('track_versions')
      .select(['artwork_key', 'steps'])
      .where('id', '=', version.id)
      .executeTakeFirstOrThrow();
    expect(v.artwork_key).toBeNull();
    expect(v.steps['artwork-extract']).toMatchObject({
      state: 'done',
      note: expect.stringMatching(/^Cover art skipped: .*10000×10000 pixels, over the 25-megapixel limit/),
    });
    expect(
      events.some(
        (e) =>
          e.versionId === version.id &&
          e.step === 'artwork-extract' &&
          e.state === 'done' &&
          /Cover art skipped/.test(e.note ?? ''),
      ),
    ).toBe(true);
  });

  it('measures EBU Tech 3341 case 1 (−23 LUFS) through the whole pipeline', async () => {
    const file = path.join(t.dataDir, 'ebu1.wav');
    // EBU Tech 3341 case 1: stereo 1 kHz sine at −23 dBFS (amplitude 10^(−23/20)) reads −23.0 LUFS.
    await renderLavfi("aevalsrc='0.0707946*sin(2*PI*1000*t)|0.0707946*sin(2*PI*1000*t)':s=48000:d=20", file, [
      '-c:a',
      'pcm_s24le',
    ]);
    const size = (await readFile(file)).length;
    const { latestVersion: version } = await createTrackFromUpload(
      core,
      owner,
      { path: file, originalFilename: 'ebu1.wav', sizeBytes: size },
      { title: 'EBU 3341 case 1' },
    );
    expect((await waitForVersion(t.infra.database.db, version.id)).status).toBe('ready');
    const v = await t.infra.database.db
      .selectFrom('track_versions')
      .select(['integrated_lufs', 'track_gain_db'])
      .where('id', '=', version.id)
      .executeTakeFirstOrThrow();
    expect(Math.abs(v.integrated_lufs! - -23)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(v.track_gain_db! - 5)).toBeLessThanOrEqual(0.1);
  });
});

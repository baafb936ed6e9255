/**
 * Track delete benchmark (docs/architecture.md, "Performance budgets"): deleting a track with 3
 * versions of a 10-minute master — each version's original, HLS master and 3 renditions of 100
 * six-second segments, waveform and artwork, ≈ 920 objects in all — on local storage, through
 * core's `deleteTrack`, next to `rm -r` of the same folders (the floor), each on a fresh copy.
 * Budget: < 2 s, and the store holds nothing of the track afterwards (checked).
 *
 *   npm run bench:track-delete     # BENCH_ROUNDS=3; DATABASE_URL for PostgreSQL, else PGlite
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@earshot/config';
import { deleteTrack } from '@earshot/core';
import { BUCKETS, keys, type ObjectStore } from '@earshot/storage';
import { createInfrastructure, createLogger } from '@earshot/runtime';
import { ensureBenchPrerequisites } from '../lib/prerequisites.ts';
import { addTrackVersion } from '../../test/support/rows.ts';
import { createUser } from '../../test/support/factories.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const SEGMENTS = 100; // 10 minutes of 6 s segments
const RENDITIONS = ['64k', '128k', '256k'];

async function storeVersion(store: ObjectStore, v: string): Promise<number> {
  let n = 0;
  const put = async (bucket: (typeof BUCKETS)[number], key: string, body: string | Buffer) => {
    await store.put(bucket, key, body);
    n++;
  };
  await put('originals', keys.original(v, 'flac'), Buffer.alloc(64 * 1024));
  await put('transcodes', keys.hlsMaster(v), '#EXTM3U\n');
  const segment = Buffer.alloc(16 * 1024);
  for (const r of RENDITIONS) {
    await put('transcodes', `version-${v}/${r}/playlist.m3u8`, '#EXTM3U\n');
    await put('transcodes', `version-${v}/${r}/init.mp4`, 'init');
    for (let i = 0; i < SEGMENTS; i++)
      await put('transcodes', `version-${v}/${r}/seg_${String(i).padStart(3, '0')}.m4s`, segment);
  }
  await put('waveforms', keys.waveform(v, 'W'.repeat(22)), '{}');
  for (const size of [1000, 300]) await put('images', keys.versionArtwork(v, 'A'.repeat(22), size, 'jpg'), 'jpg');
  return n;
}

async function main(): Promise<void> {
  ensureBenchPrerequisites('track-delete');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-bench-delete-'));
  const config = loadConfig(
    {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    },
    { persistDevSecrets: false },
  );
  const logger = createLogger(config, 'bench');
  const infra = await createInfrastructure(config, logger, { migrate: true });
  const { db, kind } = infra.database;
  const store = infra.store;
  try {
    const user = await createUser(db, 'artist');
    const actor = { id: user.id, role: 'artist' as const };
    const times: number[] = [];
    const floors: number[] = [];
    let objects = 0;
    for (let round = 0; round < rounds; round++) {
      // The floor: the same files removed with rm -r, folder by folder.
      const versionsForFloor: string[] = [];
      for (let i = 0; i < 3; i++) versionsForFloor.push(`9${round}${i}`);
      for (const v of versionsForFloor) await storeVersion(store, v);
      let t0 = performance.now();
      for (const v of versionsForFloor) {
        for (const bucket of ['originals', 'transcodes', 'waveforms'] as const)
          await rm(path.join(dataDir, 'storage', bucket, `version-${v}`), { recursive: true, force: true });
        await rm(path.join(dataDir, 'storage', 'images', 'artwork', `version-${v}`), { recursive: true, force: true });
      }
      floors.push(performance.now() - t0);

      const track = await db
        .insertInto('tracks')
        .values({ owner_user_id: user.id, title: `Bench ${round}`, slug: `bench-${round}` })
        .returning('id')
        .executeTakeFirstOrThrow();
      const versions: string[] = [];
      for (let i = 0; i < 3; i++) {
        const v = await addTrackVersion(db, track.id, {
          original_key: 'k',
          original_filename: 'a.flac',
          duration_ms: 600_000,
        });
        versions.push(v.id);
      }
      await db.updateTable('tracks').set({ current_version_id: versions[2]! }).where('id', '=', track.id).execute();
      objects = 0;
      for (const v of versions) objects += await storeVersion(store, v);
      t0 = performance.now();
      const outcome = await deleteTrack({ db, store, clock: () => new Date() }, actor, track.id);
      times.push(performance.now() - t0);
      if (outcome.objectsDeleted !== objects)
        throw new Error(`deleted ${outcome.objectsDeleted} of ${objects} objects`);
      for (const bucket of BUCKETS)
        for await (const o of store.list(bucket))
          if (versions.some((v) => o.key.includes(`version-${v}/`))) throw new Error(`left behind: ${bucket}/${o.key}`);
    }
    const best = (xs: number[]) => Math.min(...xs);
    console.log(
      `${kind}, local storage; ${objects} objects (3 versions × (original + HLS master + ${RENDITIONS.length} × (playlist + init + ${SEGMENTS} segments) + waveform + 2 artwork)); best of ${rounds}`,
    );
    console.log('| delete | time |\n|---|---|');
    console.log(`| rm -r of the same folders (floor) | ${best(floors).toFixed(0)} ms |`);
    console.log(
      `| deleteTrack (rows + every object) | ${best(times).toFixed(0)} ms (worst ${Math.max(...times).toFixed(0)} ms) |`,
    );
    console.log(`budget < 2000 ms; nothing left behind: checked`);
  } finally {
    await infra.close(1_000);
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();

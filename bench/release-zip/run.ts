/**
 * Release ZIP memory benchmark (docs/payments.md, "Downloads"; docs/performance.md): a release of
 * RELEASE_TRACKS tracks totalling RELEASE_MB is downloaded as one ZIP through the real API (signed
 * URL, local storage) while this process's resident memory is sampled every 20 ms. Budget: < 64 MB
 * growth for 1 GB. Baseline in the same run: the same files read straight from disk into a sink
 * (the floor of streaming them at all).
 *
 *   npm run bench:release-zip                 # 1024 MB in 10 tracks
 *   RELEASE_MB=100 npm run bench:release-zip
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { loadConfig } from '@earshot/config';
import { createInfrastructure, createLogger } from '@earshot/runtime';
import { listenApi } from '../lib/api.ts';
import { keys } from '@earshot/storage';
import { ensureBenchPrerequisites } from '../lib/prerequisites.ts';
import { addCurrentVersion, addTrack } from '../../test/support/rows.ts';
import { createUser } from '../../test/support/factories.ts';

const totalMb = Number(process.env.RELEASE_MB ?? 1024);
const trackCount = Number(process.env.RELEASE_TRACKS ?? 10);
const BUDGET_MB = 64;

async function rssMb(): Promise<number> {
  const status = await readFile('/proc/self/status', 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Runs `work` while sampling RSS; returns the peak growth over the RSS at the start (MB). */
async function peakGrowth(work: () => Promise<void>): Promise<{ growthMb: number; seconds: number }> {
  global.gc?.();
  const start = await rssMb();
  let peak = start;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, await rssMb());
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const t0 = performance.now();
  await work();
  const seconds = (performance.now() - t0) / 1000;
  sampling = false;
  await sampler;
  return { growthMb: peak - start, seconds };
}

const sink = () => new Writable({ write: (_c, _e, cb) => cb() });

async function writeRandomFile(file: string, bytes: number): Promise<void> {
  const out = createWriteStream(file);
  const chunk = randomBytes(1024 * 1024);
  for (let left = bytes; left > 0; left -= chunk.length) {
    if (!out.write(left >= chunk.length ? chunk : chunk.subarray(0, left)))
      await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

async function main(): Promise<void> {
  ensureBenchPrerequisites('release-zip');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-bench-zip-'));
  const config = loadConfig(
    { DATA_DIR: dataDir, LOG_LEVEL: 'warn', SECURE_LINK_SECRET: 'bench-secret' },
    { persistDevSecrets: false },
  );
  const logger = createLogger(config, 'bench');
  const infra = await createInfrastructure(config, logger, { migrate: true });
  const db = infra.database.db;
  try {
    const user = await createUser(db, 'artist');
    const release = await db
      .insertInto('releases')
      .values({
        owner_user_id: user.id,
        title: 'Big',
        slug: 'big',
        type: 'album',
        price_amount_minor: 0,
        price_currency: 'USD',
        price_pwyw: true,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const perTrack = Math.floor((totalMb * 1024 * 1024) / trackCount);
    const files: string[] = [];
    for (let i = 0; i < trackCount; i++) {
      const t = await addTrack(db, user.id, `t${i}`, { title: `Track ${i + 1}` });
      const v = await addCurrentVersion(db, t.id, { original_key: 'k', duration_ms: 1000, codec: 'pcm_s16le' });
      await db.insertInto('release_tracks').values({ release_id: release.id, position: i, track_id: t.id }).execute();
      const key = keys.download(v.id, 'wav', 'wav');
      const file = path.join(dataDir, `src-${i}.wav`);
      await writeRandomFile(file, perTrack);
      await infra.store.putFile('transcodes', key, file, { contentType: 'audio/wav' });
      await rm(file);
      files.push(infra.store.localPath!('transcodes', key));
      await db
        .insertInto('download_files')
        .values({ version_id: v.id, format: 'wav', status: 'ready', object_key: key, size_bytes: perTrack })
        .execute();
    }
    const { api, port } = await listenApi(config, logger, infra);
    const answer = (await (
      await fetch(`http://127.0.0.1:${port}/api/v1/releases/${release.id}/download?format=wav`)
    ).json()) as { url: string };
    const signed = new URL(answer.url);

    const baseline = await peakGrowth(async () => {
      for (const f of files) await pipeline(createReadStream(f), sink());
    });
    let received = 0;
    const zip = await peakGrowth(
      () =>
        new Promise<void>((resolve, reject) => {
          http
            .get({ host: '127.0.0.1', port, path: signed.pathname + signed.search }, (res) => {
              if (res.statusCode !== 200) return reject(new Error(`ZIP answered ${res.statusCode}`));
              res.on('data', (c: Buffer) => (received += c.length));
              res.on('end', resolve);
              res.on('error', reject);
            })
            .on('error', reject);
        }),
    );
    await api.close();
    const ok = zip.growthMb < BUDGET_MB;
    console.log(
      `release ZIP of ${trackCount} tracks, ${(received / 1024 / 1024).toFixed(0)} MB received in ${zip.seconds.toFixed(1)} s (${(received / 1024 / 1024 / zip.seconds).toFixed(0)} MB/s)`,
    );
    console.log(
      `RSS growth: ZIP through the API ${zip.growthMb.toFixed(1)} MB | baseline (same files read from disk) ${baseline.growthMb.toFixed(1)} MB | budget < ${BUDGET_MB} MB → ${ok ? 'OK' : 'OVER BUDGET'}`,
    );
    if (!ok) process.exitCode = 1;
  } finally {
    await infra.close(1000);
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();

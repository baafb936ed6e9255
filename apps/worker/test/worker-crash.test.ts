import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase, migrateToLatest } from '@earshot/db';
import { createTestPostgresDatabase } from '@earshot/db/testing';
import { EmbeddedJobQueue } from '@earshot/jobs';
import { LocalObjectStore } from '@earshot/storage';
import { createTrackFromUpload, InProcessProgressBus } from '@earshot/core';
import type { StepState } from '@earshot/db';
import { createMediaToolkit } from '@earshot/runtime';
import { generateTone } from '../../../test/support/audio.ts';
import { spawnTs, type Spawned } from '../../../test/support/process.ts';
import { waitForVersion } from './support.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

/** ffmpeg/ffprobe processes (not zombies) whose command line names `dir`. */
function toolsUnder(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (comm !== 'ffmpeg' && comm !== 'ffprobe') continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat[stat.lastIndexOf(')') + 2] === 'Z') continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(dir)) pids.push(Number(entry));
    } catch {
      // ended while we looked
    }
  }
  return pids;
}

describe('a worker killed mid-transcode', () => {
  it('leaves a job another worker picks up and finishes, with no stray objects, tools or scratch', async () => {
    const pg = await createTestPostgresDatabase('crash');
    cleanups.push(pg.drop);
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-crash-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const handle = await createDatabase({ url: pg.url, pgliteDir: '', poolMin: 0, poolMax: 4 });
    cleanups.push(() => handle.close());
    await migrateToLatest(handle.db);
    const store = new LocalObjectStore({ root: path.join(dataDir, 'storage') });
    await store.ensureBuckets();
    const producer = new EmbeddedJobQueue({ db: handle.db });
    cleanups.push(() => producer.close(1000));
    const owner = await handle.db
      .insertInto('users')
      .values({ email: 'c@example.com', handle: 'crash', display_name: 'C', password_hash: 'x', role: 'artist' })
      .returning('id')
      .executeTakeFirstOrThrow();

    // Long enough that the transcode is surely running when the worker dies.
    const file = await generateTone(path.join(dataDir, 'long.wav'), { seconds: 90 });
    const { latestVersion: version } = await createTrackFromUpload(
      { db: handle.db, store, jobs: producer, media: createMediaToolkit(), progress: new InProcessProgressBus() },
      { id: owner.id, role: 'artist' },
      { path: file, originalFilename: 'long.wav', sizeBytes: (await readFile(file)).length },
      { title: 'Long' },
    );

    const env = { DATABASE_URL: pg.url, DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_POOL_MIN: '0' };
    const first: Spawned = spawnTs('apps/worker/test/fixtures/worker-process.ts', env);
    cleanups.push(async () => first.child.kill('SIGKILL'));
    for (let i = 0; ; i++) {
      const v = await handle.db
        .selectFrom('track_versions')
        .select('steps')
        .where('id', '=', version.id)
        .executeTakeFirstOrThrow();
      const transcode = (v.steps as unknown as Record<string, StepState>).transcode;
      if (transcode?.state === 'active' && transcode.progress > 0) break;
      if (i > 2400) throw new Error(`transcode never started:\n${first.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const scratchRoot = path.join(dataDir, 'tmp', 'media');
    expect(toolsUnder(dataDir).length, 'ffmpeg runs before the kill').toBeGreaterThan(0);
    first.child.kill('SIGKILL');
    await first.exited;
    // Its tools die with it (they are bound to their parent's life), and its scratch folder stays.
    for (let i = 0; toolsUnder(dataDir).length && i < 200; i++) await new Promise((r) => setTimeout(r, 25));
    expect(toolsUnder(dataDir), 'no ffmpeg outlives the killed worker').toEqual([]);
    const deadScratch = (await readdir(scratchRoot)).filter((name) => name.endsWith(`.${first.child.pid}`));
    expect(deadScratch).toHaveLength(1);

    const second = spawnTs('apps/worker/test/fixtures/worker-process.ts', env);
    cleanups.push(async () => second.child.kill('SIGTERM'));
    const done = await waitForVersion(handle.db, version.id, 4800);
    expect(done, `${done.failure_reason}\n${second.output()}`).toMatchObject({ status: 'ready' });
    // The new worker removed the dead one's scratch and said which job it took over, once.
    expect(await readdir(scratchRoot)).not.toContain(deadScratch[0]);
    const lines = second
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: string; msg: string; queue?: string; jobId?: string; folders?: string[] });
    expect(
      lines.filter((l) => l.msg === 'removed scratch folders of dead workers').flatMap((l) => l.folders),
    ).toContain(deadScratch[0]);
    const recovered = lines.filter((l) => l.msg.startsWith('stalled job recovered'));
    expect(
      recovered.filter((l) => l.queue === 'transcode'),
      second.output(),
    ).toEqual([expect.objectContaining({ level: 'warn', queue: 'transcode', jobId: expect.any(String), attempt: 2 })]);
    expect(new Set(recovered.map((l) => `${l.queue}/${l.jobId}`)).size).toBe(recovered.length);
    expect(toolsUnder(dataDir)).toEqual([]);

    // Every object under the version's HLS folder is referenced by its playlists: nothing stray.
    const prefix = `version-${version.id}/`;
    const stored: string[] = [];
    for await (const o of store.list('transcodes', prefix)) stored.push(o.key.slice(prefix.length));
    const master = await readFile(path.join(dataDir, 'storage', 'transcodes', prefix, 'playlist.m3u8'), 'utf8');
    const referenced = new Set(['playlist.m3u8']);
    for (const media of master.split('\n').filter((l) => l && !l.startsWith('#'))) {
      referenced.add(media);
      const dir = path.posix.dirname(media);
      const text = await readFile(path.join(dataDir, 'storage', 'transcodes', prefix, media), 'utf8');
      for (const line of text.split('\n')) {
        const uri = /URI="([^"]+)"/.exec(line)?.[1] ?? (line && !line.startsWith('#') ? line : undefined);
        if (uri) referenced.add(`${dir}/${uri}`);
      }
    }
    expect(stored.sort()).toEqual([...referenced].sort());
  }, 600_000);
});

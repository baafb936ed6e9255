import { mkdtemp, readFile, rm } from 'node:fs/promises';
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

describe('a worker killed mid-transcode', () => {
  it('leaves a job another worker picks up and finishes, with no stray objects', async () => {
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
    const owner = await handle.db.insertInto('users').values({ email: 'c@example.com', handle: 'crash', display_name: 'C', password_hash: 'x', role: 'artist' }).returning('id').executeTakeFirstOrThrow();

    // Long enough that the transcode is surely running when the worker dies.
    const file = await generateTone(path.join(dataDir, 'long.wav'), { seconds: 90 });
    const { version } = await createTrackFromUpload(
      { db: handle.db, store, jobs: producer, media: createMediaToolkit(), progress: new InProcessProgressBus() },
      owner.id,
      { path: file, originalFilename: 'long.wav', sizeBytes: (await readFile(file)).length },
      { title: 'Long' },
    );

    const env = { DATABASE_URL: pg.url, DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_POOL_MIN: '0' };
    const first: Spawned = spawnTs('apps/worker/test/fixtures/worker-process.ts', env);
    cleanups.push(async () => first.child.kill('SIGKILL'));
    for (let i = 0; ; i++) {
      const v = await handle.db.selectFrom('track_versions').select('steps').where('id', '=', version.id).executeTakeFirstOrThrow();
      const transcode = (v.steps as unknown as Record<string, StepState>).transcode;
      if (transcode?.state === 'active' && transcode.progress > 0) break;
      if (i > 2400) throw new Error(`transcode never started:\n${first.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    first.child.kill('SIGKILL');
    await first.exited;

    const second = spawnTs('apps/worker/test/fixtures/worker-process.ts', env);
    cleanups.push(async () => second.child.kill('SIGTERM'));
    const done = await waitForVersion(handle.db, version.id, 4800);
    expect(done, `${done.failure_reason}\n${second.output()}`).toMatchObject({ status: 'ready' });

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

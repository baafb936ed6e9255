/**
 * The media pipeline as `npm start` runs it, in the benchmark's own process: PGlite in memory,
 * local storage under `dataDir`, the embedded queue with its own timings (adds wake the consumers
 * at once) and the worker's handlers with the CPU-based concurrency. One artist to upload as.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '@earshot/config';
import { createTrackFromUpload, InProcessProgressBus } from '@earshot/core';
import { createDatabase, migrateToLatest } from '@earshot/db';
import { EmbeddedJobQueue } from '@earshot/jobs';
import { createCoreDeps, createLogger, createMediaToolkit } from '@earshot/runtime';
import { LocalObjectStore } from '@earshot/storage';
import { createHandlers, startProcessing } from '../../apps/worker/src/index.ts';

export async function startEmbeddedPipeline(dataDir: string) {
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, { persistDevSecrets: false });
  const logger = createLogger(config, 'bench');
  const database = await createDatabase({ ...config.database, pgliteDir: 'memory://' });
  await migrateToLatest(database.db);
  const store = new LocalObjectStore({ root: path.join(dataDir, 'storage') });
  await store.ensureBuckets();
  const jobs = new EmbeddedJobQueue({ db: database.db });
  const progress = new InProcessProgressBus();
  const { core, close: closeCore } = createCoreDeps({
    config,
    logger,
    infra: { database, store, jobs, progress },
    media: createMediaToolkit(),
  });
  startProcessing(jobs, createHandlers(core), logger);
  const owner = await database.db
    .insertInto('users')
    .values({ email: 'b@example.com', handle: 'bench', display_name: 'B', password_hash: 'x', role: 'artist' })
    .returning('id')
    .executeTakeFirstOrThrow();
  // The database is fresh: the one version's final status event is the moment it is ready, as it
  // ends the upload page's wait. Asking the database over and over would take CPU from the encoders.
  const ready = new Promise<number>((resolve, reject) => {
    progress.subscribe((e) => {
      if (e.type !== 'version.status') return;
      if (e.status === 'ready') resolve(performance.now());
      if (e.status === 'failed') reject(new Error(`version failed: ${e.error ?? ''}`));
    });
  });
  ready.catch(() => {}); // awaited by the caller; never an unhandled rejection meanwhile
  return {
    store,
    /** When the upload's version became ready (`performance.now()`). */
    ready,
    /** What the upload's 201 waits for. */
    upload: async (input: string) =>
      createTrackFromUpload(
        core,
        { id: owner.id, role: 'artist' },
        { path: input, originalFilename: path.basename(input), sizeBytes: (await stat(input)).size },
        { title: 'bench' },
      ),
    async close() {
      await jobs.close(5_000);
      await closeCore();
      await database.close();
    },
  };
}

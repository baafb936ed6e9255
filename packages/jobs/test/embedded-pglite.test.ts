import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDatabase, migrateToLatest, type DatabaseHandle } from '@earshot/db';
import { EmbeddedJobQueue } from '../src/index.ts';
import { embeddedChildEnv, FAST_EMBEDDED } from './fast-timings.ts';
import { describeQueueContract } from './queue-contract.ts';

// On disk, not in memory: the "killed worker" case hands the database to a child process.
describeQueueContract('EmbeddedJobQueue on PGlite', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-jobs-pglite-'));
  let handle: DatabaseHandle | undefined;
  const acquire = async () => {
    handle = await createDatabase({ pgliteDir: dir });
    await migrateToLatest(handle.db);
  };
  const db = () => {
    if (!handle) throw new Error('database released');
    return handle.db;
  };
  await acquire();
  return {
    open: async (options) => new EmbeddedJobQueue({ db: db(), ...FAST_EMBEDDED, ...options }),
    reset: async () => {
      await db().deleteFrom('jobs').execute();
    },
    childEnv: () => ({ ...embeddedChildEnv(), FIXTURE_PGLITE_DIR: dir }),
    releaseForChild: async () => {
      await handle?.close();
      handle = undefined;
    },
    reacquireAfterChild: acquire,
    dispose: async () => {
      await handle?.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

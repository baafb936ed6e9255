import { createDatabase, migrateToLatest } from '@earshot/db';
import { createTestPostgresDatabase } from '@earshot/db/testing';
import { EmbeddedJobQueue } from '../src/index.ts';
import { embeddedChildEnv, FAST_EMBEDDED } from './fast-timings.ts';
import { describeQueueContract } from './queue-contract.ts';

describeQueueContract('EmbeddedJobQueue on PostgreSQL', async () => {
  const pg = await createTestPostgresDatabase('jobs');
  const handle = await createDatabase({ url: pg.url, pgliteDir: 'memory://', poolMin: 0, poolMax: 10 });
  await migrateToLatest(handle.db);
  return {
    open: async (options) => new EmbeddedJobQueue({ db: handle.db, ...FAST_EMBEDDED, ...options }),
    reset: async () => {
      await handle.db.deleteFrom('jobs').execute();
    },
    childEnv: () => ({ ...embeddedChildEnv(), FIXTURE_DATABASE_URL: pg.url }),
    dispose: async () => {
      await handle.close();
      await pg.drop();
    },
  };
});

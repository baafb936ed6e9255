import type { Config } from '@earshot/config';
import { createDatabase, migrateToLatest, type DatabaseHandle } from '@earshot/db';
import { createJobQueue, type JobQueue } from '@earshot/jobs';
import { createObjectStore, type ObjectStore } from '@earshot/storage';
import { InProcessProgressBus, MemoryListCache, type ListCache, type ProgressBus } from '@earshot/core';
import { createPaymentsGateway, type PaymentsGateway } from '@earshot/payments';
import type { Logger } from './logger.ts';
import { RedisProgressBus } from './redis-progress-bus.ts';
import { RedisListCache } from './redis-list-cache.ts';

/** The adapters every process needs, chosen once from configuration (docs/architecture.md, "Running modes"). */
export interface Infrastructure {
  database: DatabaseHandle;
  store: ObjectStore;
  jobs: JobQueue;
  /** Live processing events: in process, or Redis pub/sub when Redis is configured. */
  progress: ProgressBus;
  /** Stripe (docs/payments.md); null when the keys are not configured: buying is off. */
  payments: PaymentsGateway | null;
  /** Shared list cache (trending): Redis when configured, else process memory. */
  cache: ListCache;
  /**
   * The kept candidates of track searches (docs/performance.md, "Search"): the same Redis, or a
   * process-memory cache of their own, so a burst of searches never pushes the trending lists out.
   */
  searchCache: ListCache;
  /** Closes jobs, storage and database in that order; each step's failure is logged, not thrown. */
  close(jobsDrainMs: number): Promise<void>;
}

export interface InfrastructureOptions {
  /** Apply pending migrations at boot (embedded mode always does; production runs `npm run migrate`). */
  migrate: boolean;
  /** A database already open (the tests' migrated templates), used instead of opening `config.database`; closed with the rest. */
  database?: DatabaseHandle;
  /** The live events' bus instead of the one the configuration implies (tests keep them in process). */
  progress?: ProgressBus;
}

export async function createInfrastructure(
  config: Config,
  logger: Logger,
  options: InfrastructureOptions,
): Promise<Infrastructure> {
  const database =
    options.database ??
    (await createDatabase({ ...config.database, log: (message, fields) => logger.warn(fields, message) }));
  try {
    if (options.migrate) {
      const applied = await migrateToLatest(database.db);
      if (applied.length) logger.info({ migrations: applied }, 'migrations applied');
    }
    const store = createObjectStore(config.storage);
    await store.ensureBuckets();
    const jobs = createJobQueue({
      redisUrl: config.redis.url,
      redisPrefix: config.redis.keyPrefix,
      db: database.db,
      dbIsPglite: database.kind === 'pglite',
    });
    const progress: ProgressBus =
      options.progress ??
      (config.redis.url ? new RedisProgressBus(config.redis.url, config.redis.keyPrefix) : new InProcessProgressBus());
    const { cache, searchCache } = createListCaches(config.redis.url, config.redis.keyPrefix);
    return {
      database,
      store,
      jobs,
      progress,
      payments: createPaymentsGateway(config.stripe),
      cache,
      searchCache,
      async close(jobsDrainMs) {
        for (const [name, close] of [
          ['jobs', () => jobs.close(jobsDrainMs)],
          ['progress', () => progress.close()],
          ['cache', () => cache.close()],
          ['storage', () => store.close()],
          ['database', () => database.close()],
        ] as const) {
          try {
            await close();
          } catch (err) {
            logger.error({ err }, `closing ${name} failed`);
          }
        }
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}

/**
 * The list caches: the trending lists', and the search candidates' (docs/performance.md, "Search"),
 * one Redis for both when configured; else process memory, each its own so a burst of searches
 * never pushes the trending lists out. Closing `cache` closes both.
 */
function createListCaches(
  redisUrl: string | undefined,
  keyPrefix: string,
): Pick<Infrastructure, 'cache' | 'searchCache'> {
  if (redisUrl) {
    const shared = new RedisListCache(redisUrl, keyPrefix);
    return { cache: shared, searchCache: shared };
  }
  return { cache: new MemoryListCache(), searchCache: new MemoryListCache(Date.now, 2_000) };
}

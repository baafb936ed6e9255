import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '@earshot/config';
import { createDatabase } from '@earshot/db';
import { createMigratedTestPostgresDatabase, migratedPgliteTemplate } from '@earshot/db/testing';
import { InProcessProgressBus } from '@earshot/core';
import {
  createInfrastructure,
  createLogger,
  createMetricsRegistry,
  type Infrastructure,
  type Logger,
} from '@earshot/runtime';

export interface TestInfra {
  config: Config;
  infra: Infrastructure;
  logger: Logger;
  /** Every JSON log line written so far. */
  logLines: Array<Record<string, unknown>>;
  metrics: ReturnType<typeof createMetricsRegistry>;
  dataDir: string;
  cleanup(): Promise<void>;
}

/**
 * Real adapters for one test file: PGlite in memory (or a fresh PostgreSQL database), local
 * storage in a temp folder, and the embedded queue (or BullMQ on the local Redis with its own prefix).
 */
export async function createTestInfra(
  options: { database?: 'pglite' | 'postgres'; redis?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<TestInfra> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-test-'));
  const pgDb = options.database === 'postgres' ? await createMigratedTestPostgresDatabase('api') : undefined;
  const prefix = `earshot-test-${path.basename(dataDir)}`;
  // Tests send far more than one client's minute from one address: the `api` zone is lifted here
  // and tested on its own (apps/api/test/rate-limits.test.ts).
  const config = loadConfig(
    {
      LOG_LEVEL: 'info',
      DATA_DIR: dataDir,
      RATE_LIMIT_API_PER_MINUTE: '1000000',
      ...(pgDb ? { DATABASE_URL: pgDb.url } : {}),
      ...(options.redis ? { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: prefix } : {}),
      ...options.env,
    },
    { persistDevSecrets: false },
  );
  const logLines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim()) logLines.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  const logger = createLogger(config, 'api', sink);
  // Both start from a migrated template (the same schema, without PGlite's initdb or the migrations).
  const database = await createDatabase(
    pgDb
      ? config.database
      : { ...config.database, pgliteDir: 'memory://', pgliteTemplate: await migratedPgliteTemplate() },
  );
  const infra = await createInfrastructure(config, logger, {
    migrate: true,
    database,
    progress: new InProcessProgressBus(),
  });
  return {
    config,
    infra,
    logger,
    logLines,
    metrics: createMetricsRegistry('api'),
    dataDir,
    async cleanup() {
      await infra.close(1_000);
      if (options.redis) {
        const { Redis } = await import('ioredis');
        const redis = new Redis('redis://127.0.0.1:6379');
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length) await redis.del(...keys);
        await redis.quit();
      }
      await pgDb?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * What each fault test starts before its tests and stops after them: a temp folder, an S3 server
 * it can stop, optionally a PostgreSQL or Redis of its own (to restart), the platform (API and
 * worker processes) on them, and optionally nginx in front. The returned object is filled by the
 * file's `beforeAll`; stopped in reverse order by its `afterAll`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { TEST_PG_ADMIN_URL } from '@earshot/db/testing';
import { startEdge, type Edge } from './edge.ts';
import { startPlatform, type Platform, type PlatformOptions } from './platform.ts';
import {
  startPrivatePostgres,
  startPrivateRedis,
  startS3,
  type PrivatePostgres,
  type PrivateRedis,
  type RestartableS3,
} from './services.ts';

export interface FaultSuite {
  tmp: string;
  s3: RestartableS3;
  platform: Platform;
  /** With `edge: true`: nginx in front of every API and the S3 server. */
  edge: Edge;
  /** With `privatePostgres: true`. */
  postgres: PrivatePostgres;
  /** With `privateRedis: true`. */
  redis: PrivateRedis;
}

export interface FaultSuiteOptions {
  /** Names the temp folder. */
  name: string;
  privatePostgres?: boolean;
  privateRedis?: boolean;
  edge?: boolean;
  /** More for `startPlatform` (process counts, env, a step before start). */
  platform?: Omit<PlatformOptions, 'pgAdminUrl' | 'redisUrl' | 's3Endpoint'>;
  /** Start nothing (a test the machine cannot run). */
  skip?: boolean;
  /** Runs first in `afterAll` (undo what `platform.beforeStart` did). */
  beforeStop?: () => void;
}

export function faultSuite(options: FaultSuiteOptions): FaultSuite {
  const suite: Partial<FaultSuite> = {};
  beforeAll(async () => {
    if (options.skip) return;
    suite.tmp = await mkdtemp(path.join(os.tmpdir(), `earshot-fault-${options.name}-`));
    if (options.privatePostgres) suite.postgres = await startPrivatePostgres();
    if (options.privateRedis) suite.redis = await startPrivateRedis();
    suite.s3 = await startS3();
    suite.platform = await startPlatform({
      pgAdminUrl: suite.postgres?.adminUrl ?? TEST_PG_ADMIN_URL,
      redisUrl: suite.redis?.url ?? 'redis://127.0.0.1:6379',
      s3Endpoint: suite.s3.endpoint,
      ...options.platform,
    });
    if (options.edge)
      suite.edge = await startEdge({
        apis: suite.platform.apis.map((a) => `127.0.0.1:${a.port}`),
        s3Port: suite.s3.port,
      });
  });
  afterAll(async () => {
    options.beforeStop?.();
    await suite.edge?.stop();
    await suite.platform?.close();
    await suite.s3?.destroy();
    await suite.redis?.destroy();
    await suite.postgres?.destroy();
    if (suite.tmp) await rm(suite.tmp, { recursive: true, force: true });
  });
  return suite as FaultSuite;
}

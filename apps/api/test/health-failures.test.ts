import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createTestInfra, type TestInfra } from '../../../test/support/infra.ts';
import { buildTestApi } from '../../../test/support/factories.ts';

const cleanups: TestInfra[] = [];
afterAll(async () => {
  for (const t of cleanups) await t.cleanup().catch(() => {});
});

describe('health with real services', () => {
  it('checks redis when it is configured (PostgreSQL + BullMQ)', async () => {
    const t = await createTestInfra({ database: 'postgres', redis: true });
    cleanups.push(t);
    const app = await buildTestApi(t);
    const res = await app.inject('/api/v1/health');
    expect(res.statusCode).toBe(200);
    expect(res.json().checks).toEqual([
      { service: 'database', healthy: true },
      { service: 'redis', healthy: true },
      { service: 'storage', healthy: true },
    ]);
    await app.close();
  });

  it('answers 503 with the failing check when the database is gone, and logs errors to error.log', async () => {
    const t = await createTestInfra();
    cleanups.push(t);
    const logDir = path.join(t.dataDir, 'logs');
    const { createLogger } = await import('@earshot/runtime');
    const logger = createLogger({ ...t.config, logDir }, 'api');
    const app = await buildTestApi(t, { logger });
    await t.infra.database.close();
    const res = await app.inject('/api/v1/health');
    expect(res.statusCode).toBe(503);
    const body = res.json();
    expect(body.status).toBe('unhealthy');
    expect(body.checks[0]).toMatchObject({ service: 'database', healthy: false, error: expect.any(String) });
    expect(body.checks[1]).toEqual({ service: 'storage', healthy: true });

    // A failing route logs at error level, which also lands in <logDir>/error.log.
    const list = await app.inject('/api/v1/tracks');
    expect(list.statusCode).toBe(500);
    expect(list.json().error.code).toBe('internal');
    logger.flush();
    // The file is written asynchronously: wait for the route's error line to be in it (bounded).
    const lines = await vi.waitFor(
      async () => {
        const text = (await readFile(path.join(logDir, 'error.log'), 'utf8').catch(() => '')).trim();
        expect(text, 'error.log has a line').not.toBe('');
        return text.split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      },
      { timeout: 30_000, interval: 20 },
    );
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines)
      expect(line).toMatchObject({ level: 'error', service: 'api', environment: 'development' });
    await app.close();
  });
});

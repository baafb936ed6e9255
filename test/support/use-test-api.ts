import { afterAll, beforeAll } from 'vitest';
import { createTestApi, type TestApi } from './factories.ts';

/**
 * The file's API, made before its tests and closed after them (Vitest's `beforeAll` / `afterAll`,
 * registered where this is called, so the file's own `beforeAll` runs once it is up). Read its
 * fields inside tests and hooks: before the API is up they throw.
 */
export function useTestApi(options: Parameters<typeof createTestApi>[0] = {}): TestApi {
  let api: TestApi | undefined;
  beforeAll(async () => {
    api = await createTestApi(options);
  });
  afterAll(async () => {
    await api?.close();
  });
  const up = (): TestApi => {
    if (!api) throw new Error('the test API is not up yet: read it inside a test or a hook');
    return api;
  };
  return {
    get t() {
      return up().t;
    },
    get app() {
      return up().app;
    },
    get db() {
      return up().db;
    },
    close: () => up().close(),
  };
}

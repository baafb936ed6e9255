import { defineConfig } from 'vitest/config';

/** Every test file of the repository. */
export const TEST_FILES = [
  'packages/*/src/**/*.test.ts',
  'packages/*/test/**/*.test.ts',
  'apps/*/src/**/*.test.ts',
  'apps/*/test/**/*.test.ts',
  'test/**/*.test.ts',
];
const EXCLUDE = ['**/node_modules/**', 'apps/web/.next/**', '.stryker-tmp/**'];

/**
 * Files that run one at a time, after the others (docs/testing.md, "Suite time"): each starts a whole
 * platform (the built web app, Chromium, or the production processes with a private PostgreSQL, Redis
 * or nginx), uses both cores by itself, and some check what a page or a process does under load
 * (player keys, shutdown, restarts, queue leases); they also build the web app when its sources are newer.
 */
export const SERIAL_FILES = [
  'test/browser/**/*.test.ts',
  'test/faults/**/*.test.ts',
  'test/embedded/**/*.test.ts',
  // The queue contract runs with 1 s locks and leases: a starved event loop lets a job run twice.
  'packages/jobs/test/**/*.test.ts',
];

/** `TEST_PARALLEL_WORKERS=1` runs the whole suite one file at a time (to compare, or on a one-core machine). */
const PARALLEL_WORKERS = Number(process.env.TEST_PARALLEL_WORKERS ?? 2);

/** Options shared by the suite's projects and by the mutation runs (vitest.mutation.config.ts). */
export const SHARED_TEST_OPTIONS = {
  exclude: EXCLUDE,
  pool: 'forks' as const,
  testTimeout: 120_000,
  hookTimeout: 180_000,
};

export default defineConfig({
  test: {
    ...SHARED_TEST_OPTIONS,
    teardownTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          // Two files at a time: most of a file's time is spent waiting on ffmpeg, PostgreSQL, Redis,
          // child processes and sockets, and every file makes its own database, Redis prefix, temp
          // folder and ports (test/support/infra.ts, freePort).
          name: 'parallel',
          include: TEST_FILES,
          exclude: [...EXCLUDE, ...SERIAL_FILES],
          maxWorkers: PARALLEL_WORKERS,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'serial', include: SERIAL_FILES, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});

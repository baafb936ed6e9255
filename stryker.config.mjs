// @ts-check
/**
 * Stryker over one module of scripts/mutation-modules.mjs (MUTATION_MODULE); run them all with
 * `npm run test:mutation` (docs/testing.md, "Mutation testing"). Not part of `npm test`.
 */
import { selectedModule } from './scripts/mutation-modules.mjs';

const module = selectedModule();

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: module.mutate,
  // One mutant at a time: the machine is shared and several suites use Postgres and Redis.
  concurrency: 1,
  coverageAnalysis: 'perTest',
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: `reports/mutation/${module.name}.json` },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  // Generous: a mutant that loops forever is killed as a timeout, a slow machine is not.
  timeoutMS: 60_000,
  timeoutFactor: 3,
  thresholds: { high: 90, low: 75, break: null },
};

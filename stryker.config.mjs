// @ts-check
/**
 * Stryker over one module of scripts/mutation-modules.mjs (MUTATION_MODULE); run them all with
 * `npm run test:mutation` (docs/testing.md, "Mutation testing"). Not part of `npm test`.
 */
import { selectedModule } from './scripts/mutation-modules.mjs';

const module = selectedModule();
// MUTATION_MUTATE (comma-separated Stryker patterns, `file:from-to` for lines) narrows a module to
// part of its files; its reports then carry `-part` so they do not replace the whole module's.
const narrowed = process.env.MUTATION_MUTATE?.split(',').filter(Boolean);
const reportName = narrowed?.length ? `${module.name}-part` : module.name;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: narrowed?.length ? narrowed : module.mutate,
  // One mutant at a time: the machine is shared and several suites use Postgres and Redis.
  concurrency: 1,
  coverageAnalysis: 'perTest',
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: `reports/mutation/${reportName}.json` },
  // Incremental: a rerun tests again only the mutants whose code or covering tests changed, and
  // takes the other results from the last run's report (written when a run ends).
  incremental: true,
  incrementalFile: `reports/mutation/${reportName}.incremental.json`,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  // Generous: a mutant that loops forever is killed as a timeout, a slow machine is not.
  timeoutMS: 60_000,
  timeoutFactor: 3,
  thresholds: { high: 90, low: 75, break: null },
};

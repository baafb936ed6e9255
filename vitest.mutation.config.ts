/** The Vitest configuration Stryker runs: only the test files of the module being mutated (stryker.config.mjs). */
import { defineConfig } from 'vitest/config';
import { SHARED_TEST_OPTIONS } from './vitest.config.ts';
import { selectedModule } from './scripts/mutation-modules.mjs';

export default defineConfig({ test: { ...SHARED_TEST_OPTIONS, include: selectedModule().tests } });

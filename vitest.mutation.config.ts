/** The Vitest configuration Stryker runs: only the test files of the module being mutated (stryker.config.mjs). */
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';
import { selectedModule } from './scripts/mutation-modules.mjs';

export default mergeConfig(base, defineConfig({ test: { include: selectedModule().tests } }));

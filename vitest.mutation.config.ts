/** The Vitest configuration Stryker runs: only the test files of the module being mutated (stryker.config.mjs). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { SHARED_TEST_OPTIONS } from './vitest.config.ts';
import { selectedModule } from './scripts/mutation-modules.mjs';

const root = path.dirname(fileURLToPath(import.meta.url));
const module = selectedModule();

/**
 * Files run in the order the module lists them, fast unit files first (Vitest's default runs the
 * longest first). Stryker stops a mutant's run at its first failing test, so a mutant a unit test
 * kills never starts the files that make databases and servers.
 */
class ModuleOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification) => {
      const at = module.tests.indexOf(path.relative(root, spec.moduleId));
      return at < 0 ? module.tests.length : at;
    };
    return [...files].sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: { ...SHARED_TEST_OPTIONS, include: module.tests, sequence: { sequencer: ModuleOrder } },
});

/**
 * The modules `npm run test:mutation` mutates: the rules that guard money (play counting), access
 * (sessions, CSRF), media (signed URLs, upload validation) and loudness. Each lists the source files
 * Stryker mutates and the only test files run against each mutant (its own tests: keeps a run short),
 * in the order they run: fast unit files first (vitest.mutation.config.ts). Stryker's `perTest`
 * coverage then runs, per mutant, only the tests that executed its code.
 * See docs/testing.md ("Mutation testing").
 */
export const MUTATION_MODULES = {
  'signed-urls': {
    mutate: ['packages/core/src/playback/signed-media.ts'],
    tests: ['packages/core/test/playback/signed-media.test.ts'],
  },
  'access-csrf': {
    mutate: ['apps/api/src/plugins/auth.ts', 'packages/core/src/accounts/session-tokens.ts'],
    tests: [
      'packages/core/test/accounts/session-tokens.test.ts',
      'packages/core/test/accounts/rules.test.ts',
      'apps/api/test/auth-plugin.test.ts',
      'apps/api/test/auth-flow.test.ts',
    ],
  },
  plays: {
    mutate: ['packages/core/src/plays/*.ts'],
    tests: [
      'packages/core/test/plays/heard-ranges.test.ts',
      'packages/core/test/plays/record-play.test.ts',
      'packages/core/test/plays/play-store.test.ts',
    ],
  },
  loudness: {
    mutate: ['packages/media/src/loudness.ts', 'apps/web/lib/player/loudness.ts'],
    tests: ['packages/media/test/loudness.test.ts', 'apps/web/test/loudness.test.ts'],
  },
  'upload-validation': {
    mutate: ['packages/media/src/probe.ts', 'packages/media/src/decode-check.ts'],
    tests: [
      'packages/media/test/assert-audio.test.ts',
      'packages/media/test/probe-parse.test.ts',
      'packages/media/test/probe.test.ts',
    ],
  },
};

/** The module named by MUTATION_MODULE (set by scripts/test-mutation.mjs). */
export function selectedModule() {
  const name = process.env.MUTATION_MODULE;
  const module = name ? MUTATION_MODULES[name] : undefined;
  if (!module)
    throw new Error(
      `MUTATION_MODULE must be one of: ${Object.keys(MUTATION_MODULES).join(', ')} (got ${name ?? 'nothing'})`,
    );
  return { name, ...module };
}

/**
 * The modules `npm run test:mutation` mutates: the rules that guard money (play counting), access
 * (sessions, CSRF), media (signed URLs, upload validation), loudness, comment limits, trending, Stripe webhooks and
 * download entitlement. Each lists the source files
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
  // Line ranges (`file:from-to`) keep a module to its rule where the file also holds other code
  // (the SDK calls of the Stripe adapter, the comment queries): move them with the code.
  'comment-limits': {
    mutate: ['packages/core/src/community/comment-rules.ts', 'packages/core/src/rate-limit/zones.ts'],
    tests: ['packages/core/test/community/comment-rules.test.ts'],
  },
  trending: {
    mutate: ['packages/core/src/insights/trending.ts'],
    tests: ['packages/core/test/insights/trending-query.test.ts', 'packages/core/test/insights/trending.test.ts'],
  },
  webhooks: {
    // The adapter's toSession, toAccount, verifyWebhook and toEvent; core's decisions on an event.
    mutate: [
      'packages/core/src/commerce/webhook-rules.ts',
      'packages/payments/src/stripe-gateway.ts:35-57',
      'packages/payments/src/stripe-gateway.ts:161-180',
      'packages/payments/src/stripe-gateway.ts:187-210',
    ],
    tests: ['packages/payments/test/stripe-webhook.test.ts', 'packages/core/test/commerce/webhook-rules.test.ts'],
  },
  'download-entitlement': {
    // downloadGrant; isFree and the price rules; grantStillHolds (a signed link checked again).
    mutate: [
      'packages/core/src/commerce/access.ts',
      'packages/core/src/commerce/pricing.ts',
      'packages/core/src/commerce/downloads.ts:266-296',
    ],
    tests: ['packages/core/test/commerce/pricing.test.ts', 'packages/core/test/commerce/download-grant.test.ts'],
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

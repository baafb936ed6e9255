import type { Metadata } from 'next';

/**
 * A page's metadata when it is one person's own (their library, settings, a sign-in form): titled,
 * with a description when it has one, never indexed.
 */
export const unindexed = (title: string, description?: string): Metadata => ({
  title,
  ...(description ? { description } : {}),
  robots: { index: false },
});

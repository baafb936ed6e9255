import type { Metadata } from 'next';

/** A page's metadata when it is one person's own (their library, settings, a sign-in form): titled, never indexed. */
export const unindexed = (title: string): Metadata => ({ title, robots: { index: false } });

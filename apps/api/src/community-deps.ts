import { createNotificationDelivery, type CommunityDeps } from '@earshot/core';
import type { RouteDeps } from './types.ts';

const built = new WeakMap<RouteDeps['core'], CommunityDeps>();

/**
 * The community module's ports, from the core deps built once per API: the database, and
 * notification delivery over the live bus (the one the upload progress uses) plus the `email` queue,
 * and that bus for the comment events of open track pages.
 */
export function communityDeps(deps: RouteDeps): CommunityDeps {
  let community = built.get(deps.core);
  if (!community) {
    const { db, progress, jobs, clock, log } = deps.core;
    community = { db, delivery: createNotificationDelivery({ db, live: progress, jobs, clock }), live: progress, log };
    built.set(deps.core, community);
  }
  return community;
}

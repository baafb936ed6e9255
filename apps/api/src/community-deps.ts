import { createNotificationDelivery, type CommunityDeps } from '@earshot/core';
import type { ApiDeps } from './types.ts';

const built = new WeakMap<ApiDeps, CommunityDeps>();

/**
 * The community module's ports, built once per API: the database, and notification delivery over
 * the live bus (the one the upload progress uses) plus the `email` queue.
 */
export function communityDeps(deps: ApiDeps): CommunityDeps {
  let community = built.get(deps);
  if (!community) {
    const db = deps.infra.database.db;
    community = { db, delivery: createNotificationDelivery({ db, live: deps.progress, jobs: deps.infra.jobs }), log: deps.logger };
    built.set(deps, community);
  }
  return community;
}

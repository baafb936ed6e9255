import type { Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import type { WrittenNotification } from './notify.ts';

/** The caller of a community use case; null when anonymous. */
export type CommunityActor = { id: string; role: string } | null;

/** Port: what happens to notifications once their transaction commits (live push, email jobs). */
export interface NotificationDelivery {
  deliver(notifications: WrittenNotification[]): Promise<void>;
}

/** Ports of the community module. */
export interface CommunityDeps {
  db: Kysely<Database>;
  delivery?: NotificationDelivery;
  log?: { warn(obj: object, msg: string): void };
}

/** Hands committed notifications to the delivery port; a failed push or enqueue never fails the write that caused it. */
export function deliver(deps: Pick<CommunityDeps, 'delivery' | 'log'>, list: Array<WrittenNotification | null>): void {
  const some = list.filter((n): n is WrittenNotification => n !== null);
  if (!some.length || !deps.delivery) return;
  deps.delivery.deliver(some).catch((err: unknown) => deps.log?.warn({ err }, 'notification delivery failed'));
}

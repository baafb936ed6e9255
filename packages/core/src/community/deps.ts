import type { Actor } from '../actor.ts';
import type { CoreDeps } from '../deps.ts';
import type { ProgressBus } from '../media/progress-bus.ts';
import type { WrittenNotification } from './notify.ts';

/** The caller of a community use case; null when anonymous. */
export type CommunityActor = Actor | null;

/** Port: what happens to notifications once their transaction commits (live push, email jobs). */
export interface NotificationDelivery {
  deliver(notifications: WrittenNotification[]): Promise<void>;
}

/** Ports of the community module. */
export interface CommunityDeps extends Pick<CoreDeps, 'db'> {
  delivery?: NotificationDelivery;
  /** The live bus: comment events for the sockets watching a track page. */
  live?: Pick<ProgressBus, 'publish'>;
  log?: Pick<CoreDeps['log'], 'warn'>;
}

/** Hands committed notifications to the delivery port; a failed push or enqueue never fails the write that caused it. */
export function deliver(deps: Pick<CommunityDeps, 'delivery' | 'log'>, list: Array<WrittenNotification | null>): void {
  const some = list.filter((n): n is WrittenNotification => n !== null);
  if (!some.length || !deps.delivery) return;
  deps.delivery
    .deliver(some)
    .catch((err: unknown) => deps.log?.warn({ err: String(err) }, 'notification delivery failed'));
}

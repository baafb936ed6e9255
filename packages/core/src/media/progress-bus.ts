import { EventEmitter } from 'node:events';
import type { VersionStatus } from '@earshot/db';

/** Live processing events for uploaders (WebSocket `/api/v1/ws`). */
export interface ProcessingEvent {
  type: 'version.step' | 'version.status';
  trackId: string;
  versionId: string;
  ownerUserId: string;
  step?: string;
  state?: 'pending' | 'active' | 'done' | 'failed';
  progress?: number;
  status?: VersionStatus;
  error?: string;
  /** A step that finished without all of its work says why (see StepState.note). */
  note?: string;
}

/**
 * A user's notifications changed (docs/architecture.md, "Community"): the bell shows `unreadCount`.
 * Travels on the same bus as processing events, to the sockets of `userId` only.
 */
export interface NotificationEvent {
  type: 'notification';
  userId: string;
  unreadCount: number;
  /** What happened, for a toast: `follow`, `comment`, `reply`, `like`, `repost`. */
  kind: string;
  trackId?: string;
  commentId?: string;
}

/**
 * A comment appeared on a track or was deleted (docs/architecture.md, "Community"): only ids, to
 * the sockets that watch that track and were allowed to (they read the comment through the API,
 * which applies the visibility rules again).
 */
export interface CommentEvent {
  type: 'comment.created' | 'comment.deleted';
  trackId: string;
  commentId: string;
}

/**
 * What a track page shows of the track's media changed while its version is processed: the
 * provisional stream was published or withdrawn, the waveform or the loudness gain was stored, the
 * version became ready or failed (docs/performance.md, "Playable in seconds"). Only the id, to the
 * sockets watching that track: the page reads the track again through the API, which applies the
 * visibility rules.
 */
export interface TrackMediaEvent {
  type: 'track.media';
  trackId: string;
}

/** Everything the live socket carries. */
export type LiveEvent = ProcessingEvent | NotificationEvent | CommentEvent | TrackMediaEvent;

/**
 * Port: in process (embedded mode: one process) or Redis pub/sub (production: the worker
 * publishes, every API replica relays to its sockets).
 */
export interface ProgressBus {
  publish(event: LiveEvent): void;
  subscribe(listener: (event: LiveEvent) => void): () => void;
  close(): Promise<void>;
}

export class InProcessProgressBus implements ProgressBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  publish(event: LiveEvent): void {
    this.emitter.emit('event', event);
  }
  subscribe(listener: (event: LiveEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

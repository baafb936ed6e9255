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
 * Port: in process (embedded mode: one process) or Redis pub/sub (production: the worker
 * publishes, every API replica relays to its sockets).
 */
export interface ProgressBus {
  publish(event: ProcessingEvent): void;
  subscribe(listener: (event: ProcessingEvent) => void): () => void;
  close(): Promise<void>;
}

export class InProcessProgressBus implements ProgressBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  publish(event: ProcessingEvent): void {
    this.emitter.emit('event', event);
  }
  subscribe(listener: (event: ProcessingEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

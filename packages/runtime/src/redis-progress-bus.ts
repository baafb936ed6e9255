import { Redis } from 'ioredis';
import type { LiveEvent, ProgressBus } from '@earshot/core';

/**
 * Production progress bus: the worker publishes on a Redis channel, every API replica relays
 * what it receives to its WebSocket clients. Best effort: a missed progress tick is harmless,
 * the state itself is in the database (`GET /tracks/:id`).
 */
export class RedisProgressBus implements ProgressBus {
  private readonly pub: Redis;
  private sub: Redis | undefined;
  private readonly listeners = new Set<(event: LiveEvent) => void>();
  private readonly channel: string;

  constructor(url: string, prefix: string) {
    this.channel = `${prefix}:processing-events`;
    this.pub = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2 });
    this.pub.on('error', () => {});
  }

  publish(event: LiveEvent): void {
    void this.pub.publish(this.channel, JSON.stringify(event)).catch(() => {});
  }

  subscribe(listener: (event: LiveEvent) => void): () => void {
    if (!this.sub) {
      this.sub = this.pub.duplicate();
      this.sub.on('error', () => {});
      void this.sub.subscribe(this.channel);
      this.sub.on('message', (_channel: string, message: string) => {
        let event: LiveEvent;
        try {
          event = JSON.parse(message) as LiveEvent;
        } catch {
          return;
        }
        for (const l of this.listeners) l(event);
      });
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await Promise.allSettled([this.sub?.quit(), this.pub.quit()]);
  }
}

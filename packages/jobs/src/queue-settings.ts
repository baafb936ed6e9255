import { QUEUE_OPTIONS, type QueueName, type QueueOptions } from './registry.ts';

/** Per-queue overrides of the registry's attempts / backoff / timeout (tests shorten them). */
export type QueueOptionOverrides = Partial<Record<QueueName, Partial<QueueOptions>>>;

export function resolveQueueOptions(queue: QueueName, overrides?: QueueOptionOverrides): QueueOptions {
  const base = QUEUE_OPTIONS[queue];
  if (!base) throw new Error(`unknown queue "${queue}"`);
  return { ...base, ...overrides?.[queue] };
}

/** Delay before the retry that follows failed attempt `attempt` (1-based): backoff * 2^(attempt-1). */
export function backoffDelayMs(backoffMs: number, attempt: number): number {
  return backoffMs * 2 ** Math.max(0, attempt - 1);
}

import type { JobPayloads, QueueName } from '@earshot/jobs';
import type { Mailer } from '@earshot/mail';
import type { Config } from '@earshot/config';
import type { CoreDeps } from '@earshot/core';
import type { Infrastructure, Logger } from '@earshot/runtime';
import { createCoreDeps, createMediaToolkit } from '@earshot/runtime';
import { createHandlers } from '../../apps/worker/src/handlers.ts';

/**
 * Runs one job through the worker's real handler (the wiring the worker uses), as the queue would.
 * `around` wraps a port of the real wiring (e.g. to act while ffmpeg runs).
 */
export async function runJob<Q extends QueueName>(
  deps: { config: Config; logger: Logger; infra: Infrastructure; mailer?: Mailer },
  queue: Q,
  data: JobPayloads[Q],
  run: { attempt: number; maxAttempts: number } = { attempt: 1, maxAttempts: 1 },
  around?: (core: CoreDeps) => Partial<CoreDeps>,
): Promise<void> {
  const { core, close } = createCoreDeps({
    config: deps.config,
    logger: deps.logger,
    infra: deps.infra,
    media: createMediaToolkit(),
    mailer: deps.mailer,
  });
  const handler = createHandlers(around ? { ...core, ...around(core) } : core)[queue] as (
    job: unknown,
  ) => Promise<void>;
  try {
    await handler({
      id: 'test',
      queue,
      data,
      attempt: run.attempt,
      maxAttempts: run.maxAttempts,
      updateProgress: async () => {},
      signal: new AbortController().signal,
    });
  } finally {
    await close();
  }
}

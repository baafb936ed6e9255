import type { Logger } from './logger.ts';

export interface ShutdownStep {
  name: string;
  run: () => Promise<void>;
}

/**
 * SIGTERM / SIGINT: run the steps in order (stop accepting, drain requests, drain jobs, close
 * pools), then exit. A second signal, or the overall deadline, exits at once.
 */
export function installShutdown(
  logger: Logger,
  steps: ShutdownStep[],
  deadlineMs: number,
  exit: (code: number) => void = (c) => process.exit(c),
): () => Promise<void> {
  let running: Promise<void> | undefined;
  const shutdown = (signal: string): Promise<void> => {
    if (running) {
      logger.warn({ signal }, 'second signal during shutdown: exiting now');
      exit(1);
      return running;
    }
    logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error({ deadlineMs }, 'shutdown deadline passed: exiting');
      exit(1);
    }, deadlineMs + 5_000);
    deadline.unref();
    running = (async () => {
      let code = 0;
      for (const step of steps) {
        try {
          await step.run();
          logger.info({ step: step.name }, 'shutdown step done');
        } catch (err) {
          code = 1;
          logger.error({ err, step: step.name }, 'shutdown step failed');
        }
      }
      clearTimeout(deadline);
      logger.flush?.();
      exit(code);
    })();
    return running;
  };
  const onTerm = () => void shutdown('SIGTERM');
  const onInt = () => void shutdown('SIGINT');
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  return () => shutdown('manual');
}

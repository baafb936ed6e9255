import { JobTimeoutError, toError } from './errors.ts';

/**
 * Runs one attempt: resolves when `run` does, rejects with its error, or — when `timeoutMs`
 * passes first — aborts `controller` and rejects with a JobTimeoutError without waiting for
 * `run` (a handler that ignores its signal no longer holds the caller up).
 */
export function runWithTimeout(
  run: () => Promise<void>,
  controller: AbortController,
  timeoutMs: number,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      const err = new JobTimeoutError(timeoutMs);
      controller.abort(err);
      reject(err);
    }, timeoutMs);
    Promise.resolve()
      .then(run)
      .then(
        () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve();
        },
        (err: unknown) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          reject(toError(err));
        },
      );
  });
}

/** Resolves with true when `promise` settles within `ms`, false otherwise (never rejects). */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, ms));
  });
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

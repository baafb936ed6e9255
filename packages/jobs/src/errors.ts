/** The attempt ran longer than its queue's `timeoutMs`; its signal was aborted and it failed. */
export class JobTimeoutError extends Error {
  override readonly name = 'JobTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`job timed out after ${timeoutMs} ms`);
  }
}

/** Reason given to a job's signal when the queue closes before the job finished. */
export class QueueClosingError extends Error {
  override readonly name = 'QueueClosingError';
  constructor() {
    super('job queue closed before the job finished; it will be picked up again');
  }
}

/** Reason given to a job's signal when another worker took it over (its lease was lost). */
export class JobLeaseLostError extends Error {
  override readonly name = 'JobLeaseLostError';
  constructor() {
    super('job lease lost; another worker owns the job now');
  }
}

export function toError(value: unknown): Error {
  return value instanceof Error
    ? value
    : new Error(typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)));
}

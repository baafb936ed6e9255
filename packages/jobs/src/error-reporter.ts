/**
 * Where adapters report errors that have no caller to throw to: a failed poll or heartbeat, a
 * listener that threw, a Redis connection error. Defaults to stderr; composition roots pass a logger.
 */
export type ErrorReporter = (err: unknown, context: string) => void;

export const reportToStderr: ErrorReporter = (err, context) => {
  console.error(`[jobs] ${context}:`, err);
};

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import type { Config } from '@earshot/config';

export type { Logger };

/** Paths pino replaces with "[redacted]": secrets never reach a log line. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.secret',
];

/** Told the level of every line written (e.g. to count error lines for alerting). */
export interface LogObserver {
  line(level: string): void;
}

/**
 * Fields of an error that carry a query's values: PGlite attaches `params` (and `queryOptions`)
 * to its errors, PostgreSQL's `detail` quotes them ("Key (email)=(…) already exists"). A logged
 * error keeps its message, code and SQL text (placeholders only), never these.
 */
const VALUE_FIELDS = ['params', 'parameters', 'values', 'queryOptions', 'detail'];

function scrubValues(err: Record<string, unknown>, depth = 0): Record<string, unknown> {
  if (depth > 5) return err;
  for (const field of VALUE_FIELDS) if (field in err) err[field] = '[redacted]';
  if (err.cause && typeof err.cause === 'object') scrubValues(err.cause as Record<string, unknown>, depth + 1);
  if (Array.isArray(err.errors))
    for (const inner of err.errors)
      if (inner && typeof inner === 'object') scrubValues(inner as Record<string, unknown>, depth + 1);
  return err;
}

/** pino's error serializer, without the values of the query that failed (see VALUE_FIELDS). */
export function serializeError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  return scrubValues(pino.stdSerializers.err(err) as unknown as Record<string, unknown>);
}

/**
 * JSON logs with `service` and `environment` on every line (docs/architecture.md, "Operations contracts"). When a log dir is
 * configured, error-level lines are also appended to `<dir>/error.log`.
 */
export function createLogger(
  config: Pick<Config, 'logLevel' | 'logDir' | 'env'>,
  service: string,
  destination?: pino.DestinationStream,
  observe?: LogObserver,
): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    ...(observe && {
      hooks: {
        logMethod(args, method, level) {
          observe.line(pino.levels.labels[level] ?? String(level));
          return method.apply(this, args);
        },
      },
    }),
    base: { service, environment: config.env },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT, censor: '[redacted]' },
    serializers: { err: serializeError, error: serializeError },
    formatters: { level: (label) => ({ level: label }) },
  };
  const streams: pino.StreamEntry[] = [
    {
      level: config.logLevel === 'silent' ? 'fatal' : config.logLevel,
      stream: destination ?? pino.destination({ dest: 1, sync: false }),
    },
  ];
  if (config.logDir) {
    mkdirSync(config.logDir, { recursive: true });
    streams.push({
      level: 'error',
      stream: pino.destination({ dest: path.join(config.logDir, 'error.log'), mkdir: true, sync: false }),
    });
  }
  return pino(options, pino.multistream(streams));
}

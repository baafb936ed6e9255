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
 * JSON logs with `service` and `environment` on every line (operations.md). When a log dir is
 * configured, error-level lines are also appended to `<dir>/error.log`.
 */
export function createLogger(config: Pick<Config, 'logLevel' | 'logDir' | 'env'>, service: string, destination?: pino.DestinationStream, observe?: LogObserver): Logger {
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
    formatters: { level: (label) => ({ level: label }) },
  };
  const streams: pino.StreamEntry[] = [{ level: config.logLevel === 'silent' ? 'fatal' : config.logLevel, stream: destination ?? pino.destination({ dest: 1, sync: false }) }];
  if (config.logDir) {
    mkdirSync(config.logDir, { recursive: true });
    streams.push({ level: 'error', stream: pino.destination({ dest: path.join(config.logDir, 'error.log'), mkdir: true, sync: false }) });
  }
  return pino(options, pino.multistream(streams));
}

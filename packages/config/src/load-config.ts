import { readFileSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { VARIABLES, type VariableSpec } from './variables.ts';
import { parseDuration } from './duration.ts';
import type { Config } from './config.ts';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Placeholder values that must never run in production. */
const PLACEHOLDERS = [/change[_-]?me/i, /^your[-_]/i, /^secret$/i, /^password$/i, /^changeit$/i, /^test$/i, /^dev/i];
const MIN_SECRET_LENGTH = 32;
const GENERATED_SECRETS = ['JWT_SECRET', 'SECURE_LINK_SECRET', 'IP_HASH_SALT'] as const;

export interface LoadConfigOptions {
  /** Reads `<NAME>_FILE` secrets; injectable for tests. */
  readFile?: (file: string) => string;
  /**
   * Outside production, missing secrets are generated once and kept in
   * `<DATA_DIR>/secrets.json` so sessions and signed URLs survive restarts. Off in tests that
   * want to see the raw behaviour.
   */
  persistDevSecrets?: boolean;
}

type Raw = Record<string, string | undefined>;

/**
 * `ENV_FILE=<path>`: variables from a dotenv file (the `.env` format compose, systemd's
 * `EnvironmentFile=` and a shell's `set -a; . file` all read: `NAME=value`, `#` comments, quotes
 * for values with spaces or `<>`), under the real environment: a variable set in both keeps the
 * environment's value. Without ENV_FILE no file is read (a `.env` meant for compose in a checkout
 * must not turn `npm start` into production mode).
 */
function withEnvFile(
  env: NodeJS.ProcessEnv,
  readFile: (file: string) => string,
  problems: string[],
): NodeJS.ProcessEnv {
  const file = env.ENV_FILE?.trim();
  if (!file) return env;
  let text: string;
  try {
    text = readFile(file);
  } catch (err) {
    problems.push(`ENV_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    return env;
  }
  const fromFile = parseEnv(text) as Record<string, string>;
  const merged: NodeJS.ProcessEnv = { ...fromFile };
  for (const [name, value] of Object.entries(env)) if (value !== undefined) merged[name] = value;
  return merged;
}

/** Parses the environment once, collecting every problem before failing. */
export function loadConfig(processEnv: NodeJS.ProcessEnv = process.env, options: LoadConfigOptions = {}): Config {
  const readFile = options.readFile ?? ((f: string) => readFileSync(f, 'utf8'));
  const problems: string[] = [];
  const env = withEnvFile(processEnv, readFile, problems);
  const raw: Raw = {};
  const values: Record<string, string | number | boolean | undefined> = {};
  /** Variables already reported, so one mistake gives one message. */
  const reported = new Set<string>();

  for (const spec of VARIABLES) {
    const direct = env[spec.name];
    const fileVar = spec.secret ? env[`${spec.name}_FILE`] : undefined;
    let value: string | undefined = direct === '' ? undefined : direct;
    if (fileVar) {
      if (value !== undefined) {
        problems.push(`${spec.name} and ${spec.name}_FILE are both set; use one`);
        reported.add(spec.name);
        continue;
      }
      try {
        value = readFile(fileVar).replace(/\r?\n$/, '');
      } catch (err) {
        problems.push(`${spec.name}_FILE: cannot read ${fileVar} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
        reported.add(spec.name);
        continue;
      }
    }
    raw[spec.name] = value;
    const parsed = parseValue(spec, value ?? (spec.default || undefined));
    if (parsed.error) problems.push(`${spec.name}: ${parsed.error}`);
    else values[spec.name] = parsed.value;
  }

  const nodeEnv = (values.NODE_ENV as Config['env']) ?? 'development';
  const production = nodeEnv === 'production';
  for (const spec of VARIABLES.filter((v) => v.requiredInProduction)) {
    const v = raw[spec.name];
    if (!production || reported.has(spec.name)) continue;
    if (!v) problems.push(`${spec.name} is required in production (set it or ${spec.name}_FILE)`);
    else if (PLACEHOLDERS.some((re) => re.test(v)))
      problems.push(`${spec.name} still has a placeholder value; generate one with \`openssl rand -hex 32\``);
    else if (v.length < MIN_SECRET_LENGTH)
      problems.push(`${spec.name} must be at least ${MIN_SECRET_LENGTH} characters in production`);
  }
  if ((values.DATABASE_POOL_MIN as number) > (values.DATABASE_POOL_MAX as number)) {
    problems.push('DATABASE_POOL_MIN must not exceed DATABASE_POOL_MAX');
  }
  if (raw.MINIO_ENDPOINT) {
    const access = raw.MINIO_ACCESS_KEY ?? raw.MINIO_ROOT_USER;
    const secret = raw.MINIO_SECRET_KEY ?? raw.MINIO_ROOT_PASSWORD;
    if (!access || !secret)
      problems.push(
        'MINIO_ENDPOINT is set but no credentials: set MINIO_ACCESS_KEY/MINIO_SECRET_KEY or MINIO_ROOT_USER/MINIO_ROOT_PASSWORD',
      );
  }
  if (problems.length) throw new ConfigError(problems);

  const dataDir = path.resolve(values.DATA_DIR as string);
  const secrets: Record<(typeof GENERATED_SECRETS)[number], string> = {
    JWT_SECRET: raw.JWT_SECRET ?? '',
    SECURE_LINK_SECRET: raw.SECURE_LINK_SECRET ?? '',
    IP_HASH_SALT: raw.IP_HASH_SALT ?? '',
  };
  if (!production && GENERATED_SECRETS.some((n) => !secrets[n])) {
    const generated = options.persistDevSecrets === false ? freshSecrets() : devSecrets(dataDir);
    for (const n of GENERATED_SECRETS) secrets[n] ||= generated[n];
  }

  const port = values.PORT as number;
  const domain = (values.DOMAIN as string | undefined) || undefined;
  const publicUrl = (
    (values.PUBLIC_URL as string | undefined) || (domain ? `https://${domain}` : `http://localhost:${port}`)
  ).replace(/\/+$/, '');

  return {
    env: nodeEnv,
    production,
    logLevel: values.LOG_LEVEL as Config['logLevel'],
    logDir: (values.LOG_DIR as string | undefined) || undefined,
    host: values.HOST as string,
    port,
    workerHealthPort: values.WORKER_HEALTH_PORT as number,
    dataDir,
    publicUrl,
    domain,
    trustProxy: parseTrustProxy(values.TRUST_PROXY as string),
    uploadMaxBytes: values.UPLOAD_MAX_BYTES as number,
    uploadTempMaxAgeSeconds: values.UPLOAD_TEMP_MAX_AGE as number,
    processingStuckAfterSeconds: values.PROCESSING_STUCK_AFTER as number,
    apiRateLimitPerMinute: values.RATE_LIMIT_API_PER_MINUTE as number,
    shutdownTimeoutMs: values.SHUTDOWN_TIMEOUT_MS as number,
    http: {
      headersTimeoutMs: values.HTTP_HEADERS_TIMEOUT_MS as number,
      bodyIdleTimeoutMs: values.HTTP_BODY_IDLE_TIMEOUT_MS as number,
      requestTimeoutMs: values.HTTP_REQUEST_TIMEOUT_MS as number,
    },
    database: {
      url: raw.DATABASE_URL,
      poolMin: values.DATABASE_POOL_MIN as number,
      poolMax: values.DATABASE_POOL_MAX as number,
      pgliteDir: path.join(dataDir, 'pglite'),
    },
    redis: { url: raw.REDIS_URL, keyPrefix: values.REDIS_KEY_PREFIX as string },
    storage: raw.MINIO_ENDPOINT
      ? {
          kind: 's3',
          endpoint: normaliseEndpoint(raw.MINIO_ENDPOINT, values.MINIO_USE_SSL as boolean),
          region: values.MINIO_REGION as string,
          accessKeyId: (raw.MINIO_ACCESS_KEY ?? raw.MINIO_ROOT_USER)!,
          secretAccessKey: (raw.MINIO_SECRET_KEY ?? raw.MINIO_ROOT_PASSWORD)!,
          bucketPrefix: (values.S3_BUCKET_PREFIX as string | undefined) ?? '',
          timeoutMs: values.STORAGE_TIMEOUT_MS as number,
        }
      : {
          kind: 'local',
          root: path.join(dataDir, 'storage'),
          bucketPrefix: (values.S3_BUCKET_PREFIX as string | undefined) ?? '',
        },
    auth: { jwtSecret: secrets.JWT_SECRET, jwtExpiresInSeconds: values.JWT_EXPIRES_IN as number },
    media: { secureLinkSecret: secrets.SECURE_LINK_SECRET, urlTtlSeconds: values.MEDIA_URL_TTL_SECONDS as number },
    analytics: { ipHashSalt: secrets.IP_HASH_SALT, playsRetentionDays: values.PLAYS_RETENTION_DAYS as number },
    stripe: {
      secretKey: raw.STRIPE_SECRET_KEY,
      publishableKey: raw.STRIPE_PUBLISHABLE_KEY,
      webhookSecret: raw.STRIPE_WEBHOOK_SECRET,
      apiUrl: raw.STRIPE_API_URL,
      platformFeePercent: values.PLATFORM_FEE_PERCENT as number,
      withoutConnect: values.PAYMENTS_WITHOUT_CONNECT as 'platform' | 'refuse',
    },
    smtp: raw.SMTP_HOST
      ? {
          host: raw.SMTP_HOST,
          port: values.SMTP_PORT as number,
          user: raw.SMTP_USER,
          pass: raw.SMTP_PASS,
          from: raw.SMTP_FROM || raw.SMTP_USER || `noreply@${domain ?? 'localhost'}`,
        }
      : undefined,
    mailFrom: raw.SMTP_FROM || raw.SMTP_USER || `noreply@${domain ?? 'localhost'}`,
  };
}

function parseValue(
  spec: VariableSpec,
  value: string | undefined,
): { value?: string | number | boolean; error?: string } {
  if (value === undefined) return { value: undefined };
  switch (spec.kind) {
    case 'string':
      return { value };
    case 'url':
      try {
        new URL(value);
        return { value };
      } catch {
        return { error: 'is not a valid URL' };
      }
    case 'int': {
      if (!/^-?\d+$/.test(value)) return { error: `must be an integer, got "${truncate(value)}"` };
      const n = Number(value);
      if (spec.min !== undefined && n < spec.min) return { error: `must be ≥ ${spec.min}` };
      if (spec.max !== undefined && n > spec.max) return { error: `must be ≤ ${spec.max}` };
      return { value: n };
    }
    case 'bool':
      if (/^(1|true|yes|on)$/i.test(value)) return { value: true };
      if (/^(0|false|no|off)$/i.test(value)) return { value: false };
      return { error: `must be true or false, got "${truncate(value)}"` };
    case 'enum':
      return spec.values!.includes(value)
        ? { value }
        : { error: `must be one of ${spec.values!.join(', ')}; got "${truncate(value)}"` };
    case 'duration': {
      const seconds = parseDuration(value);
      return seconds === undefined
        ? { error: `must be a duration like 90s, 30m, 24h or 7d; got "${truncate(value)}"` }
        : { value: seconds };
    }
  }
}

function truncate(v: string): string {
  return v.length > 40 ? `${v.slice(0, 40)}…` : v;
}

function normaliseEndpoint(endpoint: string, useSsl: boolean): string {
  return /^https?:\/\//.test(endpoint) ? endpoint.replace(/\/+$/, '') : `${useSsl ? 'https' : 'http'}://${endpoint}`;
}

function parseTrustProxy(value: string): Config['trustProxy'] {
  const v = value.trim();
  if (/^(false|none|0)$/i.test(v)) return false;
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function freshSecrets(): Record<(typeof GENERATED_SECRETS)[number], string> {
  return Object.fromEntries(GENERATED_SECRETS.map((n) => [n, randomBytes(32).toString('hex')])) as Record<
    (typeof GENERATED_SECRETS)[number],
    string
  >;
}

function devSecrets(dataDir: string): Record<(typeof GENERATED_SECRETS)[number], string> {
  const file = path.join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    if (GENERATED_SECRETS.every((n) => typeof stored[n] === 'string' && stored[n]!.length >= MIN_SECRET_LENGTH)) {
      return stored as Record<(typeof GENERATED_SECRETS)[number], string>;
    }
  }
  const secrets = freshSecrets();
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

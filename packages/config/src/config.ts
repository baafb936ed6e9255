/** The parsed configuration: built once at boot by `loadConfig` and passed down, never global. */
export interface Config {
  env: 'development' | 'test' | 'staging' | 'production';
  production: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  logDir?: string;
  host: string;
  port: number;
  workerHealthPort: number;
  dataDir: string;
  publicUrl: string;
  domain?: string;
  /** `false`: never trust X-Forwarded-For; otherwise the proxies (addresses, CIDRs, `loopback`) to trust. */
  trustProxy: false | string[];
  uploadMaxBytes: number;
  /** Upload temp files idle this long are swept (UPLOAD_TEMP_MAX_AGE). */
  uploadTempMaxAgeSeconds: number;
  /** Versions `processing` with no progress this long are re-queued (PROCESSING_STUCK_AFTER). */
  processingStuckAfterSeconds: number;
  /** Requests per minute per client IP under `/api/` (the `api` rate zone). */
  apiRateLimitPerMinute: number;
  shutdownTimeoutMs: number;
  /** Limits on receiving a request (see docs/security.md). */
  http: { headersTimeoutMs: number; bodyIdleTimeoutMs: number; requestTimeoutMs: number };
  /** `url` unset → embedded PGlite in `pgliteDir`. */
  database: { url?: string; poolMin: number; poolMax: number; pgliteDir: string };
  /** `url` unset → jobs kept in the database, rate limits in process. */
  redis: { url?: string; keyPrefix: string };
  storage:
    | { kind: 'local'; root: string; bucketPrefix: string }
    | {
        kind: 's3';
        endpoint: string;
        region: string;
        accessKeyId: string;
        secretAccessKey: string;
        bucketPrefix: string;
        timeoutMs?: number;
      };
  auth: { jwtSecret: string; jwtExpiresInSeconds: number };
  media: { secureLinkSecret: string; urlTtlSeconds: number };
  analytics: { ipHashSalt: string; playsRetentionDays: number };
  stripe: {
    secretKey?: string;
    publishableKey?: string;
    webhookSecret?: string;
    /** STRIPE_API_URL; unset = Stripe's own API. */
    apiUrl?: string;
    /** PLATFORM_FEE_PERCENT, 0–50. */
    platformFeePercent: number;
    /** PAYMENTS_WITHOUT_CONNECT. */
    withoutConnect: 'platform' | 'refuse';
  };
  smtp?: { host: string; port: number; user?: string; pass?: string; from: string };
  mailFrom: string;
}

/** Which adapters a configuration selects; embedded when no external service is configured. */
export function describeMode(config: Config): {
  database: 'postgres' | 'pglite';
  jobs: 'bullmq' | 'embedded';
  storage: 's3' | 'local';
  embedded: boolean;
} {
  const database = config.database.url ? 'postgres' : 'pglite';
  const jobs = config.redis.url ? 'bullmq' : 'embedded';
  const storage = config.storage.kind;
  return { database, jobs, storage, embedded: database === 'pglite' };
}

/**
 * Every environment variable the platform reads, in one table.
 *
 * The parser (`load-config.ts`), `.env.example` and `docs/configuration.md` are all checked
 * against this list by tests, so it is the single place to add or document a variable.
 */
export type VariableKind = 'string' | 'url' | 'int' | 'bool' | 'enum' | 'duration';

export interface VariableSpec {
  name: string;
  kind: VariableKind;
  group: string;
  /** Default used when unset ('' = none). Shown in docs. */
  default?: string;
  /** Secrets may be given as `<NAME>_FILE` (Docker secrets) and are never logged. */
  secret?: boolean;
  /** In production, an unset or placeholder value refuses to start. */
  requiredInProduction?: boolean;
  values?: readonly string[];
  min?: number;
  max?: number;
  /** Value shown in .env.example (defaults to `default`). */
  example?: string;
  doc: string;
}

export const VARIABLES: readonly VariableSpec[] = [
  // Runtime
  {
    name: 'NODE_ENV',
    kind: 'enum',
    group: 'Runtime',
    values: ['development', 'test', 'staging', 'production'],
    default: 'development',
    example: 'production',
    doc: 'Runtime environment. `production` enforces real secrets and Secure cookies.',
  },
  {
    name: 'LOG_LEVEL',
    kind: 'enum',
    group: 'Runtime',
    values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    default: 'info',
    doc: 'Minimum level of the JSON log lines written to stdout.',
  },
  {
    name: 'LOG_DIR',
    kind: 'string',
    group: 'Runtime',
    default: '',
    example: 'logs',
    doc: 'When set, error-level log lines are also appended to `<LOG_DIR>/error.log`.',
  },
  {
    name: 'PORT',
    kind: 'int',
    group: 'Runtime',
    default: '3000',
    min: 1,
    max: 65535,
    doc: 'Port of the API (and, in embedded mode, of the whole platform: API, web app and media).',
  },
  { name: 'HOST', kind: 'string', group: 'Runtime', default: '0.0.0.0', doc: 'Address the HTTP server binds to.' },
  {
    name: 'WORKER_HEALTH_PORT',
    kind: 'int',
    group: 'Runtime',
    default: '3001',
    min: 1,
    max: 65535,
    doc: 'Port of the worker health and metrics server (`/health`, `/metrics`). Not opened in embedded mode, where the one process serves the same data at `/api/v1/worker/health`.',
  },
  {
    name: 'WEB_PORT',
    kind: 'int',
    group: 'Runtime',
    default: '3002',
    min: 1,
    max: 65535,
    doc: 'Port of the web app (`next start`) in production, where it runs as its own process behind nginx. Embedded mode serves the web app on PORT.',
  },
  {
    name: 'WEB_HOST',
    kind: 'string',
    group: 'Runtime',
    default: '',
    example: '0.0.0.0',
    doc: 'Address the web app binds to in production; defaults to HOST. The systemd unit sets 127.0.0.1 (nginx in front).',
  },
  {
    name: 'API_INTERNAL_URL',
    kind: 'url',
    group: 'Runtime',
    default: '',
    example: 'http://api:3000',
    doc: "Where the web app's server reads the API when rendering pages (compose: `http://api:3000`; native: `http://127.0.0.1:3000`). Never derived from a request (docs/security.md). Embedded mode sets it itself. Unset: pages render without server-side data.",
  },
  {
    name: 'DATA_DIR',
    kind: 'string',
    group: 'Runtime',
    default: './data',
    doc: 'Embedded mode data folder: PGlite database, local object storage, generated development secrets, outgoing mail.',
  },
  {
    name: 'PUBLIC_URL',
    kind: 'url',
    group: 'Runtime',
    default: '',
    example: 'https://yoursite.com',
    doc: 'Public base URL used in links (mails, signed media URLs). Defaults to `https://<DOMAIN>` when DOMAIN is set, else `http://localhost:<PORT>`.',
  },
  {
    name: 'DOMAIN',
    kind: 'string',
    group: 'Runtime',
    default: '',
    example: 'yoursite.com',
    doc: 'Public domain name; used by nginx and to derive PUBLIC_URL.',
  },
  {
    name: 'TRUST_PROXY',
    kind: 'string',
    group: 'Runtime',
    default: 'loopback',
    example: 'loopback,172.16.0.0/12',
    doc: 'Proxies whose `X-Forwarded-For` is believed: comma-separated addresses/CIDRs, `loopback`, or `false`. Client IPs from any other peer are taken from the socket.',
  },
  {
    name: 'RATE_LIMIT_API_PER_MINUTE',
    kind: 'int',
    group: 'Runtime',
    default: '100',
    min: 1,
    doc: "Requests per minute each client IP may send to `/api/` (nginx's `api` zone, applied by the app too: docs/accounts.md). The auth zone (5/min) is fixed; nginx also holds comment writes to 20/hour.",
  },
  {
    name: 'UPLOAD_MAX_BYTES',
    kind: 'int',
    group: 'Runtime',
    default: '524288000',
    min: 1,
    doc: "Largest accepted upload in bytes (500 MB, as nginx's `client_max_body_size`).",
  },
  {
    name: 'UPLOAD_TEMP_MAX_AGE',
    kind: 'duration',
    group: 'Runtime',
    default: '6h',
    doc: 'Upload temp files (`<DATA_DIR>/tmp/uploads`) not written to for this long are removed, at start and hourly (what a crash or a kill left behind; refused uploads remove theirs at once).',
  },
  {
    name: 'PROCESSING_STUCK_AFTER',
    kind: 'duration',
    group: 'Runtime',
    default: '30m',
    doc: 'A track version still `processing` with no progress for this long is queued again by the worker (its jobs were lost: Redis down when it was uploaded, or a worker gone). Checked every minute, or every third of this when shorter.',
  },
  {
    name: 'SHUTDOWN_TIMEOUT_MS',
    kind: 'int',
    group: 'Runtime',
    default: '30000',
    min: 0,
    doc: 'How long SIGTERM waits for in-flight requests and jobs before closing pools anyway.',
  },
  {
    name: 'HTTP_HEADERS_TIMEOUT_MS',
    kind: 'int',
    group: 'HTTP timeouts',
    default: '20000',
    min: 100,
    doc: "How long a client may take to send a request's headers (Node's `headersTimeout`); past it the connection gets a 408 and is closed. WebSocket upgrades must also complete their handshake within this time.",
  },
  {
    name: 'HTTP_BODY_IDLE_TIMEOUT_MS',
    kind: 'int',
    group: 'HTTP timeouts',
    default: '30000',
    min: 100,
    doc: 'How long a request body may stall (no byte received) before the request gets a 408 and the connection is closed. Applies to uploads too: an upload that keeps sending is never cut, one that stalls is.',
  },
  {
    name: 'HTTP_REQUEST_TIMEOUT_MS',
    kind: 'int',
    group: 'HTTP timeouts',
    default: '60000',
    min: 100,
    doc: 'Longest time to receive a request body, from the end of its headers to its last byte, for every route except uploads (which only have the idle limit). Past it: 408 and the connection is closed.',
  },
  {
    name: 'STORAGE_TIMEOUT_MS',
    kind: 'int',
    group: 'HTTP timeouts',
    default: '30000',
    min: 100,
    doc: "S3/MinIO calls: connect timeout and socket idle timeout of each request (a transfer that keeps moving is not cut). The web server's reads of the API have their own 3 s limit; SMTP has 15 s connect / 30 s idle.",
  },

  // Database
  {
    name: 'DATABASE_URL',
    kind: 'url',
    group: 'Database',
    default: '',
    secret: true,
    example: 'postgresql://postgres:CHANGE_ME@postgres:5432/music',
    doc: 'PostgreSQL connection URL. Unset: embedded PGlite under `<DATA_DIR>/pglite`.',
  },
  {
    name: 'DATABASE_POOL_MIN',
    kind: 'int',
    group: 'Database',
    default: '5',
    min: 0,
    doc: 'Connections the pool keeps open.',
  },
  {
    name: 'DATABASE_POOL_MAX',
    kind: 'int',
    group: 'Database',
    default: '20',
    min: 1,
    doc: 'Most connections the pool opens (raise to 30 if "too many connections" is not the problem but pool waits are).',
  },
  {
    name: 'POSTGRES_PASSWORD',
    kind: 'string',
    group: 'Database',
    default: '',
    secret: true,
    example: 'CHANGE_ME',
    doc: "Password of the compose stack's postgres container (used by the container and the backup scripts).",
  },

  // Redis
  {
    name: 'REDIS_URL',
    kind: 'url',
    group: 'Redis',
    default: '',
    secret: true,
    example: 'redis://redis:6379',
    doc: 'Redis URL for BullMQ jobs and shared rate-limit counters. Unset: durable in-process queue kept in the database.',
  },
  {
    name: 'REDIS_KEY_PREFIX',
    kind: 'string',
    group: 'Redis',
    default: 'earshot',
    doc: 'Prefix of every Redis key (queues, rate limits), so one Redis can serve several installs.',
  },

  // Object storage
  {
    name: 'MINIO_ENDPOINT',
    kind: 'string',
    group: 'Object storage',
    default: '',
    example: 'minio:9000',
    doc: 'S3 endpoint (`host:port` or URL; compose: the object store `minio:9000`). Unset: local folders under `<DATA_DIR>/storage`.',
  },
  {
    name: 'MINIO_USE_SSL',
    kind: 'bool',
    group: 'Object storage',
    default: 'false',
    doc: 'Use HTTPS to reach MINIO_ENDPOINT when it has no scheme.',
  },
  {
    name: 'MINIO_REGION',
    kind: 'string',
    group: 'Object storage',
    default: 'us-east-1',
    doc: 'S3 region name sent in signatures.',
  },
  {
    name: 'MINIO_ROOT_USER',
    kind: 'string',
    group: 'Object storage',
    default: '',
    example: 'minioadmin',
    doc: 'Root user of the object store (compose: its root account); also the S3 access key unless MINIO_ACCESS_KEY is set.',
  },
  {
    name: 'MINIO_ROOT_PASSWORD',
    kind: 'string',
    group: 'Object storage',
    default: '',
    secret: true,
    example: 'CHANGE_ME',
    doc: 'Root password of the object store; also the S3 secret key unless MINIO_SECRET_KEY is set.',
  },
  {
    name: 'MINIO_ACCESS_KEY',
    kind: 'string',
    group: 'Object storage',
    default: '',
    doc: 'S3 access key of a least-privilege user (preferred over the root user).',
  },
  {
    name: 'MINIO_SECRET_KEY',
    kind: 'string',
    group: 'Object storage',
    default: '',
    secret: true,
    doc: 'S3 secret key matching MINIO_ACCESS_KEY.',
  },
  {
    name: 'S3_BUCKET_PREFIX',
    kind: 'string',
    group: 'Object storage',
    default: '',
    doc: 'Optional prefix added to the bucket names `originals`, `transcodes`, `images`, `waveforms`.',
  },

  // Auth
  {
    name: 'JWT_SECRET',
    kind: 'string',
    group: 'Auth',
    default: '',
    secret: true,
    requiredInProduction: true,
    example: 'CHANGE_ME_openssl_rand_hex_32',
    doc: 'HS256 key of session tokens. Required in production (≥ 32 chars); in development a random one is generated and kept in DATA_DIR.',
  },
  {
    name: 'JWT_EXPIRES_IN',
    kind: 'duration',
    group: 'Auth',
    default: '24h',
    doc: 'Session lifetime (`90s`, `30m`, `24h`, `7d`).',
  },

  // Media
  {
    name: 'SECURE_LINK_SECRET',
    kind: 'string',
    group: 'Media',
    default: '',
    secret: true,
    requiredInProduction: true,
    example: 'CHANGE_ME_openssl_rand_hex_32',
    doc: 'Shared secret of signed media URLs (nginx `secure_link` and the API). Required in production.',
  },
  {
    name: 'MEDIA_URL_TTL_SECONDS',
    kind: 'int',
    group: 'Media',
    default: '3600',
    min: 60,
    doc: 'Lifetime of signed stream URLs.',
  },

  // Analytics
  {
    name: 'IP_HASH_SALT',
    kind: 'string',
    group: 'Analytics',
    default: '',
    secret: true,
    requiredInProduction: true,
    example: 'CHANGE_ME_openssl_rand_hex_32',
    doc: 'Salt of the hashed client IPs stored with plays (raw IPs are never stored). Required in production.',
  },
  {
    name: 'PLAYS_RETENTION_DAYS',
    kind: 'int',
    group: 'Analytics',
    default: '90',
    min: 14,
    max: 3650,
    doc: 'Days raw plays (hashed listener, time, the parts heard) are kept. Older plays are deleted by the `analytics-rollup` job once their day is folded into the daily per-track and per-artist figures, which stay (docs/architecture.md, "Insights and trending"). Trending reads the last 7 days of plays; keep at least 14. A deleted account\'s id leaves its plays (and the folded plays of deleted tracks) at once; the hashed IP stays until this horizon.',
  },

  // Monitoring
  {
    name: 'GRAFANA_ADMIN_PASSWORD',
    kind: 'string',
    group: 'Monitoring',
    default: '',
    secret: true,
    example: 'CHANGE_ME',
    doc: "Password of Grafana's `admin` user in the compose stack (Grafana is published on 127.0.0.1:3003 only; see docs/operations.md). Not read by the app.",
  },
  {
    name: 'ALERT_EMAIL_TO',
    kind: 'string',
    group: 'Monitoring',
    default: '',
    example: 'ops@yoursite.com',
    doc: 'Where Alertmanager sends alerts, through the SMTP_* server below (scripts/render-alertmanager.ts; docs/operations.md, "Alerts"). Not read by the app.',
  },
  {
    name: 'METRICS_TEXTFILE_DIR',
    kind: 'string',
    group: 'Monitoring',
    default: '',
    example: './metrics-textfile',
    doc: "node-exporter's textfile folder: the backup scripts and `scripts/cert-expiry-metric.sh` write their last-success and expiry times there for the alerts. Unset: they write nothing. Not read by the app.",
  },

  // Stripe
  {
    name: 'STRIPE_SECRET_KEY',
    kind: 'string',
    group: 'Payments',
    default: '',
    secret: true,
    example: 'sk_live_...',
    doc: 'Stripe secret key. Unset: sales are disabled.',
  },
  {
    name: 'STRIPE_PUBLISHABLE_KEY',
    kind: 'string',
    group: 'Payments',
    default: '',
    example: 'pk_live_...',
    doc: 'Stripe publishable key for the web checkout.',
  },
  {
    name: 'STRIPE_WEBHOOK_SECRET',
    kind: 'string',
    group: 'Payments',
    default: '',
    secret: true,
    example: 'whsec_...',
    doc: 'Signing secret of the Stripe webhook endpoint (`POST /api/v1/stripe/webhook`). Buying is on only when this and STRIPE_SECRET_KEY are both set (docs/payments.md).',
  },
  {
    name: 'STRIPE_API_URL',
    kind: 'url',
    group: 'Payments',
    default: '',
    example: 'https://api.stripe.com',
    doc: "Where the Stripe SDK sends its calls. Unset: Stripe's own API. Tests point it at a loopback server speaking Stripe's wire format.",
  },
  {
    name: 'PLATFORM_FEE_PERCENT',
    kind: 'int',
    group: 'Payments',
    default: '10',
    min: 0,
    max: 50,
    doc: 'Share of each sale the platform keeps (Stripe Connect `application_fee_amount`, rounded down to the minor unit) when the artist has a connected account.',
  },
  {
    name: 'PAYMENTS_WITHOUT_CONNECT',
    kind: 'enum',
    group: 'Payments',
    values: ['platform', 'refuse'],
    default: 'platform',
    doc: 'Sales of an artist without a Stripe Connect account: `platform` = charged to the platform account (the operator pays the artist), `refuse` = checkout answers 409 `artist_not_payable` (docs/payments.md).',
  },

  // Mail
  {
    name: 'SMTP_HOST',
    kind: 'string',
    group: 'Mail',
    default: '',
    example: 'smtp.example.com',
    doc: 'SMTP server. Unset: mails are written to the log and to `<DATA_DIR>/mail/`.',
  },
  {
    name: 'SMTP_PORT',
    kind: 'int',
    group: 'Mail',
    default: '587',
    min: 1,
    max: 65535,
    doc: 'SMTP port (465 = implicit TLS, otherwise STARTTLS when offered).',
  },
  {
    name: 'SMTP_USER',
    kind: 'string',
    group: 'Mail',
    default: '',
    example: 'noreply@yoursite.com',
    doc: 'SMTP user name.',
  },
  {
    name: 'SMTP_PASS',
    kind: 'string',
    group: 'Mail',
    default: '',
    secret: true,
    example: 'password',
    doc: 'SMTP password.',
  },
  {
    name: 'SMTP_FROM',
    kind: 'string',
    group: 'Mail',
    default: '',
    example: 'Earshot <noreply@yoursite.com>',
    doc: 'From address of outgoing mail (defaults to SMTP_USER, else `noreply@<DOMAIN>`).',
  },
];

export const SECRET_NAMES = VARIABLES.filter((v) => v.secret).map((v) => v.name);

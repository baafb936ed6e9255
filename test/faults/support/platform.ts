/**
 * The production platform run natively for fault and scale-out tests: `apps/api/src/main.ts` and
 * `apps/worker/src/main.ts` as separate processes (as systemd or compose runs them) on PostgreSQL,
 * Redis and S3, every address on loopback. Each process can be killed, restarted and read.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDatabase, migrateToLatest } from '@earshot/db';
import { freePort, spawnTs, type Spawned } from '../../support/process.ts';
import { generateTone } from '../../support/audio.ts';
import { waitUntil } from './services.ts';

export interface PlatformOptions {
  /** Admin URL of the PostgreSQL to make a fresh database on. */
  pgAdminUrl: string;
  redisUrl: string;
  s3Endpoint: string;
  apis?: number;
  workers?: number;
  env?: NodeJS.ProcessEnv;
  /** Runs once the data folder exists, before any process starts (to mount a small disk in it). */
  beforeStart?: (dataDir: string) => Promise<void>;
}

export interface ProcessHandle {
  name: string;
  port: number;
  proc: Spawned;
  url: string;
}

export interface Platform {
  dataDir: string;
  databaseUrl: string;
  env: NodeJS.ProcessEnv;
  apis: ProcessHandle[];
  workers: ProcessHandle[];
  /** A pool on the platform's database, for the test's own checks. */
  db: pg.Pool;
  startApi(): Promise<ProcessHandle>;
  startWorker(): Promise<ProcessHandle>;
  kill(handle: ProcessHandle, signal?: NodeJS.Signals): Promise<void>;
  /** Every JSON log line the processes wrote so far. */
  logs(): Array<Record<string, unknown> & { proc: string }>;
  close(): Promise<void>;
}

export const SECRETS = {
  JWT_SECRET: 'fault-test-jwt-secret-0123456789abcdef0123456789',
  SECURE_LINK_SECRET: 'fault-test-secure-link-secret-0123456789abcdef',
  IP_HASH_SALT: 'fault-test-ip-hash-salt-0123456789abcdef012345',
};

async function createDb(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `earshot_faults_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect().catch(() => {});
      await c.query(`drop database if exists "${name}" with (force)`).catch(() => {});
      await c.end().catch(() => {});
    },
  };
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-faults-'));
  const database = await createDb(options.pgAdminUrl);
  const handle = await createDatabase({ url: database.url, pgliteDir: '', poolMin: 0, poolMax: 2 });
  await migrateToLatest(handle.db);
  await handle.close();
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    DATABASE_POOL_MIN: '0',
    DATABASE_POOL_MAX: '8',
    REDIS_URL: options.redisUrl,
    REDIS_KEY_PREFIX: `earshot-faults-${path.basename(dataDir)}`,
    MINIO_ENDPOINT: options.s3Endpoint,
    MINIO_ROOT_USER: 'S3RVER',
    MINIO_ROOT_PASSWORD: 'S3RVER',
    PUBLIC_URL: 'http://localhost',
    RATE_LIMIT_API_PER_MINUTE: '1000000',
    SHUTDOWN_TIMEOUT_MS: '5000',
    ...SECRETS,
    ...options.env,
  };
  const db = new pg.Pool({ connectionString: database.url, max: 3 });
  db.on('error', () => {});
  const apis: ProcessHandle[] = [];
  const workers: ProcessHandle[] = [];
  const all: ProcessHandle[] = [];
  let n = 0;

  const start = async (kind: 'api' | 'worker'): Promise<ProcessHandle> => {
    const port = await freePort();
    const name = `${kind}-${++n}`;
    const proc = spawnTs(kind === 'api' ? 'apps/api/src/main.ts' : 'apps/worker/src/main.ts', {
      ...env,
      PORT: String(port),
      WORKER_HEALTH_PORT: String(port),
    });
    const h: ProcessHandle = { name, port, proc, url: `http://127.0.0.1:${port}` };
    all.push(h);
    const healthPath = kind === 'api' ? '/api/v1/health' : '/health';
    let exited = false;
    void proc.exited.then(() => (exited = true));
    await waitUntil(
      `${name} to answer`,
      async () => {
        if (exited) throw new Error(`${name} exited:\n${proc.output()}`);
        return fetch(`${h.url}${healthPath}`).then(
          () => true,
          () => false,
        );
      },
      1200,
      250,
    );
    return h;
  };

  const platform: Platform = {
    dataDir,
    databaseUrl: database.url,
    env,
    apis,
    workers,
    db,
    async startApi() {
      const h = await start('api');
      apis.push(h);
      return h;
    },
    async startWorker() {
      const h = await start('worker');
      workers.push(h);
      return h;
    },
    async kill(h, signal = 'SIGKILL') {
      h.proc.child.kill(signal);
      await h.proc.exited;
    },
    logs() {
      const lines: Array<Record<string, unknown> & { proc: string }> = [];
      for (const h of all) {
        for (const line of h.proc.output().split('\n')) {
          if (!line.startsWith('{')) continue;
          try {
            lines.push({ ...(JSON.parse(line) as Record<string, unknown>), proc: h.name });
          } catch {
            // a line cut by a kill
          }
        }
      }
      return lines;
    },
    async close() {
      for (const h of all) {
        if (h.proc.child.exitCode === null && h.proc.child.signalCode === null) {
          h.proc.child.kill('SIGKILL');
          await h.proc.exited;
        }
      }
      await db.end().catch(() => {});
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  await options.beforeStart?.(dataDir);
  for (let i = 0; i < (options.apis ?? 1); i++) await platform.startApi();
  for (let i = 0; i < (options.workers ?? 1); i++) await platform.startWorker();
  return platform;
}

/** A client of the API over HTTP: registration, uploads, plays. */
export class Client {
  constructor(
    public base: string,
    public token?: string,
  ) {}

  async req(
    method: string,
    p: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; json: any; text: string }> {
    const h: Record<string, string> = { ...headers };
    if (this.token) h.authorization = `Bearer ${this.token}`;
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      h['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(`${this.base}${p}`, {
      method,
      headers: h,
      body: payload,
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text };
  }

  static async register(
    base: string,
    role: 'artist' | 'listener' = 'artist',
  ): Promise<Client & { userId: string; handle: string; email: string; password: string }> {
    const handle = `f${randomBytes(5).toString('hex')}`;
    const email = `${handle}@example.com`;
    const password = `Tr0ub4dor&3-horse-${randomBytes(4).toString('hex')}`;
    const c = new Client(base);
    const r = await c.req('POST', '/api/v1/auth/register', { email, password, handle, role });
    if (r.status !== 201) throw new Error(`register: ${r.status} ${r.text}`);
    c.token = r.json.token;
    return Object.assign(c, { userId: r.json.user.id as string, handle, email, password });
  }

  async upload(file: string, title: string): Promise<{ status: number; json: any; text: string }> {
    const form = new FormData();
    form.set('title', title);
    form.set('file', new Blob([await readFile(file)], { type: 'audio/wav' }), path.basename(file));
    return this.req('POST', '/api/v1/tracks', form);
  }
}

/** A small WAV test tone (a few seconds: cheap to upload and transcode). */
export async function tone(dir: string, name = 'tone.wav', seconds = 3): Promise<string> {
  return generateTone(path.join(dir, name), { seconds, channels: 1, rate: 22_050 });
}

/** Polls until every version of these tracks has left `processing`; returns their status by track id. */
export async function waitForTracks(db: pg.Pool, trackIds: string[], attempts = 2400): Promise<Map<string, string>> {
  let rows: Array<{ track_id: string; status: string; failure_reason: string | null }> = [];
  await waitUntil(
    `tracks ${trackIds.join(',')} to be processed`,
    async () => {
      try {
        rows = (
          await db.query(
            'select track_id::text, status, failure_reason from track_versions where track_id = any($1::bigint[])',
            [trackIds],
          )
        ).rows;
      } catch {
        return false;
      }
      return rows.length >= trackIds.length && rows.every((r) => r.status !== 'processing');
    },
    attempts,
    250,
  );
  return new Map(rows.map((r) => [r.track_id, r.failure_reason ? `${r.status}: ${r.failure_reason}` : r.status]));
}

export async function health(url: string): Promise<{ status: number; body: any }> {
  try {
    const r = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(10_000) });
    return { status: r.status, body: await r.json() };
  } catch (err) {
    return { status: 0, body: String(err) };
  }
}

/**
 * The whole platform in this process for browser tests: embedded mode (PGlite, in-database queue, local
 * storage, the built Next app) on a free loopback port with a throw-away DATA_DIR, plus the few API calls
 * the tests make from Node (register, upload, wait until processed). Nothing here is stubbed.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@earshot/config';
import { seedMigratedPgliteFolder } from '@earshot/db/testing';
import { createLogger } from '@earshot/runtime';
import { startEmbeddedPlatform } from '../../apps/embedded/src/platform.ts';
import type { Browser, BrowserContext } from 'playwright-core';
import { openContext, type OpenContextOptions } from '../support/browser.ts';
import { freePort, REPO_ROOT } from '../support/process.ts';

export interface RunningPlatform {
  base: string;
  dataDir: string;
  /** The platform's adapters (its database, for fixtures the API cannot make yet). */
  infra: Awaited<ReturnType<typeof startEmbeddedPlatform>>['infra'];
  close(): Promise<void>;
}

/**
 * `next build` of apps/web when its sources are newer than the build (what `npm test` also does first).
 * Asynchronous on purpose: a build blocking this worker's event loop for a minute makes Vitest's RPC time out.
 */
export async function ensureWebBuilt(): Promise<void> {
  const child = spawn(process.execPath, ['scripts/build-web.mjs'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  if (code !== 0) throw new Error(`building the web app failed (exit ${code ?? signal})`);
}

/** The embedded platform with the web app on a free port; `env` adds to (or overrides) its configuration. */
export async function startPlatform(env: Record<string, string> = {}): Promise<RunningPlatform> {
  await ensureWebBuilt();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-browser-'));
  // The database folder starts as the migrated template (docs/testing.md, "Suite time"): the platform
  // opens it and finds no migration to run, as after any restart. First starts are tested in test/embedded/.
  if (!env.DATABASE_URL) await seedMigratedPgliteFolder(path.join(dataDir, 'pglite'));
  const port = await freePort();
  // One browser on loopback plays every user of a test file: the `api` zone (100/min per IP) is lifted.
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_API_PER_MINUTE: '1000000',
    ...env,
  });
  const logger = createLogger(config, 'embedded');
  const platform = await startEmbeddedPlatform(config, logger);
  return {
    base: `http://127.0.0.1:${port}`,
    dataDir,
    infra: platform.infra,
    async close() {
      await platform.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Account {
  user: { id: string; handle: string; displayName: string; role: string };
  /** Bearer token, for calls from Node. */
  token: string;
  /** The cookies the API set (session, CSRF…), to put in a browser context. */
  cookies: { name: string; value: string }[];
}

/**
 * A browser context (`openContext`) signed in as `account` — the cookies the API set it, for the
 * platform's origin — or signed out for `null`.
 */
export async function contextAs(
  browser: Browser,
  platform: Pick<RunningPlatform, 'base'>,
  account: Account | null,
  options: OpenContextOptions = {},
): Promise<BrowserContext> {
  const context = await openContext(browser, options);
  if (account)
    await context.addCookies(account.cookies.map((c) => ({ name: c.name, value: c.value, url: platform.base })));
  return context;
}

async function failure(res: Response, what: string): Promise<Error> {
  return new Error(`${what}: ${res.status} ${await res.text()}`);
}

export async function register(base: string, handle: string, role: 'artist' | 'listener'): Promise<Account> {
  const res = await fetch(`${base}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: `${handle}@example.test`,
      password: `plum ${handle.length} violet kettle harbour`,
      handle,
      displayName: handle.replace(/(^|-)(\w)/g, (_m, sep: string, c: string) => `${sep ? ' ' : ''}${c.toUpperCase()}`),
      role,
    }),
  });
  if (res.status !== 201) throw await failure(res, 'POST /api/v1/auth/register');
  const body = (await res.json()) as { user: Account['user']; token: string };
  const cookies = res.headers.getSetCookie().map((line) => {
    const pair = line.split(';')[0]!;
    const eq = pair.indexOf('=');
    return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim() };
  });
  return { user: body.user, token: body.token, cookies };
}

export interface UploadedTrack {
  id: string;
  title: string;
  slug: string;
  status: string;
  durationMs: number | null;
  artist: { handle: string; displayName: string };
  latestVersion: { status: string; failureReason: string | null };
}

export async function uploadTrack(base: string, token: string, file: string, title: string): Promise<UploadedTrack> {
  const form = new FormData();
  form.append('title', title);
  form.append('visibility', 'public');
  form.append('file', new Blob([await readFile(file)]), path.basename(file));
  const res = await fetch(`${base}/api/v1/tracks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  if (res.status !== 201) throw await failure(res, 'POST /api/v1/tracks');
  return ((await res.json()) as { track: UploadedTrack }).track;
}

/** Uploads `file` as a public track and waits until the worker has made it ready. */
export async function uploadReadyTrack(
  base: string,
  token: string,
  file: string,
  title: string,
): Promise<UploadedTrack> {
  return waitUntilReady(base, token, (await uploadTrack(base, token, file, title)).id);
}

/** Polls the track until the worker is done with it (bounded by the test's own timeout). */
export async function waitUntilReady(base: string, token: string, id: string): Promise<UploadedTrack> {
  for (;;) {
    const res = await fetch(`${base}/api/v1/tracks/${id}`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw await failure(res, `GET /api/v1/tracks/${id}`);
    const { track } = (await res.json()) as { track: UploadedTrack };
    if (track.status === 'ready') return track;
    if (track.status === 'failed') throw new Error(`processing failed: ${track.latestVersion.failureReason}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Private copies of the services a fault test breaks on purpose: a PostgreSQL cluster and a Redis
 * server of its own (initdb / redis-server from the machine's packages, on a free loopback port,
 * in a temp folder), so stopping them touches nothing else on the machine. S3 is s3rver on a
 * fixed port, so it can be stopped and started again at the same address.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import { chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { acceptsConnections, freePort } from '../../support/process.ts';

const isRoot = process.getuid?.() === 0;

export async function waitUntil(
  what: string,
  check: () => Promise<boolean> | boolean,
  attempts = 600,
  everyMs = 100,
): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The newest PostgreSQL server binaries installed (Debian keeps them out of PATH). */
export function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = (() => {
    try {
      return readdirSync(root).sort((a, b) => Number(b) - Number(a));
    } catch {
      return [];
    }
  })();
  for (const v of versions) {
    const dir = path.join(root, v, 'bin');
    try {
      accessSync(path.join(dir, 'pg_ctl'), constants.X_OK);
      return dir;
    } catch {
      // next
    }
  }
  throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql');
}

/** Runs a PostgreSQL binary as the `postgres` user when we are root (initdb refuses root). */
function pgRun(bin: string, args: string[]): { status: number | null; out: string } {
  const cmd = isRoot ? 'runuser' : bin;
  const full = isRoot ? ['-u', 'postgres', '--', bin, ...args] : args;
  const r = spawnSync(cmd, full, { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** A service of the test's own on a loopback port: stopped and started again at will, then destroyed with its files. */
export interface RestartableService {
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export interface PrivatePostgres extends RestartableService {
  /** URL of the `postgres` database (trust auth, loopback). */
  adminUrl: string;
  urlOf(db: string): string;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBin();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-pg-'));
  const data = path.join(dir, 'data');
  await mkdir(data);
  if (isRoot) {
    const { uid, gid } = userIds('postgres');
    await chown(dir, uid, gid);
    await chown(data, uid, gid);
  }
  const init = pgRun(path.join(bin, 'initdb'), [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '--no-sync',
    '-E',
    'UTF8',
    '--locale=C',
  ]);
  if (init.status !== 0) throw new Error(`initdb failed:\n${init.out}`);
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 -c shared_buffers=16MB`;
  const ctl = (args: string[]) => pgRun(path.join(bin, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'log'), ...args]);
  let running = false;
  const pg: PrivatePostgres = {
    port,
    adminUrl: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    urlOf: (db) => `postgresql://postgres@127.0.0.1:${port}/${db}`,
    async start() {
      const r = ctl(['-o', opts, '-w', '-t', '60', 'start']);
      if (r.status !== 0) throw new Error(`pg_ctl start failed:\n${r.out}`);
      running = true;
    },
    async stop() {
      // fast: what a restart by an operator or a package upgrade does (sessions are terminated).
      const r = ctl(['-m', 'fast', '-w', '-t', '60', 'stop']);
      if (r.status !== 0) throw new Error(`pg_ctl stop failed:\n${r.out}`);
      running = false;
    },
    async destroy() {
      if (running) ctl(['-m', 'immediate', '-w', 'stop']);
      running = false;
      await rm(dir, { recursive: true, force: true });
    },
  };
  await pg.start();
  return pg;
}

function userIds(name: string): { uid: number; gid: number } {
  const r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) throw new Error(`no user ${name}`);
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/**
 * A service of our own with a scratch directory (`prefix` names it) and a free loopback port:
 * `make` gives what it shows and how it starts and stops; `destroy` stops it and removes the
 * directory. Returned started.
 */
async function startInScratch<T extends Pick<RestartableService, 'start' | 'stop'>>(
  prefix: string,
  make: (dir: string, port: number) => T,
): Promise<T & RestartableService> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  const port = await freePort();
  const made = make(dir, port);
  const service = Object.assign(made, {
    port,
    async destroy() {
      await made.stop();
      await rm(dir, { recursive: true, force: true });
    },
  });
  await service.start();
  return service;
}

export interface PrivateRedis extends RestartableService {
  url: string;
}

/** A redis-server of our own, configured like production's (append-only file, noeviction). */
export function startPrivateRedis(): Promise<PrivateRedis> {
  return startInScratch('earshot-redis-', (dir, port) => {
    let child: ChildProcess | undefined;
    let exited: Promise<void> = Promise.resolve();
    return {
      url: `redis://127.0.0.1:${port}`,
      async start() {
        let out = '';
        child = spawn(
          'redis-server',
          [
            '--port',
            String(port),
            '--bind',
            '127.0.0.1',
            '--dir',
            dir,
            '--appendonly',
            'yes',
            '--save',
            '',
            '--maxmemory-policy',
            'noeviction',
          ],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
        const c = child;
        exited = new Promise((resolve) => c.once('exit', () => resolve()));
        let gone = false;
        void exited.then(() => (gone = true));
        await waitUntil(`redis on ${port}`, async () => {
          if (gone) throw new Error(`redis-server exited:\n${out}`);
          return acceptsConnections(port);
        });
      },
      async stop() {
        // SIGTERM: redis flushes its append-only file and exits, as `systemctl restart` does.
        // Stopped already (no child): `exited` is the last one's exit, long resolved.
        child?.kill('SIGTERM');
        await exited;
        child = undefined;
      },
    };
  });
}

export interface RestartableS3 extends RestartableService {
  endpoint: string;
}

export function startS3(): Promise<RestartableS3> {
  return startInScratch('earshot-s3-', (dir, port) => {
    let server: S3rver | undefined;
    return {
      endpoint: `http://127.0.0.1:${port}`,
      async start() {
        server = new S3rver({ address: '127.0.0.1', port, silent: true, directory: dir, vhostBuckets: false });
        await server.run();
      },
      async stop() {
        // Cut every connection at once, in-flight ones too: the store is gone, not draining.
        const http = (server as unknown as { httpServer?: { closeAllConnections(): void } } | undefined)?.httpServer;
        const closing = server?.close();
        http?.closeAllConnections();
        await closing;
        server = undefined;
      },
    };
  });
}

export { isRoot };

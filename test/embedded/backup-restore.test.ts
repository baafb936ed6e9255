// The embedded backup drill, like test/ops/backup-restore.test.ts for production: a real
// embedded server (test/fixtures/serve-embedded.ts) with a user and a processed track, then
// `npm run backup`, DATA_DIR wiped, `npm run restore`, and the server started again on the
// restored folder: same rows in every table, every storage file byte for byte, the user signs
// in and the track plays. Also: both commands refuse while the server runs, and restore refuses
// files that are not valid backups without touching DATA_DIR.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase } from '@earshot/db';
import { register, uploadTrack, waitUntilReady } from '../browser/platform-fixture.ts';
import { generateTone } from '../support/audio.ts';
import { snapshotDb, type DbSnapshot } from '../support/db-snapshot.ts';
import { freePort, REPO_ROOT, spawnTs, waitForHttp, type Spawned } from '../support/process.ts';

const scratch: string[] = [];
afterAll(async () => {
  for (const d of scratch) await rm(d, { recursive: true, force: true });
});

function npmRun(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['run', '-s', ...args],
      { cwd: REPO_ROOT, env: { ...process.env, ...env } },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function storageHashes(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (rel: string) => {
    for (const e of await readdir(path.join(root, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(r);
      else
        out[r] = createHash('sha256')
          .update(await readFile(path.join(root, r)))
          .digest('hex');
    }
  };
  await walk('');
  return out;
}

async function dbSnapshot(dataDir: string): Promise<DbSnapshot> {
  const handle = await createDatabase({ pgliteDir: path.join(dataDir, 'pglite') });
  try {
    return await snapshotDb(
      { query: async <T>(q: string) => ({ rows: (await sql.raw<T>(q).execute(handle.db)).rows }) },
      ['schema_migrations'],
    );
  } finally {
    await handle.close();
  }
}

async function startServer(env: Record<string, string>): Promise<Spawned> {
  const proc = spawnTs('test/fixtures/serve-embedded.ts', env);
  await waitForHttp(`http://127.0.0.1:${env.PORT}/api/v1/health`, proc, 3600);
  return proc;
}
async function stopServer(proc: Spawned): Promise<void> {
  proc.child.kill('SIGTERM');
  expect((await proc.exited).code, proc.output()).toBe(0);
}

/** The master playlist and its first segment, through a freshly signed URL. */
async function media(base: string, trackId: string): Promise<{ playlist: string; segment: Buffer }> {
  const stream = (await (await fetch(`${base}/api/v1/tracks/${trackId}/stream`)).json()) as { hls: string };
  const playlist = await (await fetch(`${base}${stream.hls}`)).text();
  const rendition = new URL(playlist.split('\n').find((l) => l && !l.startsWith('#'))!, `${base}${stream.hls}`);
  const index = await (await fetch(rendition)).text();
  const seg = new URL(index.split('\n').find((l) => l && !l.startsWith('#'))!, rendition);
  const res = await fetch(seg);
  expect(res.status).toBe(200);
  return { playlist, segment: Buffer.from(await res.arrayBuffer()) };
}

describe('npm run backup → wipe DATA_DIR → npm run restore', () => {
  it('brings back the database and the files, consistent, and refuses what it must', async () => {
    const work = await mkdtemp(path.join(os.tmpdir(), 'earshot-embedded-backup-'));
    scratch.push(work);
    const dataDir = path.join(work, 'data');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
      RATE_LIMIT_API_PER_MINUTE: '1000000',
    };

    // Data: an artist and a track processed to the end.
    let server = await startServer(env);
    const artist = await register(base, 'drill-artist', 'artist');
    const tone = await generateTone(path.join(work, 'tone.wav'), { seconds: 6 });
    const uploaded = await uploadTrack(base, artist.token, tone, 'Drill Tone');
    await waitUntilReady(base, artist.token, uploaded.id);
    const mediaBefore = await media(base, uploaded.id);

    // While the server runs: both commands refuse, and say how to tell.
    const busy = await npmRun(['backup'], env);
    expect(busy.code).not.toBe(0);
    expect(busy.stderr).toMatch(new RegExp(`in use by process ${server.child.pid} .*stop the server first`));
    const backups = path.join(dataDir, 'backups');
    expect(existsSync(backups) ? readdirSync(backups) : []).toEqual([]);
    await stopServer(server);

    const dbBefore = await dbSnapshot(dataDir);
    expect(dbBefore.tables.users!.rows).toBe(1);
    expect(dbBefore.tables.tracks!.rows).toBe(1);
    const filesBefore = await storageHashes(path.join(dataDir, 'storage'));
    expect(Object.keys(filesBefore).some((f) => f.startsWith('originals/'))).toBe(true);
    expect(Object.keys(filesBefore).some((f) => f.endsWith('.m4s'))).toBe(true);
    const secretsBefore = await readFile(path.join(dataDir, 'secrets.json'), 'utf8');

    const made = await npmRun(['backup'], env);
    expect(made.code, made.stderr).toBe(0);
    const written = /backup written: (\S+)/.exec(made.stdout)![1]!;
    expect(path.dirname(written)).toBe(path.join(dataDir, 'backups'));
    expect(readdirSync(path.dirname(written))).toEqual([path.basename(written)]);
    const archive = path.join(work, 'saved.earshot-backup');
    await copyFile(written, archive);

    // Wipe everything.
    await rm(dataDir, { recursive: true, force: true });

    // Files that are not valid backups: refused, nothing written.
    const bytes = await readFile(archive);
    const damaged = Buffer.from(bytes);
    damaged[Math.floor(damaged.length / 2)]! ^= 0xff;
    const cases: Array<[string, Buffer]> = [
      ['damaged', damaged],
      ['truncated', bytes.subarray(0, Math.floor(bytes.length * 0.7))],
      ['random', Buffer.from('hello, this is not a backup')],
      ['foreign-gzip', gzipSync(Buffer.from('EARSHOT-BACKUP\n\u0000\u0000\u0000\u0002{}'))],
    ];
    for (const [name, content] of cases) {
      const f = path.join(work, `${name}.earshot-backup`);
      await writeFile(f, content);
      const r = await npmRun(['restore', '--', f], env);
      expect(r.code, `${name}: ${r.stdout}`).not.toBe(0);
      expect(r.stderr, name).toMatch(/not a valid Earshot backup/);
      expect(existsSync(path.join(dataDir, 'pglite')), name).toBe(false);
      expect(existsSync(path.join(dataDir, 'storage')), name).toBe(false);
      expect(
        (await readdir(dataDir).catch(() => [])).filter((f) => f !== 'pglite.lock' && f !== 'secrets.json'),
        name,
      ).toEqual([]);
    }

    const restored = await npmRun(['restore', '--', archive], env);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/restored into/);
    expect(await dbSnapshot(dataDir)).toEqual(dbBefore);
    expect(await storageHashes(path.join(dataDir, 'storage'))).toEqual(filesBefore);
    expect(await readFile(path.join(dataDir, 'secrets.json'), 'utf8')).toBe(secretsBefore);
    expect((await readdir(dataDir)).filter((f) => f.startsWith('.restore-'))).toEqual([]);

    // A second restore would replace data: only with --yes.
    const again = await npmRun(['restore', '--', archive], env);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/already holds a database or files: pass --yes/);

    // The server on the restored folder: the user signs in, the track plays the same bytes.
    server = await startServer(env);
    try {
      const login = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: 'drill-artist@example.test',
          password: `plum ${'drill-artist'.length} violet kettle harbour`,
        }),
      });
      expect(login.status).toBe(200);
      const track = await waitUntilReady(base, artist.token, uploaded.id);
      expect(track.title).toBe('Drill Tone');
      const mediaAfter = await media(base, uploaded.id);
      expect(mediaAfter.playlist).toBe(mediaBefore.playlist);
      expect(mediaAfter.segment.equals(mediaBefore.segment)).toBe(true);
      const busyRestore = await npmRun(['restore', '--', '--yes', archive], env);
      expect(busyRestore.code).not.toBe(0);
      expect(busyRestore.stderr).toMatch(/stop the server first/);
    } finally {
      await stopServer(server);
    }
  }, 1_800_000);
});

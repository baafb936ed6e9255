import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { createDatabase } from '@earshot/db';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const run = promisify(execFile);
let dir: string;
afterAll(async () => dir && rm(dir, { recursive: true, force: true }));

it('`npm run admin:create -- <email>` creates an admin and prints a one-time reset link, never a password', async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-admin-cli-'));
  const env = {
    ...process.env,
    DATA_DIR: dir,
    PUBLIC_URL: 'https://music.example.test',
    DATABASE_URL: '',
    REDIS_URL: '',
    MINIO_ENDPOINT: '',
  };
  const { stdout } = await run('npm', ['run', '-s', 'admin:create', '--', 'Boss@Example.test'], { cwd: ROOT, env });
  expect(stdout).toMatch(/boss@example\.test \(@boss\) created\./);
  expect(stdout).toMatch(/https:\/\/music\.example\.test\/reset-password\?token=[\w-]{43}/);
  expect(stdout).not.toMatch(/password:|\$argon2/i);
  const usage = await run('npm', ['run', '-s', 'admin:create'], { cwd: ROOT, env }).catch(
    (e: { code: number; stderr: string }) => e,
  );
  expect((usage as { code: number }).code).toBe(2);

  const db = await createDatabase({ pgliteDir: path.join(dir, 'pglite') });
  try {
    const row = await db.db
      .selectFrom('users')
      .select(['role', 'email_verified_at'])
      .where('email', '=', 'boss@example.test')
      .executeTakeFirstOrThrow();
    expect(row.role).toBe('admin');
  } finally {
    await db.close();
  }
});

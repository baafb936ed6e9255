/**
 * The accounts services on PGlite with a test clock (no waiting on the wall clock): lockout
 * backoff, token expiry and single use, the admin bootstrap. Mails go to the file mailer.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, migrateToLatest, type DatabaseHandle } from '@earshot/db';
import { FileMailer } from '@earshot/mail';
import { argon2idHasher } from '@earshot/passwords';
import { MemoryRateLimiter } from '@earshot/rate-limit';
import { createObjectStore } from '@earshot/storage';
import {
  SessionTokens,
  authenticateSession,
  createOrPromoteAdmin,
  login,
  register,
  requestPasswordReset,
  resetPassword,
  sha256Hex,
  verifyEmail,
  type CoreDeps,
} from '../../src/index.ts';

let dir: string;
let handle: DatabaseHandle;
let deps: Omit<
  CoreDeps,
  | 'jobs'
  | 'progress'
  | 'media'
  | 'ipHashSalt'
  | 'payments'
  | 'commerce'
  | 'encodeDownload'
  | 'scratchDir'
  | 'cache'
  | 'searchCache'
  | 'playsRetentionDays'
  | 'unsubscribeSecret'
>;
let nowMs = Date.parse('2026-03-01T12:00:00Z');
const advance = (ms: number) => (nowMs += ms);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-accounts-'));
  handle = await createDatabase({ pgliteDir: 'memory://' });
  await migrateToLatest(handle.db);
  const clock = () => new Date(nowMs);
  deps = {
    db: handle.db,
    passwords: argon2idHasher,
    tokens: new SessionTokens('test-secret-'.repeat(4), 3600, clock),
    mailer: new FileMailer(path.join(dir, 'mail'), 'noreply@example.test', { info: () => undefined }, clock),
    limiter: new MemoryRateLimiter(() => nowMs),
    store: createObjectStore({ kind: 'local', root: path.join(dir, 'storage'), bucketPrefix: '' }),
    clock,
    publicUrl: 'https://music.example.test',
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
  };
});
afterAll(async () => {
  await handle.close();
  await rm(dir, { recursive: true, force: true });
});

async function lastLinkTo(to: string): Promise<URL> {
  const files = (await readdir(path.join(dir, 'mail'))).filter((f) => f.endsWith(`-${to}.eml`)).sort();
  const mail = await simpleParser(await readFile(path.join(dir, 'mail', files.at(-1)!)));
  return new URL(/https:\/\/\S+/.exec(mail.text ?? '')![0]);
}

describe('login lockout with backoff', () => {
  it('5 failures lock for 1 minute, the next failure for 2; success clears it', async () => {
    await register(deps, { email: 'lock@example.test', password: 'the real passphrase', handle: 'lock-me' });
    const attempt = (password: string) => login(deps, { email: 'lock@example.test', password });
    for (let i = 0; i < 5; i++) await expect(attempt('wrong guess ' + i)).rejects.toMatchObject({ status: 401 });
    await expect(attempt('the real passphrase')).rejects.toMatchObject({
      status: 429,
      code: 'account_locked',
      details: { retryAfterSeconds: 60 },
    });
    advance(59_000);
    await expect(attempt('the real passphrase')).rejects.toMatchObject({
      status: 429,
      details: { retryAfterSeconds: 1 },
    });
    advance(1_000);
    await expect(attempt('wrong again')).rejects.toMatchObject({ status: 401 });
    await expect(attempt('the real passphrase')).rejects.toMatchObject({
      status: 429,
      details: { retryAfterSeconds: 120 },
    });
    advance(120_000);
    const ok = await attempt('the real passphrase');
    expect(ok.user.handle).toBe('lock-me');
    // Cleared: five more failures are needed to lock again.
    for (let i = 0; i < 4; i++) await expect(attempt('wrong ' + i)).rejects.toMatchObject({ status: 401 });
    await expect(attempt('the real passphrase')).resolves.toBeTruthy();
  });

  it('unknown addresses are counted the same way (no enumeration by lockout)', async () => {
    for (let i = 0; i < 5; i++)
      await expect(login(deps, { email: 'ghost@example.test', password: 'whatever it is' })).rejects.toMatchObject({
        status: 401,
      });
    await expect(login(deps, { email: 'GHOST@example.test', password: 'whatever it is' })).rejects.toMatchObject({
      status: 429,
    });
  });
});

describe('mailed tokens', () => {
  it('verification links are stored hashed, expire after 48 h, and work once', async () => {
    const r = await register(deps, {
      email: 'verify@example.test',
      password: 'confirm my address',
      handle: 'verify-me',
    });
    const first = (await lastLinkTo('verify@example.test')).searchParams.get('token')!;
    const row = await handle.db
      .selectFrom('account_tokens')
      .selectAll()
      .where('user_id', '=', r.user.id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(sha256Hex(first));
    expect(row.expires_at.getTime() - nowMs).toBe(48 * 3600_000);
    advance(48 * 3600_000 + 1);
    await expect(verifyEmail(deps, first)).rejects.toMatchObject({ status: 400, code: 'invalid_token' });
  });

  it('reset links expire after an hour, work once, and end existing sessions', async () => {
    const r = await register(deps, {
      email: 'reset@example.test',
      password: 'old passphrase here',
      handle: 'forgetful',
    });
    await requestPasswordReset(deps, 'reset@example.test');
    const token = (await lastLinkTo('reset@example.test')).searchParams.get('token')!;
    advance(59 * 60_000);
    await resetPassword(deps, { token, password: 'new passphrase here' });
    await expect(authenticateSession(deps, r.token)).rejects.toMatchObject({ status: 401 });
    await expect(resetPassword(deps, { token, password: 'newer passphrase here' })).rejects.toMatchObject({
      code: 'invalid_token',
    });
    await expect(login(deps, { email: 'reset@example.test', password: 'new passphrase here' })).resolves.toBeTruthy();

    await requestPasswordReset(deps, 'reset@example.test');
    const late = (await lastLinkTo('reset@example.test')).searchParams.get('token')!;
    advance(60 * 60_000 + 1);
    await expect(resetPassword(deps, { token: late, password: 'too late passphrase' })).rejects.toMatchObject({
      code: 'invalid_token',
    });
  });

  it.each(['', 'short', 'x'.repeat(500), "' or 1=1 --", '../../etc/passwd'])(
    'garbage token %j → 400',
    async (token) => {
      await expect(verifyEmail(deps, token)).rejects.toMatchObject({ status: 400, code: 'invalid_token' });
      await expect(resetPassword(deps, { token, password: 'a fine passphrase' })).rejects.toMatchObject({
        status: 400,
        code: 'invalid_token',
      });
    },
  );
});

describe('first admin', () => {
  it('creates an admin with a password nobody knows, and a one-time reset link to choose one', async () => {
    const r = await createOrPromoteAdmin(deps, 'Ops@Example.test');
    expect(r).toMatchObject({ created: true, user: { role: 'admin', email: 'ops@example.test', handle: 'ops' } });
    const url = new URL(r.resetUrl);
    expect(url.origin + url.pathname).toBe('https://music.example.test/reset-password');
    await resetPassword(deps, { token: url.searchParams.get('token')!, password: 'operator passphrase' });
    await expect(login(deps, { email: 'ops@example.test', password: 'operator passphrase' })).resolves.toMatchObject({
      user: { role: 'admin' },
    });
  });

  it('promotes an existing account, keeping its password', async () => {
    await register(deps, { email: 'later-admin@example.test', password: 'keeps this one', handle: 'later' });
    const r = await createOrPromoteAdmin(deps, 'later-admin@example.test');
    expect(r).toMatchObject({ created: false, promoted: true, user: { role: 'admin', handle: 'later' } });
    await expect(login(deps, { email: 'later-admin@example.test', password: 'keeps this one' })).resolves.toMatchObject(
      { user: { role: 'admin' } },
    );
    expect((await createOrPromoteAdmin(deps, 'later-admin@example.test')).promoted).toBe(false);
  });

  it('a reserved local part gets a usable handle', async () => {
    const r = await createOrPromoteAdmin(deps, 'admin@example.test');
    expect(r.user.handle).toMatch(/^admin-admin/);
  });
});

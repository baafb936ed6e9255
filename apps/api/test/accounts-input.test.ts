/**
 * Bad input to the accounts routes gets a clear 4xx, and nothing is stored half-way. Also the
 * profile, avatar (real images through sharp, in local storage), public profile and admin routes
 * (a user's tracks: users.test.ts).
 * PGlite in memory.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { useTestApi } from '../../../test/support/use-test-api.ts';
import { bearer, cookieHeaders, createUser, sessionFor } from './support/accounts.ts';
import { multipartFile } from './support/multipart.ts';

let ipSeq = 1;
const nextIp = () => `198.18.${ipSeq >> 8}.${ipSeq++ & 255}`;

const api = useTestApi({ api: { serveMedia: true } });

const userCount = async () =>
  Number(
    (
      await api.t.infra.database.db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const register = (payload: unknown) =>
  api.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: payload as object, remoteAddress: nextIp() });
const good = { email: 'good@example.test', password: 'a decent passphrase', handle: 'good-handle' };

describe('registration refuses bad input with a 4xx naming the field, and stores nothing', () => {
  const cases: Array<[string, Record<string, unknown>, number, string | undefined]> = [
    ['SQL in the email', { email: "x'; drop table users; --@example.test" }, 400, 'email'],
    ['script in the email', { email: '<script>alert(1)</script>@example.test' }, 400, 'email'],
    ['SQL in the handle', { handle: "a'; drop table users; --" }, 400, 'handle'],
    ['HTML in the handle', { handle: '<b>bold</b>' }, 400, 'handle'],
    ['Cyrillic look-alike handle', { handle: 'аdmin' }, 400, 'handle'],
    ['Greek look-alike handle', { handle: 'ορen' }, 400, 'handle'],
    ['full-width reserved handle (NFKC → admin)', { handle: 'ａｄｍｉｎ' }, 400, 'handle'],
    ['reserved handle', { handle: 'settings' }, 400, 'handle'],
    ['reserved handle in capitals', { handle: 'API' }, 400, 'handle'],
    ['handle with a slash', { handle: 'a/b' }, 400, 'handle'],
    ['one-letter handle', { handle: 'a' }, 400, 'handle'],
    ['zero-width space in the handle', { handle: 'ab\u200bcd' }, 400, 'handle'],
    ['short password', { password: 'short1' }, 400, 'password'],
    ['common password', { password: 'qwertyuiop' }, 400, 'password'],
    ['common password in capitals', { password: 'PASSWORD123' }, 400, 'password'],
    ['password made of the handle', { password: 'good-handle-2024' }, 400, 'password'],
    ['missing password', { password: undefined }, 400, 'password'],
    ['unknown role', { role: 'admin' }, 400, 'role'],
    ['extra property', { isAdmin: true }, 400, 'isAdmin'],
    ['email not a string', { email: { $ne: null } }, 400, 'email'],
    ['bidi override in the display name', { displayName: 'evil\u202Egnp.exe' }, 400, 'displayName'],
    ['display name too long', { displayName: 'x'.repeat(101) }, 400, 'displayName'],
  ];

  it.each(cases)('%s', async (_name, patch, status, field) => {
    const before = await userCount();
    const res = await register({ ...good, ...patch });
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/json/);
    const body = res.json();
    expect(body.error.code).toMatch(/validation_failed|handle_reserved/);
    expect(body.error.details?.field).toBe(field);
    expect(await userCount()).toBe(before);
  });

  it('10 MB strings → 413, never 500', async () => {
    for (const field of ['email', 'password', 'handle', 'displayName']) {
      const res = await register({ ...good, [field]: 'x'.repeat(10 * 1024 * 1024) });
      expect(res.statusCode, field).toBe(413);
      expect(res.json().error.code).toBe('payload_too_large');
    }
  });

  it('strings just under the body limit but over a field limit → 400 naming the field', async () => {
    const res = await register({ ...good, password: 'x'.repeat(100_000) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.field).toBe('password');
  });

  it('HTML and script in the display name are kept as text (the web app escapes on output)', async () => {
    const res = await register({
      email: 'html@example.test',
      password: 'another decent one',
      handle: 'html-person',
      displayName: '<img src=x onerror=alert(1)> & "quotes"',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().user.displayName).toBe('<img src=x onerror=alert(1)> & "quotes"');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });

  it('duplicate emails differing in case → 409 email_taken; duplicate handles → 409 handle_taken; nothing stored', async () => {
    expect(
      (await register({ email: 'Dup@Example.test', password: 'first of the two', handle: 'dup-one' })).statusCode,
    ).toBe(201);
    const before = await userCount();
    const dupEmail = await register({ email: 'dUP@example.TEST', password: 'second of the two', handle: 'dup-two' });
    expect(dupEmail.statusCode).toBe(409);
    expect(dupEmail.json().error).toMatchObject({ code: 'email_taken', details: { field: 'email' } });
    const dupHandle = await register({ email: 'other@example.test', password: 'second of the two', handle: 'DUP-ONE' });
    expect(dupHandle.statusCode).toBe(409);
    expect(dupHandle.json().error).toMatchObject({ code: 'handle_taken', details: { field: 'handle' } });
    expect(await userCount()).toBe(before);
    // And no verification token was left behind for a user that does not exist.
    const orphans = await api.t.infra.database.db
      .selectFrom('account_tokens')
      .leftJoin('users', 'users.id', 'account_tokens.user_id')
      .where('users.id', 'is', null)
      .select('account_tokens.id')
      .execute();
    expect(orphans).toEqual([]);
  });

  it('malformed JSON and wrong content types', async () => {
    const postRaw = (url: string, contentType: string, payload: string) =>
      api.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': contentType },
        payload,
        remoteAddress: nextIp(),
      });
    const bad = await postRaw('/api/v1/auth/register', 'application/json', '{"email":');
    expect(bad.statusCode).toBe(400);
    const form = await postRaw('/api/v1/auth/login', 'application/x-www-form-urlencoded', 'email=a&password=b');
    expect(form.statusCode).toBe(415);
  });

  it('mails of accounts without SMTP are written under DATA_DIR/mail', async () => {
    const files = await readdir(path.join(api.t.dataDir, 'mail'));
    expect(files.some((f) => f.endsWith('-html@example.test.eml'))).toBe(true);
  });
});

describe('profile edits', () => {
  it('handle, display name and bio: validated, lower-cased, unique; SQL and HTML stay text', async () => {
    const u = await createUser(api.t.infra.database.db, 'artist');
    await createUser(api.t.infra.database.db, 'listener', { handle: 'already-mine' });
    const s = cookieHeaders(await sessionFor(api.t.infra.database.db, api.t.config, u.id));
    const patch = (payload: object) => api.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: s, payload });
    const ok = await patch({
      handle: 'New-Name',
      displayName: '  Robert ); DROP TABLE users;--  ',
      bio: '<script>alert("x")</script>\nsecond line',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user).toMatchObject({
      handle: 'new-name',
      displayName: 'Robert ); DROP TABLE users;--',
      bio: '<script>alert("x")</script>\nsecond line',
    });
    expect((await patch({ handle: 'Already-Mine' })).json().error).toMatchObject({
      code: 'handle_taken',
      details: { field: 'handle' },
    });
    expect((await patch({ handle: 'tracks' })).statusCode).toBe(400);
    expect((await patch({ bio: 'x'.repeat(2001) })).json().error.details.field).toBe('bio');
    expect((await patch({ displayName: '   ' })).json().error.details.field).toBe('displayName');
    const pub = await api.app.inject('/api/v1/users/NEW-NAME');
    expect(pub.statusCode).toBe(200);
    expect(pub.json().user).not.toHaveProperty('email');
    expect(JSON.stringify(pub.json())).not.toContain('@example.test');
    expect((await api.app.inject('/api/v1/users/nobody-at-all')).statusCode).toBe(404);
    expect((await api.app.inject('/api/v1/users/%3Cscript%3E')).statusCode).toBe(404);
  });

  it('a listener becomes an artist', async () => {
    const u = await createUser(api.t.infra.database.db, 'listener');
    const { token } = await sessionFor(api.t.infra.database.db, api.t.config, u.id);
    const res = await api.app.inject({ method: 'POST', url: '/api/v1/me/become-artist', headers: bearer(token) });
    expect(res.json().user.role).toBe('artist');
    const upload = await api.app.inject({ method: 'POST', url: '/api/v1/tracks', headers: bearer(token), payload: {} });
    expect(upload.statusCode).toBe(415); // allowed now: refused only for not being multipart
  });
});

describe('avatars', () => {
  const multipart = (field: string, filename: string, type: string, body: Buffer) =>
    multipartFile(field, body, filename, type);
  const objectsOf = async (userId: string) => {
    const out: string[] = [];
    for await (const o of api.t.infra.store.list('images', `avatars/user-${userId}/`)) out.push(o.key);
    return out;
  };
  /** `PUT /me/avatar` of the multipart body `m`, signed in with `token`. */
  const putAvatar = (token: string, m: { payload: Buffer; headers: Record<string, string> }) =>
    api.app.inject({
      method: 'PUT',
      url: '/api/v1/me/avatar',
      payload: m.payload,
      headers: { ...m.headers, ...bearer(token) },
    });

  it('stores two WebP sizes, serves them, and deletes the old ones on replacement', async () => {
    const u = await createUser(api.t.infra.database.db, 'artist');
    const { token } = await sessionFor(api.t.infra.database.db, api.t.config, u.id);
    const photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#3a6' } })
      .jpeg()
      .toBuffer();
    const first = await putAvatar(token, multipart('avatar', 'me.jpg', 'image/jpeg', photo));
    expect(first.statusCode).toBe(200);
    const user = first.json().user;
    expect(user.avatarUrl).toMatch(/^\/images\/avatars\/user-\d+\/[\w]+-512\.webp$/);
    expect(user.avatarSmallUrl).toMatch(/-128\.webp$/);
    for (const [url, size] of [
      [user.avatarUrl, 512],
      [user.avatarSmallUrl, 128],
    ] as const) {
      const img = await api.app.inject(url);
      expect(img.statusCode).toBe(200);
      expect(img.headers['content-type']).toBe('image/webp');
      const meta = await sharp(img.rawPayload).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', size, size]);
    }
    expect(await objectsOf(u.id)).toHaveLength(2);

    const png = await sharp({ create: { width: 300, height: 300, channels: 4, background: '#00f8' } })
      .png()
      .toBuffer();
    const second = await putAvatar(token, multipart('avatar', 'x.png', 'image/png', png));
    expect(second.statusCode).toBe(200);
    const keys = await objectsOf(u.id);
    expect(keys).toHaveLength(2);
    expect(keys.every((k) => second.json().user.avatarUrl.includes(k.split('/').pop()!.replace('-128', '-512')))).toBe(
      true,
    );
    expect((await api.app.inject(user.avatarUrl)).statusCode).toBe(404);

    const removed = await api.app.inject({ method: 'DELETE', url: '/api/v1/me/avatar', headers: bearer(token) });
    expect(removed.json().user.avatarUrl).toBeNull();
    expect(await objectsOf(u.id)).toEqual([]);
  });

  it('refuses what is not an image (whatever its name and type), oversize files, and wrong fields; keeps nothing', async () => {
    const u = await createUser(api.t.infra.database.db, 'listener');
    const { token } = await sessionFor(api.t.infra.database.db, api.t.config, u.id);
    const put = (m: { payload: Buffer; headers: Record<string, string> }) => putAvatar(token, m);
    const html = await put(
      multipart('avatar', 'me.png', 'image/png', Buffer.from('<html><script>alert(1)</script></html>')),
    );
    expect(html.statusCode).toBe(422);
    expect(html.json().error).toMatchObject({ code: 'invalid_image', details: { field: 'avatar' } });
    const truncated = (
      await sharp({ create: { width: 64, height: 64, channels: 3, background: '#123' } })
        .jpeg()
        .toBuffer()
    ).subarray(0, 200);
    expect((await put(multipart('avatar', 'cut.jpg', 'image/jpeg', truncated))).statusCode).toBe(422);
    expect((await put(multipart('avatar', 'empty.png', 'image/png', Buffer.alloc(0)))).statusCode).toBe(422);
    const big = await put(multipart('avatar', 'big.png', 'image/png', Buffer.alloc(10 * 1024 * 1024 + 10, 1)));
    expect(big.statusCode).toBe(413);
    expect((await put(multipart('photo', 'x.png', 'image/png', Buffer.from('x')))).statusCode).toBe(400);
    // A decompression bomb: tiny file, huge declared size.
    const bomb = await sharp({ create: { width: 10000, height: 10000, channels: 3, background: '#000' } })
      .png({ compressionLevel: 9, palette: true })
      .toBuffer();
    expect(bomb.length).toBeLessThan(10 * 1024 * 1024);
    expect((await put(multipart('avatar', 'bomb.png', 'image/png', bomb))).statusCode).toBe(422);
    expect(await objectsOf(u.id)).toEqual([]);
    const me = await api.app.inject({ url: '/api/v1/auth/me', headers: bearer(token) });
    expect(me.json().user.avatarUrl).toBeNull();
  });
});

describe('admins disable and enable accounts', () => {
  it('a disabled user is signed out at once and cannot sign in; enabled again, they can', async () => {
    const db = api.t.infra.database.db;
    const admin = await createUser(db, 'admin');
    const target = await createUser(db, 'artist');
    const adminToken = (await sessionFor(db, api.t.config, admin.id)).token;
    const targetToken = (await sessionFor(db, api.t.config, target.id)).token;
    const off = await api.app.inject({
      method: 'POST',
      url: `/api/v1/admin/users/${target.id}/disable`,
      headers: bearer(adminToken),
    });
    expect(off.statusCode).toBe(200);
    expect((await api.app.inject({ url: '/api/v1/auth/me', headers: bearer(targetToken) })).statusCode).toBe(401);
    const login = () =>
      api.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: target.email, password: target.password },
        remoteAddress: nextIp(),
      });
    expect((await login()).statusCode).toBe(403);
    expect((await api.app.inject(`/api/v1/users/${target.handle}`)).statusCode).toBe(404);
    expect(
      (
        await api.app.inject({
          method: 'POST',
          url: `/api/v1/admin/users/${target.id}/enable`,
          headers: bearer(adminToken),
        })
      ).statusCode,
    ).toBe(200);
    expect((await login()).statusCode).toBe(200);
    expect(
      (
        await api.app.inject({
          method: 'POST',
          url: `/api/v1/admin/users/${admin.id}/disable`,
          headers: bearer(adminToken),
        })
      ).json().error.code,
    ).toBe('cannot_target_self');
    expect(
      (
        await api.app.inject({
          method: 'POST',
          url: '/api/v1/admin/users/99999999/disable',
          headers: bearer(adminToken),
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await api.app.inject({ method: 'POST', url: '/api/v1/admin/users/abc/disable', headers: bearer(adminToken) }))
        .statusCode,
    ).toBe(400);
  });
});

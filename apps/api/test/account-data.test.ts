/**
 * The account's data (docs/architecture.md, "Privacy"), on PGlite and PostgreSQL with real
 * storage: the export ZIP holds every JSON file and the original upload byte for byte; deletion
 * needs the password, removes the rows and every stored object of the account (the store is
 * listed before and after), keeps comments as "deleted user" and orders without personal data.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import { BUCKETS, keys } from '@earshot/storage';
import { addPlaylist, createReadyTrack, createTestApi, type TestApi } from '../../../test/support/factories.ts';
import { readZip } from '../../../test/support/zip.ts';
import { cookieHeaders, createUser, sessionFor, type TestUser } from './support/accounts.ts';

describe.each(['pglite', 'postgres'] as const)('account export and deletion (%s)', (database) => {
  let api: TestApi;
  let db: Kysely<Database>;
  let artist: TestUser;
  let neighbour: TestUser;
  let track: { id: string; versionId: string };
  let neighbourTrack: { id: string; versionId: string };
  const original = randomBytes(300_000);
  let commentId: string;
  let orderId: string;
  let ip = 0;
  let releaseId = '';

  async function as(user: TestUser | null, method: 'GET' | 'DELETE', url: string, payload?: unknown) {
    const headers = user ? cookieHeaders(await sessionFor(db, api.t.config, user.id)) : {};
    // Each call from its own address: these routes sit in the strict `auth` rate zone.
    return api.app.inject({
      method,
      url,
      payload: payload as object | undefined,
      headers,
      remoteAddress: `10.7.${(ip = (ip + 1) % 250)}.1`,
    });
  }

  async function storeListing(): Promise<string[]> {
    const all: string[] = [];
    for (const bucket of BUCKETS) for await (const o of api.t.infra.store.list(bucket)) all.push(`${bucket}/${o.key}`);
    return all.sort();
  }

  async function putMedia(versionId: string, trackId: string, body: Buffer) {
    const store = api.t.infra.store;
    await db
      .updateTable('track_versions')
      .set({ original_key: keys.original(versionId, 'wav'), original_filename: 'My Song (final).wav' })
      .where('id', '=', versionId)
      .execute();
    await store.put('originals', keys.original(versionId, 'wav'), body);
    await store.put('transcodes', keys.hlsMaster(versionId), '#EXTM3U\n');
    await store.put('transcodes', `${keys.hlsPrefix(versionId)}128k/seg_001.m4s`, 'segment');
    await store.put('waveforms', keys.waveform(versionId, 'A'.repeat(22)), '{}');
    await store.put('images', keys.versionArtwork(versionId, 'B'.repeat(22), 500, 'jpg'), 'jpg');
    await store.put('images', `track-artwork/track-${trackId}/${'C'.repeat(22)}-512.webp`, 'webp');
  }

  beforeAll(async () => {
    api = await createTestApi({ infra: { database } });
    db = api.db;
    artist = await createUser(db, 'artist');
    neighbour = await createUser(db, 'artist');
    track = await createReadyTrack(db, artist.id, 'my-song');
    neighbourTrack = await createReadyTrack(db, neighbour.id, 'their-song');
    await putMedia(track.versionId, track.id, original);
    await putMedia(neighbourTrack.versionId, neighbourTrack.id, randomBytes(1000));
    await db
      .updateTable('users')
      .set({ avatar_key: `avatars/user-${artist.id}/1-512.webp` })
      .where('id', '=', artist.id)
      .execute();
    await api.t.infra.store.put('images', `avatars/user-${artist.id}/1-512.webp`, 'avatar');
    await api.t.infra.store.put('images', `avatars/user-${neighbour.id}/1-512.webp`, 'avatar');
    const release = await db
      .insertInto('releases')
      .values({
        owner_user_id: artist.id,
        title: 'First EP',
        slug: 'first-ep',
        type: 'ep',
        artwork_key: 'release-artwork/release-0/x-512.webp',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .updateTable('releases')
      .set({ artwork_key: `release-artwork/release-${release.id}/${'D'.repeat(22)}-512.webp` })
      .where('id', '=', release.id)
      .execute();
    await api.t.infra.store.put('images', `release-artwork/release-${release.id}/${'D'.repeat(22)}-512.webp`, 'webp');
    releaseId = release.id;
    commentId = (
      await db
        .insertInto('comments')
        .values({ track_id: neighbourTrack.id, user_id: artist.id, body: 'Lovely bridge', position_ms: 5000 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const reply = await db
      .insertInto('comments')
      .values({
        track_id: neighbourTrack.id,
        user_id: neighbour.id,
        parent_id: commentId,
        body: 'Thanks!',
        position_ms: 5000,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(reply.id).toBeTruthy();
    await db.insertInto('likes').values({ user_id: artist.id, track_id: neighbourTrack.id }).execute();
    await addPlaylist(db, artist.id, 'Road trip', [neighbourTrack.id]);
    orderId = (
      await db
        .insertInto('orders')
        .values({
          item_type: 'track',
          track_id: neighbourTrack.id,
          item_title: 'their-song',
          seller_user_id: neighbour.id,
          buyer_user_id: artist.id,
          buyer_email: artist.email,
          amount_minor: 500,
          currency: 'EUR',
          status: 'paid',
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    await db
      .insertInto('plays')
      .values({
        track_id: neighbourTrack.id,
        version_id: neighbourTrack.versionId,
        user_id: artist.id,
        ip_hash: 'a'.repeat(64),
        seconds_listened: 42,
      })
      .execute();
  });
  afterAll(async () => api?.close());

  it('exports a ZIP with the JSON files and the original upload byte for byte', async () => {
    expect((await as(null, 'GET', '/api/v1/me/export')).statusCode).toBe(401);
    const res = await as(artist, 'GET', '/api/v1/me/export');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="earshot-.+\.zip"$/);
    const files = await readZip(res.rawPayload);
    const json = (name: string) => JSON.parse(files.get(name)!.toString('utf8'));
    expect([...files.keys()].sort()).toEqual(
      [
        'comments.json',
        'likes.json',
        'playlists.json',
        'plays.json',
        'profile.json',
        'purchases.json',
        'tracks.json',
        `originals/track-${track.id}/version-${track.versionId}-My Song _final_.wav`,
      ].sort(),
    );
    expect(
      files.get(`originals/track-${track.id}/version-${track.versionId}-My Song _final_.wav`)!.equals(original),
    ).toBe(true);
    expect(json('profile.json').user).toMatchObject({ id: artist.id, email: artist.email, handle: artist.handle });
    expect(JSON.stringify(json('profile.json'))).not.toContain('password');
    expect(json('tracks.json')).toMatchObject([{ id: track.id, slug: 'my-song', versions: [{ id: track.versionId }] }]);
    expect(json('comments.json')).toMatchObject([{ id: commentId, body: 'Lovely bridge' }]);
    expect(json('likes.json')).toMatchObject([{ track_id: neighbourTrack.id }]);
    expect(json('playlists.json')).toMatchObject([{ title: 'Road trip', tracks: [{ track_id: neighbourTrack.id }] }]);
    expect(json('purchases.json')).toMatchObject([{ id: orderId, amount_minor: 500 }]);
    expect(json('plays.json')).toMatchObject([{ track_id: neighbourTrack.id, seconds_listened: 42 }]);
    expect(JSON.stringify(json('plays.json'))).not.toContain('ip_hash');
  });

  it('deletion needs the password, then leaves nothing of the account in storage or the database', async () => {
    const before = await storeListing();
    const mine = (k: string) =>
      k.includes(`version-${track.versionId}/`) ||
      k.includes(`track-${track.id}/`) ||
      k.includes(`user-${artist.id}/`) ||
      k.includes(`release-${releaseId}/`);
    expect(before.filter(mine).length).toBe(8);

    for (const payload of [{ password: 'wrong password' }, {}, { password: '' }, { password: 'x', extra: 1 }]) {
      const res = await as(artist, 'DELETE', '/api/v1/me', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect(await storeListing()).toEqual(before);
    expect(await db.selectFrom('users').select('id').where('id', '=', artist.id).executeTakeFirst()).toBeDefined();

    const oldSession = cookieHeaders(await sessionFor(db, api.t.config, artist.id));
    const res = await as(artist, 'DELETE', '/api/v1/me', { password: artist.password });
    expect(res.statusCode).toBe(204);
    expect(String(res.headers['set-cookie'])).toMatch(/session=;/);

    const after = await storeListing();
    expect(after.filter(mine)).toEqual([]);
    // Nothing else went.
    expect(after).toEqual(before.filter((k) => !mine(k)));

    expect(await db.selectFrom('users').select('id').where('id', '=', artist.id).executeTakeFirst()).toBeUndefined();
    expect(await db.selectFrom('tracks').select('id').where('owner_user_id', '=', artist.id).execute()).toEqual([]);
    expect(await db.selectFrom('track_versions').select('id').where('id', '=', track.versionId).execute()).toEqual([]);
    expect(await db.selectFrom('playlists').select('id').where('owner_user_id', '=', artist.id).execute()).toEqual([]);
    expect(await db.selectFrom('likes').select('track_id').where('user_id', '=', artist.id).execute()).toEqual([]);
    // The thread survives under "deleted user"; the order stays without who bought it.
    expect(
      await db.selectFrom('comments').select(['user_id', 'body']).where('id', '=', commentId).executeTakeFirst(),
    ).toEqual({ user_id: null, body: 'Lovely bridge' });
    expect(await db.selectFrom('comments').select('id').where('parent_id', '=', commentId).execute()).toHaveLength(1);
    expect(
      await db
        .selectFrom('orders')
        .select(['buyer_user_id', 'buyer_email', 'amount_minor', 'seller_user_id'])
        .where('id', '=', orderId)
        .executeTakeFirst(),
    ).toEqual({
      buyer_user_id: null,
      buyer_email: null,
      amount_minor: 500,
      seller_user_id: neighbour.id,
    });
    // The old session is worthless.
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: oldSession })).statusCode).toBe(401);
  });
});

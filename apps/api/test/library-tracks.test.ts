/**
 * Managing a published track over HTTP, on PGlite and PostgreSQL: edit (a new title moves the slug,
 * the old address still finds the track), hostile edits refused with nothing written, artwork by
 * the avatar rules, the current version, and delete — every row and every stored object of every
 * version (the store is listed before and after), a sold track refused unless the artist confirms
 * buyers keep access, and then retired: gone for everyone, the buyers' original kept.
 */
import sharp from 'sharp';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@earshot/db';
import { BUCKETS, keys, type ObjectStore } from '@earshot/storage';
import type { Api } from '../src/index.ts';
import {
  addPlaylist,
  addTrackVersion,
  createReadyTrack,
  createTestApi,
  type TestApi,
} from '../../../test/support/factories.ts';
import { multipartFile } from './support/multipart.ts';
import { cookieHeaders, createUser, sessionFor, type TestUser } from './support/accounts.ts';

/** Every object in every bucket, as `bucket/key`. */
async function everyObject(store: ObjectStore): Promise<string[]> {
  const out: string[] = [];
  for (const bucket of BUCKETS) for await (const o of store.list(bucket)) out.push(`${bucket}/${o.key}`);
  return out.sort();
}

/** What the worker leaves for a version: original, HLS renditions and segments, waveform, artwork. */
async function storeVersionMedia(store: ObjectStore, versionId: string, segments = 5): Promise<void> {
  await store.put('originals', keys.original(versionId, 'wav'), 'RIFF');
  await store.put('transcodes', keys.hlsMaster(versionId), '#EXTM3U\n');
  for (const rate of ['64k', '128k', '256k']) {
    await store.put('transcodes', `version-${versionId}/${rate}/playlist.m3u8`, '#EXTM3U\n');
    await store.put('transcodes', `version-${versionId}/${rate}/init.mp4`, 'init');
    for (let i = 0; i < segments; i++)
      await store.put('transcodes', `version-${versionId}/${rate}/seg_${String(i).padStart(3, '0')}.m4s`, 'seg');
  }
  await store.put('waveforms', keys.waveform(versionId, 'A'.repeat(22)), '{}');
  for (const size of [1000, 300])
    await store.put('images', keys.versionArtwork(versionId, 'B'.repeat(22), size, 'jpg'), 'jpg');
}

describe.each(['pglite', 'postgres'] as const)('managing tracks on %s', (database) => {
  let api: TestApi;
  let app: Api;
  let db: Kysely<Database>;
  let store: ObjectStore;
  let owner: TestUser;
  let other: TestUser;
  let admin: TestUser;
  let png: Buffer;
  const as = async (user: TestUser) => cookieHeaders(await sessionFor(db, api.t.config, user.id));
  /** `PATCH /tracks/:id` of `payload`, signed in as `user` (the owner unless said). */
  const patchTrack = async (id: string, payload: object, user: TestUser = owner) =>
    app.inject({ method: 'PATCH', url: `/api/v1/tracks/${id}`, headers: await as(user), payload });

  beforeAll(async () => {
    api = await createTestApi({ infra: { database } });
    app = api.app;
    db = api.db;
    store = api.t.infra.store;
    owner = await createUser(db, 'artist');
    other = await createUser(db, 'artist');
    admin = await createUser(db, 'admin');
    png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a6' } })
      .png()
      .toBuffer();
  }, 60_000);
  afterAll(async () => api?.close());

  it('edits metadata; a new title gives a new slug and the old address still finds the track', async () => {
    const t = await createReadyTrack(db, owner.id, 'song1');
    const res = await patchTrack(t.id, {
      title: 'Harbour Lights',
      description: 'By the sea',
      genre: ' Ambient ',
      tags: ['Field Recording', 'sea', 'sea'],
      downloadable: true,
      price: { amountMinor: 700, currency: 'eur', payWhatYouWant: true },
    });
    expect(res.statusCode, res.body).toBe(200);
    const track = res.json().track;
    expect(track).toMatchObject({
      title: 'Harbour Lights',
      slug: 'harbour-lights',
      genre: 'ambient',
      tags: ['field recording', 'sea'],
      downloadable: true,
      price: { amountMinor: 700, currency: 'EUR', payWhatYouWant: true },
    });
    const old = await app.inject(`/api/v1/users/${owner.handle}/tracks/song1`);
    expect(old.statusCode).toBe(200);
    expect(old.json().track).toMatchObject({ id: t.id, slug: 'harbour-lights' });
    // Back to the first title: the slug comes back, and its redirect is gone.
    const back = await patchTrack(t.id, { title: 'Song1' });
    expect(back.json().track.slug).toBe('song1');
    expect((await app.inject(`/api/v1/users/${owner.handle}/tracks/harbour-lights`)).json().track.id).toBe(t.id);
    // Not for sale any more.
    const free = await patchTrack(t.id, { price: null, genre: null });
    expect(free.json().track).toMatchObject({ price: null, genre: null });
  });

  it('refuses hostile edits with a clear 4xx and writes nothing', async () => {
    const t = await createReadyTrack(db, owner.id, 'untouched');
    const before = await db.selectFrom('tracks').selectAll().where('id', '=', t.id).executeTakeFirstOrThrow();
    const cases: Array<[unknown, number, string]> = [
      [{ title: '' }, 400, 'validation_failed'],
      [{ title: 'x'.repeat(201) }, 400, 'validation_failed'],
      [{ title: 'ok', genre: 'a\u0000b' }, 400, 'validation_failed'],
      [{ title: 'ok', tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, 400, 'validation_failed'],
      [{ title: 'ok', tags: ['a/b'] }, 400, 'validation_failed'],
      [{ title: 'ok', price: { amountMinor: 100, currency: 'ABC' } }, 400, 'validation_failed'],
      [{ title: 'ok', price: { amountMinor: -1, currency: 'EUR' } }, 400, 'validation_failed'],
      [{ title: 'ok', price: { amountMinor: 1.5, currency: 'EUR' } }, 400, 'validation_failed'],
      [{ title: 'ok', price: { amountMinor: 100_000_001, currency: 'EUR' } }, 400, 'validation_failed'],
      [{ title: 'ok', price: { amountMinor: 0, currency: 'EUR', payWhatYouWant: false } }, 400, 'validation_failed'],
      [{ title: 'ok', visibility: 'secret' }, 400, 'validation_failed'],
      [{ title: 'ok', ownerUserId: other.id }, 400, 'validation_failed'],
      [{ title: 'ok', description: 'evil\u202etxt.exe' }, 400, 'validation_failed'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await patchTrack(t.id, payload as object);
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(res.json().error.code, JSON.stringify(payload)).toBe(code);
    }
    expect(await db.selectFrom('tracks').selectAll().where('id', '=', t.id).executeTakeFirstOrThrow()).toEqual(before);
    // Someone else's track, an unknown id.
    expect((await patchTrack(t.id, { title: 'Mine now' }, other)).statusCode).toBe(403);
    expect((await patchTrack('987654321', { title: 'x' })).statusCode).toBe(404);
  });

  it('takes artwork by the avatar rules: not an image → 422 and nothing stored; an image → two sizes, the old ones removed', async () => {
    const t = await createReadyTrack(db, owner.id, 'with-art');
    const objects = await everyObject(store);
    const pdf = multipartFile('artwork', Buffer.from('%PDF-1.4 not an image'), 'cover.png');
    const bad = await app.inject({
      method: 'PUT',
      url: `/api/v1/tracks/${t.id}/artwork`,
      payload: pdf.payload,
      headers: { ...(await as(owner)), ...pdf.headers },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('invalid_image');
    expect(await everyObject(store)).toEqual(objects);

    const up = (body: Buffer) => {
      const m = multipartFile('artwork', body);
      return as(owner).then((h) =>
        app.inject({
          method: 'PUT',
          url: `/api/v1/tracks/${t.id}/artwork`,
          payload: m.payload,
          headers: { ...h, ...m.headers },
        }),
      );
    };
    const first = await up(png);
    expect(first.statusCode, first.body).toBe(200);
    const url1: string = first.json().track.artworkUrl;
    expect(url1).toMatch(new RegExp(`^/images/track-artwork/track-${t.id}/[A-Za-z0-9_-]{22}-1000\\.webp$`));
    const stored = (await everyObject(store)).filter((k) => k.startsWith(`images/track-artwork/track-${t.id}/`));
    expect(stored).toHaveLength(2);
    const second = await up(png);
    const after = (await everyObject(store)).filter((k) => k.startsWith(`images/track-artwork/track-${t.id}/`));
    expect(after).toHaveLength(2);
    expect(second.json().track.artworkUrl).not.toBe(url1);
  });

  it('sets the current version only to a ready version of the same track', async () => {
    const t = await createReadyTrack(db, owner.id, 'versions');
    const processing = await addTrackVersion(db, t.id, { status: 'processing', original_filename: 'b.wav' });
    const ready2 = await addTrackVersion(db, t.id, { original_key: 'y', original_filename: 'c.wav', hls_key: 'h' });
    const elsewhere = await createReadyTrack(db, other.id, 'elsewhere');
    const put = async (versionId: string) =>
      app.inject({
        method: 'PUT',
        url: `/api/v1/tracks/${t.id}/current-version`,
        headers: await as(owner),
        payload: { versionId },
      });
    expect((await put(processing.id)).statusCode).toBe(409);
    expect((await put(elsewhere.versionId)).statusCode).toBe(404);
    expect((await put('abc')).statusCode).toBe(400);
    const ok = await put(ready2.id);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().track.currentVersionId).toBe(ready2.id);
    expect((await put(t.versionId)).json().track.currentVersionId).toBe(t.versionId);
  });

  it('deletes every row and every stored object of every version', async () => {
    const keep = await createReadyTrack(db, owner.id, 'neighbour');
    await storeVersionMedia(store, keep.versionId);
    const t = await createReadyTrack(db, owner.id, 'doomed');
    const v2 = await addTrackVersion(db, t.id, { original_filename: 'b.wav' });
    const v3 = await addTrackVersion(db, t.id, { status: 'failed', original_filename: 'c.wav' });
    const before = await everyObject(store);
    for (const v of [t.versionId, v2.id, v3.id]) await storeVersionMedia(store, v);
    const m = multipartFile('artwork', png);
    await app.inject({
      method: 'PUT',
      url: `/api/v1/tracks/${t.id}/artwork`,
      payload: m.payload,
      headers: { ...(await as(owner)), ...m.headers },
    });
    const playlist = await addPlaylist(db, other.id, 'Mix', [t.id, keep.id]);
    await patchTrack(t.id, { title: 'Doomed Renamed' });
    expect((await everyObject(store)).length).toBeGreaterThan(before.length + 3 * 20);

    expect(
      (await app.inject({ method: 'DELETE', url: `/api/v1/tracks/${t.id}`, headers: await as(other) })).statusCode,
    ).toBe(403);
    const res = await app.inject({ method: 'DELETE', url: `/api/v1/tracks/${t.id}`, headers: await as(owner) });
    expect(res.statusCode, res.body).toBe(204);
    expect(await everyObject(store)).toEqual(before);
    expect(await db.selectFrom('tracks').select('id').where('id', '=', t.id).execute()).toEqual([]);
    expect(await db.selectFrom('track_versions').select('id').where('track_id', '=', t.id).execute()).toEqual([]);
    expect(await db.selectFrom('track_slug_redirects').select('slug').where('track_id', '=', t.id).execute()).toEqual(
      [],
    );
    // The playlist keeps working with what is left.
    const mix = await app.inject({ url: `/api/v1/playlists/${playlist.id}` });
    expect(mix.json().playlist.tracks.map((x: { id: string }) => x.id)).toEqual([keep.id]);
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/v1/tracks/${t.id}`, headers: await as(owner) })).statusCode,
    ).toBe(404);
  });

  it('refuses to delete a sold track unless buyers keep access; then retires it, keeping the original', async () => {
    const t = await createReadyTrack(db, owner.id, 'sold');
    const old = await addTrackVersion(db, t.id, { original_filename: 'old.wav' });
    for (const v of [t.versionId, old.id]) await storeVersionMedia(store, v, 1);
    const buyer = await createUser(db, 'listener');
    await db
      .insertInto('orders')
      .values({
        item_type: 'track',
        track_id: t.id,
        seller_user_id: owner.id,
        buyer_user_id: buyer.id,
        amount_minor: 500,
        currency: 'EUR',
        status: 'paid',
      })
      .execute();
    const snapshot = await everyObject(store);

    const refused = await app.inject({ method: 'DELETE', url: `/api/v1/tracks/${t.id}`, headers: await as(owner) });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('track_sold');
    expect(await everyObject(store)).toEqual(snapshot);
    expect((await app.inject(`/api/v1/tracks/${t.id}`)).statusCode).toBe(200);

    const retired = await app.inject({
      method: 'DELETE',
      url: `/api/v1/tracks/${t.id}?confirmBuyersKeepAccess=true`,
      headers: await as(owner),
    });
    expect(retired.statusCode, retired.body).toBe(204);
    for (const who of [undefined, await as(owner), await as(buyer)])
      expect((await app.inject({ url: `/api/v1/tracks/${t.id}`, headers: who })).statusCode).toBe(404);
    const left = await everyObject(store);
    // The buyers' master stays; streaming outputs and the other version go.
    expect(left).toContain(`originals/${keys.original(t.versionId, 'wav')}`);
    expect(
      left.filter(
        (k) => k.includes(`version-${t.versionId}/`) && !k.startsWith('originals/') && !k.startsWith('images/'),
      ),
    ).toEqual([]);
    expect(left.filter((k) => k.includes(`version-${old.id}/`))).toEqual([]);
    const row = await db
      .selectFrom('tracks')
      .select(['deleted_at', 'visibility'])
      .where('id', '=', t.id)
      .executeTakeFirstOrThrow();
    expect(row.deleted_at).not.toBeNull();
    expect((await db.selectFrom('orders').select('track_id').where('track_id', '=', t.id).execute()).length).toBe(1);
  });

  it('lists every track of the artist, in every state, in the studio', async () => {
    const t = await createReadyTrack(db, owner.id, 'studio-private', { visibility: 'private' });
    await addTrackVersion(db, t.id, {
      status: 'failed',
      failure_reason: 'No audio stream',
      original_filename: 'bad.wav',
    });
    const res = await app.inject({ url: '/api/v1/me/tracks', headers: await as(owner) });
    expect(res.statusCode).toBe(200);
    const row = res.json().items.find((x: { id: string }) => x.id === t.id);
    expect(row).toMatchObject({
      visibility: 'private',
      latestVersion: { status: 'failed', failureReason: 'No audio stream' },
    });
    expect(
      (await app.inject({ url: '/api/v1/me/tracks', headers: await as(admin) }))
        .json()
        .items.find((x: { id: string }) => x.id === t.id),
    ).toBeUndefined();
  });
});

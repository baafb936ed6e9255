import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rekeyGuessableMedia } from '@earshot/core';
import { isPubliclyServable } from '@earshot/storage';
import { createReadyTrack, createTestApi, createUser, type TestApi } from '../../../test/support/factories.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi({ api: { serveMedia: true } });
});
afterAll(async () => api?.close());

const read = async (bucket: 'images' | 'waveforms', key: string) => {
  const obj = await api.t.infra.store.get(bucket, key);
  const chunks: Buffer[] = [];
  for await (const c of obj.body) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
};

describe('npm run media:rekey (rekeyGuessableMedia)', () => {
  it('moves waveforms and artwork stored at keys made before tokens to served keys, once', async () => {
    const { db } = api;
    const store = api.t.infra.store;
    const owner = await createUser(db, 'artist');
    const old = await createReadyTrack(db, owner.id, 'old-keys');
    const oldWave = `version-${old.versionId}.json`;
    const oldArt = `artwork/version-${old.versionId}/300.jpg`;
    await store.put('waveforms', oldWave, '{"data":[1,2]}', { contentType: 'application/json' });
    await store.put('images', oldArt, 'big', { contentType: 'image/jpeg' });
    await store.put('images', `artwork/version-${old.versionId}/64.jpg`, 'small', { contentType: 'image/jpeg' });
    await db
      .updateTable('track_versions')
      .set({ waveform_key: oldWave, artwork_key: oldArt })
      .where('id', '=', old.versionId)
      .execute();
    // A version already on token keys is left alone.
    const fresh = await createReadyTrack(db, owner.id, 'new-keys');
    const freshWave = `version-${fresh.versionId}/${'A'.repeat(22)}.json`;
    await store.put('waveforms', freshWave, '{}', { contentType: 'application/json' });
    await db.updateTable('track_versions').set({ waveform_key: freshWave }).where('id', '=', fresh.versionId).execute();

    // Before: the old keys are not served, so the track's waveform and cover are broken.
    expect(isPubliclyServable('waveforms', oldWave)).toBe(false);
    expect(isPubliclyServable('images', oldArt)).toBe(false);
    const before = (await api.app.inject({ method: 'GET', url: `/api/v1/tracks/${old.id}` })).json().track;
    expect((await api.app.inject({ method: 'GET', url: before.waveformUrl })).statusCode).toBe(404);

    const moved = await rekeyGuessableMedia({ db, store });
    expect(moved.map((m) => m.versionId)).toEqual([old.versionId]);
    const row = await db
      .selectFrom('track_versions')
      .select(['waveform_key', 'artwork_key'])
      .where('id', '=', old.versionId)
      .executeTakeFirstOrThrow();
    expect(isPubliclyServable('waveforms', row.waveform_key!)).toBe(true);
    expect(isPubliclyServable('images', row.artwork_key!)).toBe(true);
    expect(row.artwork_key).toMatch(new RegExp(`^artwork/version-${old.versionId}/[A-Za-z0-9_-]{22}/300\\.jpg$`));
    expect(await read('waveforms', row.waveform_key!)).toBe('{"data":[1,2]}');
    expect(await read('images', row.artwork_key!)).toBe('big');
    expect(await read('images', row.artwork_key!.replace('/300.jpg', '/64.jpg'))).toBe('small');
    // The old objects are gone; the other version kept its key.
    expect(await store.head('waveforms', oldWave)).toBeNull();
    expect(await store.head('images', oldArt)).toBeNull();
    expect(
      (
        await db
          .selectFrom('track_versions')
          .select('waveform_key')
          .where('id', '=', fresh.versionId)
          .executeTakeFirstOrThrow()
      ).waveform_key,
    ).toBe(freshWave);

    // After: served through the API's URLs.
    const after = (await api.app.inject({ method: 'GET', url: `/api/v1/tracks/${old.id}` })).json().track;
    const wave = await api.app.inject({ method: 'GET', url: after.waveformUrl });
    expect(wave.statusCode).toBe(200);
    expect(wave.body).toBe('{"data":[1,2]}');
    expect((await api.app.inject({ method: 'GET', url: after.artworkUrl })).statusCode).toBe(200);

    // Again: nothing to do.
    expect(await rekeyGuessableMedia({ db, store })).toEqual([]);
  });
});

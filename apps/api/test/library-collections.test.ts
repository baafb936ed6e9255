/**
 * Releases, playlists and search over HTTP, on PGlite and PostgreSQL: ordered tracks of one's own
 * (others' refused), release dates (year 30000 refused, a future one schedules), artwork and
 * delete; playlists of anyone's visible tracks, the whole order at once (10,001 refused), hidden
 * tracks vanishing without breaking the list; ranked, typo-tolerant, accent-folded search of only
 * what is listed; genre and tag pages.
 */
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@earshot/db';
import type { Api } from '../src/index.ts';
import { createReadyTrack, createTestApi, type TestApi } from '../../../test/support/factories.ts';
import { cookieHeaders, createUser, sessionFor, type TestUser } from './support/accounts.ts';

describe.each(['pglite', 'postgres'] as const)('releases, playlists and search on %s', (database) => {
  let api: TestApi;
  let app: Api;
  let db: Kysely<Database>;
  let artist: TestUser;
  let rival: TestUser;
  let listener: TestUser;
  const as = async (user: TestUser) => cookieHeaders(await sessionFor(db, api.t.config, user.id));
  const ids = (list: Array<{ id: string }>) => list.map((x) => x.id);
  /** `POST /releases` of `payload`, signed in as `user` (the artist unless said). */
  const postRelease = async (payload: object, user: TestUser = artist) =>
    app.inject({ method: 'POST', url: '/api/v1/releases', headers: await as(user), payload });

  beforeAll(async () => {
    api = await createTestApi({ infra: { database } });
    app = api.app;
    db = api.db;
    artist = await createUser(db, 'artist');
    rival = await createUser(db, 'artist');
    listener = await createUser(db, 'listener');
  }, 60_000);
  afterAll(async () => api?.close());

  describe('releases', () => {
    it('orders the artist’s own tracks, totals their length, and refuses others’ tracks', async () => {
      const a = await createReadyTrack(db, artist.id, 'rel-a', { durationMs: 60_000 });
      const b = await createReadyTrack(db, artist.id, 'rel-b', { durationMs: 90_000 });
      const theirs = await createReadyTrack(db, rival.id, 'rel-theirs');
      const created = await postRelease({
        title: 'Tides',
        type: 'ep',
        trackIds: [b.id, a.id],
        releaseDate: '2026-06-01',
        price: { amountMinor: 500, currency: 'USD', payWhatYouWant: false },
      });
      expect(created.statusCode, created.body).toBe(201);
      const release = created.json().release;
      expect(release).toMatchObject({
        title: 'Tides',
        type: 'ep',
        slug: 'tides',
        releaseDate: '2026-06-01',
        scheduled: false,
        totalDurationMs: 150_000,
        price: { amountMinor: 500, currency: 'USD' },
      });
      expect(ids(release.tracks)).toEqual([b.id, a.id]);

      const count = async () => (await db.selectFrom('releases').select('id').execute()).length;
      const before = await count();
      for (const trackIds of [
        [a.id, theirs.id],
        [a.id, '987654321'],
      ]) {
        const res = await postRelease({ title: 'Stolen', type: 'album', trackIds });
        expect(res.statusCode).toBe(422);
        expect(res.json().error.code).toBe('not_your_tracks');
      }
      const patchTheirs = await app.inject({
        method: 'PATCH',
        url: `/api/v1/releases/${release.id}`,
        headers: await as(artist),
        payload: { trackIds: [theirs.id] },
      });
      expect(patchTheirs.statusCode).toBe(422);
      expect((await app.inject(`/api/v1/releases/${release.id}`)).json().release.tracks.length).toBe(2);
      // Hostile input: nothing written.
      const bad: unknown[] = [
        { title: 'x', type: 'album', trackIds: [], releaseDate: '30000-01-01' },
        { title: 'x', type: 'album', trackIds: [], releaseDate: '2026-02-30' },
        { title: 'x', type: 'album', trackIds: [], releaseDate: 'tomorrow' },
        { title: 'x', type: 'mixtape', trackIds: [] },
        { title: 'x', type: 'album', trackIds: [a.id, a.id] },
        { title: 'x', type: 'album', trackIds: ['-1'] },
        { title: '', type: 'album', trackIds: [] },
        { title: 'x', type: 'album', trackIds: [], price: { amountMinor: 5, currency: 'EURO' } },
      ];
      for (const payload of bad) {
        const res = await postRelease(payload as object);
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      }
      expect(await count()).toBe(before);
      expect((await postRelease({ title: 'x', type: 'album', trackIds: [] }, listener)).statusCode).toBe(403);
    });

    it('keeps a scheduled release to its artist until its date; hidden tracks vanish for others', async () => {
      const a = await createReadyTrack(db, artist.id, 'sched-a');
      const hidden = await createReadyTrack(db, artist.id, 'sched-hidden', { visibility: 'private' });
      const future = await postRelease({ title: 'Soon', type: 'single', trackIds: [a.id], releaseDate: '2027-03-01' });
      expect(future.json().release.scheduled).toBe(true);
      const id = future.json().release.id;
      expect((await app.inject(`/api/v1/releases/${id}`)).statusCode).toBe(404);
      expect((await app.inject({ url: `/api/v1/releases/${id}`, headers: await as(listener) })).statusCode).toBe(404);
      expect((await app.inject({ url: `/api/v1/releases/${id}`, headers: await as(artist) })).statusCode).toBe(200);
      expect(ids((await app.inject(`/api/v1/users/${artist.handle}/releases`)).json().items)).not.toContain(id);
      expect(
        ids(
          (await app.inject({ url: `/api/v1/users/${artist.handle}/releases`, headers: await as(artist) })).json()
            .items,
        ),
      ).toContain(id);

      const now = await postRelease({ title: 'Now', type: 'album', trackIds: [a.id, hidden.id] });
      const nowId = now.json().release.id;
      expect(ids((await app.inject(`/api/v1/releases/${nowId}`)).json().release.tracks)).toEqual([a.id]);
      expect(
        ids((await app.inject({ url: `/api/v1/releases/${nowId}`, headers: await as(artist) })).json().release.tracks),
      ).toEqual([a.id, hidden.id]);
    });

    it('deletes a release (its tracks stay) and refuses once it is sold', async () => {
      const a = await createReadyTrack(db, artist.id, 'del-a');
      const rel = (await postRelease({ title: 'Gone', type: 'single', trackIds: [a.id] })).json().release;
      const sold = (await postRelease({ title: 'Sold', type: 'single', trackIds: [a.id] })).json().release;
      await db
        .insertInto('orders')
        .values({
          item_type: 'release',
          release_id: sold.id,
          seller_user_id: artist.id,
          buyer_user_id: listener.id,
          amount_minor: 100,
          currency: 'EUR',
          status: 'paid',
        })
        .execute();
      expect(
        (await app.inject({ method: 'DELETE', url: `/api/v1/releases/${rel.id}`, headers: await as(rival) }))
          .statusCode,
      ).toBe(403);
      expect(
        (await app.inject({ method: 'DELETE', url: `/api/v1/releases/${rel.id}`, headers: await as(artist) }))
          .statusCode,
      ).toBe(204);
      expect((await app.inject(`/api/v1/releases/${rel.id}`)).statusCode).toBe(404);
      expect((await app.inject(`/api/v1/tracks/${a.id}`)).statusCode).toBe(200);
      const refused = await app.inject({
        method: 'DELETE',
        url: `/api/v1/releases/${sold.id}`,
        headers: await as(artist),
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.code).toBe('release_sold');
    });
  });

  describe('playlists', () => {
    it('anyone signed in makes one of visible tracks, sets the whole order, and hidden tracks vanish without breaking it', async () => {
      const a = await createReadyTrack(db, artist.id, 'pl-a');
      const b = await createReadyTrack(db, rival.id, 'pl-b');
      const priv = await createReadyTrack(db, rival.id, 'pl-private', { visibility: 'private' });
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/playlists',
        headers: await as(listener),
        payload: { title: 'Night bus', trackIds: [a.id] },
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().playlist.id;
      const put = async (trackIds: string[], who = listener) =>
        app.inject({
          method: 'PUT',
          url: `/api/v1/playlists/${id}/tracks`,
          headers: await as(who),
          payload: { trackIds },
        });
      expect(ids((await put([b.id, a.id])).json().playlist.tracks)).toEqual([b.id, a.id]);
      const refused = await put([a.id, priv.id]);
      expect(refused.statusCode).toBe(422);
      expect(refused.json().error.code).toBe('unknown_tracks');
      const tooMany = await put(Array.from({ length: 10_001 }, (_, i) => String(i + 1)));
      expect(tooMany.statusCode).toBe(400);
      expect(tooMany.json().error.message).toMatch(/10,000/);
      expect((await put([a.id, a.id])).statusCode).toBe(400);
      expect(ids((await app.inject(`/api/v1/playlists/${id}`)).json().playlist.tracks)).toEqual([b.id, a.id]);
      expect((await put([a.id], artist)).statusCode).toBe(403);

      // b goes private: gone for others (and the playlist's owner), still there for its artist.
      await db.updateTable('tracks').set({ visibility: 'private' }).where('id', '=', b.id).execute();
      expect(ids((await app.inject(`/api/v1/playlists/${id}`)).json().playlist.tracks)).toEqual([a.id]);
      expect(
        ids((await app.inject({ url: `/api/v1/playlists/${id}`, headers: await as(rival) })).json().playlist.tracks),
      ).toEqual([b.id, a.id]);
      // The owner may keep a hidden track they already had (it comes back when it does).
      expect((await put([a.id, b.id])).statusCode).toBe(200);
      await db.updateTable('tracks').set({ visibility: 'public' }).where('id', '=', b.id).execute();
      expect(ids((await app.inject(`/api/v1/playlists/${id}`)).json().playlist.tracks)).toEqual([a.id, b.id]);

      const privPlaylist = await app.inject({
        method: 'PATCH',
        url: `/api/v1/playlists/${id}`,
        headers: await as(listener),
        payload: { visibility: 'private', title: 'Night bus (mine)' },
      });
      expect(privPlaylist.json().playlist).toMatchObject({ visibility: 'private', title: 'Night bus (mine)' });
      expect((await app.inject(`/api/v1/playlists/${id}`)).statusCode).toBe(404);
      expect(
        ids((await app.inject({ url: '/api/v1/me/playlists', headers: await as(listener) })).json().items),
      ).toContain(id);
      expect(
        (await app.inject({ method: 'DELETE', url: `/api/v1/playlists/${id}`, headers: await as(listener) }))
          .statusCode,
      ).toBe(204);
      expect((await app.inject({ url: `/api/v1/playlists/${id}`, headers: await as(listener) })).statusCode).toBe(404);
      expect((await app.inject(`/api/v1/tracks/${a.id}`)).statusCode).toBe(200);
    });

    it('refuses bad playlists with nothing written', async () => {
      const before = (await db.selectFrom('playlists').select('id').execute()).length;
      for (const payload of [
        { title: '' },
        { title: 'x'.repeat(201) },
        { title: 'ok', visibility: 'friends' },
        { title: 'ok', trackIds: ['987654321'] },
        { title: 'a\u0007b' },
      ]) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/playlists',
          headers: await as(listener),
          payload,
        });
        expect([400, 422], JSON.stringify(payload)).toContain(res.statusCode);
      }
      expect((await db.selectFrom('playlists').select('id').execute()).length).toBe(before);
    });
  });

  describe('search and browse', () => {
    let harbour: { id: string };
    let mara: TestUser;
    beforeAll(async () => {
      mara = await createUser(db, 'artist', { handle: `mara-${database}` });
      await db.updateTable('users').set({ display_name: 'Mara Sélène' }).where('id', '=', mara.id).execute();
      harbour = await createReadyTrack(db, mara.id, 'harbour-lights');
      await db
        .updateTable('tracks')
        .set({ title: 'Harbour Lights', genre: 'ambient', tags: ['sea', 'field recording'] })
        .where('id', '=', harbour.id)
        .execute();
      const cafe = await createReadyTrack(db, mara.id, 'cafe-nocturne');
      await db
        .updateTable('tracks')
        .set({ title: 'Café Nocturne', description: 'Recorded near the harbour lights at night' })
        .where('id', '=', cafe.id)
        .execute();
      const secret = await createReadyTrack(db, mara.id, 'harbour-secret', { visibility: 'private' });
      await db.updateTable('tracks').set({ title: 'Harbour Lights Secret Demo' }).where('id', '=', secret.id).execute();
      const unlisted = await createReadyTrack(db, mara.id, 'harbour-unlisted', { visibility: 'unlisted' });
      await db.updateTable('tracks').set({ title: 'Harbour Lights Unlisted' }).where('id', '=', unlisted.id).execute();
      await db
        .insertInto('releases')
        .values({ owner_user_id: mara.id, title: 'Lights Over The Harbour', slug: 'lights', type: 'album' })
        .execute();
      await db.insertInto('playlists').values({ owner_user_id: listener.id, title: 'Harbour evenings' }).execute();
    });

    const find = async (q: string, type = 'track', who?: TestUser) => {
      const res = await app.inject({
        url: `/api/v1/search?q=${encodeURIComponent(q)}&type=${type}`,
        headers: who ? await as(who) : undefined,
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().items as Array<{ id: string; title?: string; displayName?: string }>;
    };

    it('finds with one typo per word, folds accents, ranks title above description', async () => {
      expect((await find('harbur lights'))[0]?.title).toBe('Harbour Lights');
      // Descriptions match by their words (no typo tolerance there), ranked below titles.
      const hits = await find('harbour lights');
      expect(hits[0]?.title).toBe('Harbour Lights');
      expect(hits.map((h) => h.title)).toContain('Café Nocturne');
      expect(hits.findIndex((h) => h.title === 'Harbour Lights')).toBeLessThan(
        hits.findIndex((h) => h.title === 'Café Nocturne'),
      );
      expect((await find('harbor'))[0]?.title).toBe('Harbour Lights');
      expect((await find('cafe nocturne'))[0]?.title).toBe('Café Nocturne');
      expect((await find('CAFÉ'))[0]?.title).toBe('Café Nocturne');
      // By artist name (accents folded) and by tag.
      expect((await find('mara selene')).map((h) => h.title)).toEqual(
        expect.arrayContaining(['Harbour Lights', 'Café Nocturne']),
      );
      expect((await find('field recording'))[0]?.title).toBe('Harbour Lights');
    });

    it('ranks a title match first when a tag is on more tracks than the ranking takes', async () => {
      // 260 listed tracks tagged "drizzle" (more than one source hands to the ranking), then the one titled so.
      await sql`insert into tracks (owner_user_id, title, slug, tags, visibility)
        select ${rival.id}, 'Untitled ' || i, 'drizzle-' || i, array['drizzle'], 'public'
        from generate_series(1, 260) i`.execute(db);
      await sql`insert into track_versions (track_id, status, original_key, original_filename, original_size_bytes, duration_ms, steps, hls_key, ready_at)
        select id, 'ready', 'version-x/original.wav', 'a.wav', 1, 180000, '{}', 'version-x/playlist.m3u8', now()
        from tracks where slug like 'drizzle-%'`.execute(db);
      await sql`update tracks t set current_version_id = v.id from track_versions v
        where v.track_id = t.id and t.slug like 'drizzle-%'`.execute(db);
      const titled = await createReadyTrack(db, mara.id, 'drizzle');
      await db.updateTable('tracks').set({ title: 'Drizzle' }).where('id', '=', titled.id).execute();
      const hits = await find('drizzle');
      expect(hits[0]?.title).toBe('Drizzle');
      expect(hits).toHaveLength(20);
    });

    it('shows only what is listed, for every kind', async () => {
      for (const who of [undefined, listener]) {
        const titles = (await find('harbour lights', 'track', who)).map((h) => h.title);
        expect(titles).not.toContain('Harbour Lights Secret Demo');
        expect(titles).not.toContain('Harbour Lights Unlisted');
      }
      expect((await find('mara selene', 'user')).map((h) => h.displayName)).toContain('Mara Sélène');
      expect((await find('lights over the harbor', 'release')).map((h) => h.title)).toContain(
        'Lights Over The Harbour',
      );
      expect((await find('harbour evenings', 'playlist')).map((h) => h.title)).toContain('Harbour evenings');
    });

    it('keeps the candidates of a query, yet finds a change at once and never shows a hidden track', async () => {
      const before = await find('tidewater');
      expect(before).toEqual([]);
      // A new title moves the search generation: the same words find the track straight away.
      const tide = await createReadyTrack(db, mara.id, 'tidewater');
      await db.updateTable('tracks').set({ title: 'Tidewater' }).where('id', '=', tide.id).execute();
      expect((await find('tidewater')).map((h) => h.id)).toEqual([tide.id]);
      // Made private: not a change to what can be found (the kept candidates still hold it), yet
      // not shown — who may see a candidate is checked on every search.
      await db.updateTable('tracks').set({ visibility: 'private' }).where('id', '=', tide.id).execute();
      expect(await find('tidewater')).toEqual([]);
      // An artist's new name is found too.
      await db.updateTable('tracks').set({ visibility: 'public' }).where('id', '=', tide.id).execute();
      expect(await find('zephyrine')).toEqual([]);
      await db.updateTable('users').set({ display_name: 'Zephyrine' }).where('id', '=', mara.id).execute();
      expect((await find('zephyrine')).map((h) => h.id)).toContain(tide.id);
      await db.updateTable('users').set({ display_name: 'Mara Sélène' }).where('id', '=', mara.id).execute();
    });

    it('refuses bad searches with a 400', async () => {
      for (const url of [
        '/api/v1/search?q=',
        '/api/v1/search?q=%20%20',
        `/api/v1/search?q=${'a'.repeat(101)}`,
        '/api/v1/search?q=x&type=song',
        '/api/v1/search?q=x&cursor=!!',
        '/api/v1/search?q=a%00b',
        '/api/v1/search?q=x&limit=1000',
      ]) {
        const res = await app.inject(url);
        expect(res.statusCode, url).toBe(400);
        expect(res.json().error.code).toBeTruthy();
      }
    });

    it('pages the results', async () => {
      const first = await app.inject('/api/v1/search?q=harbour&type=track&limit=1');
      const page1 = first.json();
      expect(page1.items).toHaveLength(1);
      expect(page1.nextCursor).toBeTruthy();
      const page2 = (await app.inject(`/api/v1/search?q=harbour&type=track&limit=1&cursor=${page1.nextCursor}`)).json();
      expect(page2.items[0].id).not.toBe(page1.items[0].id);
    });

    it('browses by genre and tag', async () => {
      expect(ids((await app.inject('/api/v1/genres/Ambient/tracks')).json().items)).toEqual([harbour.id]);
      expect(
        ids((await app.inject(`/api/v1/tags/${encodeURIComponent('field recording')}/tracks`)).json().items),
      ).toEqual([harbour.id]);
      expect((await app.inject('/api/v1/tags/nothing-here/tracks')).statusCode).toBe(404);
    });
  });
});

import { randomBytes } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApi } from '../../../test/support/use-test-api.ts';
import { generateTaggedTone, generateTone } from '../../../test/support/audio.ts';
import { runJob } from '../../../test/support/run-job.ts';
import { signIn } from '../../../test/support/users.ts';
import { multipartBody } from './support/multipart.ts';

let artist: { token: string; id: string };
let listener: { token: string; id: string };

async function objects(bucket: 'originals' | 'transcodes'): Promise<number> {
  let n = 0;
  for await (const _ of api.t.infra.store.list(bucket)) n++;
  return n;
}

async function rows(table: 'tracks' | 'track_versions'): Promise<number> {
  const r = await api.t.infra.database.db
    .selectFrom(table)
    .select(api.t.infra.database.db.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

let flac: Buffer;

const api = useTestApi({ infra: { env: { UPLOAD_MAX_BYTES: String(2 * 1024 * 1024) } } });
beforeAll(async () => {
  artist = await signIn(api.app, api.t.infra.database.db, 'artist');
  listener = await signIn(api.app, api.t.infra.database.db, 'listener');
  flac = await readFile(await generateTone(path.join(api.t.dataDir, 'tone.flac'), { seconds: 3 }));
});

const post = (token: string | undefined, body: ReturnType<typeof multipartBody>, url = '/api/v1/tracks') =>
  api.app.inject({
    method: 'POST',
    url,
    payload: body.payload,
    headers: { ...body.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });

describe('POST /api/v1/tracks', () => {
  it('accepts a master: 201 with the track and its first version processing, original stored, jobs queued', async () => {
    const res = await post(
      artist.token,
      multipartBody({ title: 'Tone Poem', visibility: 'unlisted' }, { name: 'tone.flac', content: flac }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const { track } = res.json();
    expect(track).toMatchObject({
      title: 'Tone Poem',
      visibility: 'unlisted',
      status: 'processing',
      latestVersion: { status: 'processing', codec: 'flac', sampleRate: 44100, channels: 2 },
    });
    expect(track.latestVersion.steps).toEqual({
      transcode: { state: 'pending', progress: 0 },
      waveform: { state: 'pending', progress: 0 },
      'artwork-extract': { state: 'pending', progress: 0 },
      loudness: { state: 'pending', progress: 0 },
    });
    const counts = await api.t.infra.jobs.getJobCounts('transcode');
    expect(counts.waiting + counts.active).toBe(1);
    const version = await api.t.infra.database.db
      .selectFrom('track_versions')
      .select('original_key')
      .where('id', '=', track.latestVersion.id)
      .executeTakeFirstOrThrow();
    expect((await api.t.infra.store.head('originals', version.original_key))?.size).toBe(flac.length);
    // The owner sees it while it processes; others do not see it until it is ready.
    expect(
      (
        await api.app.inject({
          url: `/api/v1/tracks/${track.id}`,
          headers: { authorization: `Bearer ${artist.token}` },
        })
      ).statusCode,
    ).toBe(200);
    expect((await api.app.inject({ url: `/api/v1/tracks/${track.id}` })).statusCode).toBe(404);
  });

  const bad: Array<[string, () => ReturnType<typeof multipartBody>, number, string]> = [
    [
      'random bytes',
      () => multipartBody({ title: 'x' }, { name: 'noise.wav', content: randomBytes(64 * 1024) }),
      422,
      'invalid_audio',
    ],
    [
      'an empty file',
      () => multipartBody({ title: 'x' }, { name: 'empty.flac', content: Buffer.alloc(0) }),
      422,
      'invalid_audio',
    ],
    [
      'a truncated file',
      () => multipartBody({ title: 'x' }, { name: 'cut.flac', content: flac.subarray(0, 40) }),
      422,
      'invalid_audio',
    ],
    [
      'an image',
      () =>
        multipartBody(
          { title: 'x' },
          {
            name: 'cover.png',
            content: Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'),
          },
        ),
      422,
      'invalid_audio',
    ],
    ['no file', () => multipartBody({ title: 'x' }), 400, 'validation_failed'],
    [
      'a title of blanks and a control character',
      () => multipartBody({ title: ' \u0007 ' }, { name: 'tone.flac', content: flac }),
      400,
      'validation_failed',
    ],
    [
      'a bad visibility',
      () => multipartBody({ title: 'x', visibility: 'secret' }, { name: 'tone.flac', content: flac }),
      400,
      'validation_failed',
    ],
    [
      'an unknown field',
      () => multipartBody({ title: 'x', owner_user_id: '1' }, { name: 'tone.flac', content: flac }),
      400,
      'validation_failed',
    ],
    [
      'a file over the limit',
      () =>
        multipartBody(
          { title: 'x' },
          { name: 'big.flac', content: Buffer.concat([flac, randomBytes(3 * 1024 * 1024)]) },
        ),
      413,
      'payload_too_large',
    ],
    [
      'two files',
      () => {
        const a = multipartBody({ title: 'x' }, { name: 'a.flac', content: flac });
        const b = multipartBody({}, { name: 'b.flac', content: flac });
        const boundaryA = a.headers['content-type'].split('boundary=')[1]!;
        const boundaryB = b.headers['content-type'].split('boundary=')[1]!;
        const second = b.payload
          .toString('latin1')
          .replaceAll(boundaryB, boundaryA)
          .replace(`--${boundaryA}--\r\n`, '');
        const first = a.payload.toString('latin1').replace(`--${boundaryA}--\r\n`, '');
        return { payload: Buffer.from(`${first}${second}--${boundaryA}--\r\n`, 'latin1'), headers: a.headers };
      },
      413,
      'payload_too_large',
    ],
  ];

  it.each(bad)('rejects %s with a clear 4xx and keeps nothing', async (_name, body, status, code) => {
    const before = {
      tracks: await rows('tracks'),
      versions: await rows('track_versions'),
      originals: await objects('originals'),
    };
    const res = await post(artist.token, body());
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect({
      tracks: await rows('tracks'),
      versions: await rows('track_versions'),
      originals: await objects('originals'),
    }).toEqual(before);
    expect(await readdir(path.join(api.t.dataDir, 'tmp', 'uploads')).catch(() => [])).toEqual([]);
  });

  it('rejects JSON instead of multipart with 415', async () => {
    const res = await api.app.inject({
      method: 'POST',
      url: '/api/v1/tracks',
      payload: { title: 'x' },
      headers: { authorization: `Bearer ${artist.token}` },
    });
    expect(res.statusCode).toBe(415);
  });

  it('refuses anonymous callers and listeners', async () => {
    expect(
      (await post(undefined, multipartBody({ title: 'x' }, { name: 'tone.flac', content: flac }))).statusCode,
    ).toBe(401);
    expect(
      (await post(listener.token, multipartBody({ title: 'x' }, { name: 'tone.flac', content: flac }))).statusCode,
    ).toBe(403);
  });
});

describe('POST /api/v1/tracks/:id/versions', () => {
  it('adds a version for the owner only', async () => {
    const created = (
      await post(artist.token, multipartBody({ title: 'Versioned' }, { name: 'tone.flac', content: flac }))
    ).json().track;
    const other = await signIn(api.app, api.t.infra.database.db, 'artist');
    expect(
      (
        await post(
          other.token,
          multipartBody({}, { name: 'tone.flac', content: flac }),
          `/api/v1/tracks/${created.id}/versions`,
        )
      ).statusCode,
    ).toBe(403);
    const res = await post(
      artist.token,
      multipartBody({}, { name: 'tone.flac', content: flac }),
      `/api/v1/tracks/${created.id}/versions`,
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().version).toMatchObject({ status: 'processing', originalFilename: 'tone.flac' });
    expect(
      (
        await post(
          artist.token,
          multipartBody({}, { name: 'tone.flac', content: flac }),
          '/api/v1/tracks/987654/versions',
        )
      ).statusCode,
    ).toBe(404);
  });
});

describe('tags from the master', () => {
  const tagged = async (name: string, metadata: Record<string, string>) => {
    const extraArgs = Object.entries(metadata).flatMap(([k, v]) => ['-metadata', `${k}=${v}`]);
    return readFile(await generateTone(path.join(api.t.dataDir, name), { seconds: 1, extraArgs }));
  };
  const track = async (id: string) =>
    api.t.infra.database.db
      .selectFrom('tracks')
      .select(['title', 'genre'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const fileFields = async (id: string) =>
    api.t.infra.database.db
      .selectFrom('tracks')
      .select(['album', 'track_number', 'year'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('fills the title and genre the uploader left empty; what the uploader typed wins', async () => {
    const content = await tagged('song1.flac', {
      title: 'Harbour Lights',
      artist: 'Tide',
      album: 'Tides',
      genre: 'Ambient/Drone',
      date: '2019',
      track: '2/5',
    });
    const res = await post(artist.token, multipartBody({ title: '' }, { name: 'song1.flac', content }));
    expect(res.statusCode, res.body).toBe(201);
    expect(await track(res.json().track.id)).toEqual({ title: 'Harbour Lights', genre: 'ambient' });
    // Album, track number ("2/5") and year are stored and shown on the track.
    expect(await fileFields(res.json().track.id)).toEqual({ album: 'Tides', track_number: 2, year: 2019 });
    expect(res.json().track).toMatchObject({ album: 'Tides', trackNumber: 2, year: 2019 });

    const typed = await post(artist.token, multipartBody({ title: 'My Name' }, { name: 'song1.flac', content }));
    expect(typed.statusCode, typed.body).toBe(201);
    expect((await track(typed.json().track.id)).title).toBe('My Name');

    // What the form sends wins over the tags, field by field; a bad number is a 400 and nothing is kept.
    const edited = await post(
      artist.token,
      multipartBody(
        { title: '', album: 'Tides (Deluxe)', trackNumber: '7', genre: 'Dub' },
        { name: 'song1.flac', content },
      ),
    );
    expect(edited.statusCode, edited.body).toBe(201);
    expect(await fileFields(edited.json().track.id)).toEqual({ album: 'Tides (Deluxe)', track_number: 7, year: 2019 });
    expect((await track(edited.json().track.id)).genre).toBe('dub');
    const before = await rows('tracks');
    const bad = await post(artist.token, multipartBody({ year: '19999' }, { name: 'song1.flac', content }));
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
    expect(await rows('tracks')).toBe(before);

    // The artist edits them like any other catalogue field; null clears.
    const id = res.json().track.id as string;
    const patched = await api.app.inject({
      method: 'PATCH',
      url: `/api/v1/tracks/${id}`,
      headers: { authorization: `Bearer ${artist.token}` },
      payload: { album: 'Tides', trackNumber: 3, year: null },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().track).toMatchObject({ album: 'Tides', trackNumber: 3, year: null });

    // In a release the caller may open, the track names it (the track page links the album there).
    expect(patched.json().track.release).toBeNull();
    const made = await api.app.inject({
      method: 'POST',
      url: '/api/v1/releases',
      headers: { authorization: `Bearer ${artist.token}` },
      payload: { title: 'Tides', type: 'ep', trackIds: [id] },
    });
    expect(made.statusCode, made.body).toBe(201);
    const read = await api.app.inject({
      url: `/api/v1/tracks/${id}`,
      headers: { authorization: `Bearer ${artist.token}` },
    });
    expect(read.json().track.release).toEqual({ id: made.json().release.id, title: 'Tides' });
  });

  it('extracts the embedded cover as the artwork unless the artist unticked it (coverFromFile=false)', async () => {
    const covered = await readFile(
      await generateTaggedTone(path.join(api.t.dataDir, 'covered.mp3'), {
        seconds: 1,
        metadata: { title: 'Harbour Lights', album: 'Tides', track: '2' },
        cover: true,
      }),
    );
    const upload = async (fields: Record<string, string>) => {
      const res = await post(artist.token, multipartBody(fields, { name: 'covered.mp3', content: covered }));
      expect(res.statusCode, res.body).toBe(201);
      const versionId = res.json().track.latestVersion.id as string;
      // The worker's real handler, as the queue would run it.
      await runJob(api.t, 'artwork-extract', { versionId });
      return api.t.infra.database.db
        .selectFrom('track_versions')
        .select(['artwork_key', 'steps'])
        .where('id', '=', versionId)
        .executeTakeFirstOrThrow();
    };

    // Ticked (the default, or said): the version's artwork is the file's cover.
    expect((await upload({ title: '' })).artwork_key).toMatch(/^artwork\/version-\d+\//);
    expect((await upload({ title: '', coverFromFile: 'true' })).artwork_key).not.toBeNull();
    // Unticked: the step is done before it starts and stores nothing.
    const unticked = await upload({ title: '', coverFromFile: 'false' });
    expect(unticked.artwork_key).toBeNull();
    expect((unticked.steps as Record<string, { state: string }>)['artwork-extract']?.state).toBe('done');

    // Anything but true or false is refused before anything is stored.
    const before = await rows('tracks');
    const bad = await post(
      artist.token,
      multipartBody({ coverFromFile: 'no thanks' }, { name: 'covered.mp3', content: covered }),
    );
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'validation_failed' });
    expect(await rows('tracks')).toBe(before);
  });

  it('bounds and cleans hostile tags; without tags the file name is the title', async () => {
    const content = await tagged('hostile.flac', {
      title: `\u0007Evil\u202e ${'x'.repeat(50_000)}`,
      genre: '#,?',
    });
    const res = await post(artist.token, multipartBody({}, { name: 'hostile.flac', content }));
    expect(res.statusCode, res.body).toBe(201);
    const row = await track(res.json().track.id);
    expect(row.title.startsWith('Evil x')).toBe(true);
    expect(row.title.length).toBeLessThanOrEqual(200);
    expect(row.title).not.toMatch(/[\u0000-\u001f\u202e]/);
    expect(row.genre).toBeNull();

    const bare = await post(artist.token, multipartBody({}, { name: 'salt_road.flac', content: flac }));
    expect(bare.statusCode, bare.body).toBe(201);
    expect((await track(bare.json().track.id)).title).toBe('salt road');
  });
});

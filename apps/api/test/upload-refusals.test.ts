import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { mkdir, readFile, readdir, utimes, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { sweepStaleFiles } from '@earshot/runtime';
import { createTestInfra } from '../../../test/support/infra.ts';
import { generateTone, renderLavfi } from '../../../test/support/audio.ts';
import { signIn } from '../../../test/support/users.ts';
import { buildTestApi } from '../../../test/support/factories.ts';
import { useTestApi } from '../../../test/support/use-test-api.ts';

/**
 * Hostile multipart bodies sent over real sockets to a listening server: each gets a JSON 4xx,
 * writes no row and leaves no temp file (also when the client hangs up half way).
 */
let port: number;
let artist: { token: string; id: string };
let flac: Buffer;
let uploadsDir: string;

const api = useTestApi({ infra: { env: { UPLOAD_MAX_BYTES: String(2 * 1024 * 1024) } } });
beforeAll(async () => {
  uploadsDir = path.join(api.t.dataDir, 'tmp', 'uploads');
  await api.app.listen({ port: 0, host: '127.0.0.1' });
  port = (api.app.server.address() as AddressInfo).port;
  artist = await signIn(api.app, api.t.infra.database.db, 'artist');
  flac = await readFile(await generateTone(path.join(api.t.dataDir, 'tone.flac'), { seconds: 2 }));
});

interface RawResponse {
  status: number;
  headers: string;
  body: string;
}

/** Sends `head` + `body` as bytes on a fresh connection; `hangUp` closes it right after (no response awaited). */
function send(head: string, body: Buffer, hangUp = false): Promise<RawResponse | null> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', (err) => (hangUp ? resolve(null) : reject(err)));
    socket.on('close', () => {
      if (hangUp) return resolve(null);
      const text = Buffer.concat(chunks).toString('utf8');
      const [headers = '', ...rest] = text.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(headers)?.[1] ?? 0), headers, body: rest.join('\r\n\r\n') });
    });
    socket.write(head);
    socket.write(body, () => {
      if (hangUp) socket.destroy();
    });
  });
}

function request(url: string, contentType: string, body: Buffer, contentLength = body.length): string {
  return `POST ${url} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${artist.token}\r\nContent-Type: ${contentType}\r\nContent-Length: ${contentLength}\r\nConnection: close\r\n\r\n`;
}

const BOUNDARY = 'earshot-hostile-boundary';
const field = (name: string, value: string | Buffer) =>
  Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`),
    Buffer.from(value),
    Buffer.from('\r\n'),
  ]);
const filePart = (content: Buffer, name = 'file', filename = 'tone.flac') =>
  Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    content,
    Buffer.from('\r\n'),
  ]);
const end = Buffer.from(`--${BOUNDARY}--\r\n`);
const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;

async function rowCounts() {
  const db = api.t.infra.database.db;
  const count = async (table: 'tracks' | 'track_versions') =>
    Number((await db.selectFrom(table).select(db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  const user = await db.selectFrom('users').select('avatar_key').where('id', '=', artist.id).executeTakeFirstOrThrow();
  return { tracks: await count('tracks'), versions: await count('track_versions'), avatar: user.avatar_key };
}
const tempFiles = () => readdir(uploadsDir).catch(() => [] as string[]);

const CASES: Array<{
  name: string;
  url?: string;
  contentType?: string;
  body: () => Buffer;
  status: number;
  code: string;
}> = [
  {
    name: 'multipart without a boundary',
    contentType: 'multipart/form-data',
    body: () => Buffer.concat([field('title', 'x'), filePart(flac), end]),
    status: 400,
    code: 'invalid_multipart',
  },
  {
    name: 'a body cut short in the file (no closing boundary)',
    body: () => Buffer.concat([field('title', 'x'), filePart(flac).subarray(0, 4000)]),
    status: 400,
    code: 'invalid_multipart',
  },
  {
    name: 'a body cut short in a part header',
    body: () => Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-da`),
    status: 400,
    code: 'invalid_multipart',
  },
  { name: 'garbage instead of parts', body: () => randomBytes(20_000), status: 400, code: 'invalid_multipart' },
  {
    name: 'every allowed field, then one more, before the file',
    body: () =>
      Buffer.concat([
        field('title', 'x'),
        field('description', 'd'),
        field('visibility', 'public'),
        field('genre', 'dub'),
        field('album', 'Tides'),
        field('trackNumber', '2'),
        field('year', '2019'),
        field('coverFromFile', 'false'),
        field('title', 'again'),
        filePart(flac),
        end,
      ]),
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: '11 text fields before the file',
    body: () => Buffer.concat([...Array.from({ length: 11 }, () => field('title', 'x')), filePart(flac), end]),
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: '12 text fields before the file',
    body: () => Buffer.concat([...Array.from({ length: 12 }, () => field('title', 'x')), filePart(flac), end]),
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'a title that is not UTF-8',
    body: () => Buffer.concat([field('title', Buffer.from([0x41, 0xc0, 0xaf, 0xff])), filePart(flac), end]),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'a NUL in the title',
    body: () => Buffer.concat([field('title', 'a\u0000b'), filePart(flac), end]),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'a bidi override in the title',
    body: () => Buffer.concat([field('title', 'Cool Song \u202e3pm.exe'), filePart(flac), end]),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'the file in another field',
    body: () => Buffer.concat([field('title', 'x'), filePart(flac, 'upload'), end]),
    status: 400,
    code: 'validation_failed',
  },
  { name: 'an empty multipart body', body: () => end, status: 400, code: 'validation_failed' },
  {
    name: 'avatar: no boundary',
    url: '/api/v1/me/avatar',
    contentType: 'multipart/form-data',
    body: () => filePart(flac, 'avatar', 'a.png'),
    status: 400,
    code: 'invalid_multipart',
  },
  {
    name: 'avatar: cut short',
    url: '/api/v1/me/avatar',
    body: () => filePart(randomBytes(50_000), 'avatar', 'a.png').subarray(0, 30_000),
    status: 400,
    code: 'invalid_multipart',
  },
  {
    name: 'avatar: a text field first',
    url: '/api/v1/me/avatar',
    body: () => Buffer.concat([field('title', 'x'), filePart(flac, 'avatar', 'a.png'), end]),
    status: 413,
    code: 'payload_too_large',
  },
];

describe('malformed multipart bodies over a real socket', () => {
  it.each(CASES)('$name → $status $code, no row, no temp file', async (c) => {
    const before = await rowCounts();
    const url = c.url ?? '/api/v1/tracks';
    const method = url.endsWith('/avatar') ? 'PUT' : 'POST';
    const res = (await send(request(url, c.contentType ?? MULTIPART, c.body()).replace(/^POST/, method), c.body()))!;
    expect(res.status, res.body).toBe(c.status);
    expect(res.headers).toMatch(/content-type: application\/json/i);
    expect(JSON.parse(res.body).error).toMatchObject({ code: c.code, message: expect.any(String) });
    expect(await rowCounts()).toEqual(before);
    expect(await tempFiles()).toEqual([]);
  });

  it('clients hanging up in the middle of the file, 40 times, leave no temp file and no row', async () => {
    const before = await rowCounts();
    const body = Buffer.concat([field('title', 'x'), filePart(Buffer.concat([flac, flac, flac])), end]);
    for (let i = 0; i < 40; i++) {
      // Cut at a different place each time: in the headers of the file part, at its first bytes, deep inside.
      const cut = 60 + Math.floor((i / 40) * (body.length - 200));
      await send(request('/api/v1/tracks', MULTIPART, body), body.subarray(0, cut), true);
      // Nothing answers a client that left: wait for the server to have dropped the temp file.
      await vi.waitFor(async () => expect(await tempFiles()).toEqual([]), { timeout: 60_000, interval: 20 });
    }
    expect(await rowCounts()).toEqual(before);
    expect(await tempFiles()).toEqual([]);
  });
});

describe('real media that is not audio', () => {
  // [test, ffmpeg lavfi source, output arguments, file name, title, what the refusal says]
  it.each([
    [
      'a real PNG image → 422 invalid_audio saying it is an image',
      'testsrc=s=320x240',
      ['-frames:v', '1'],
      'real.png',
      'Picture',
      /it is an image/,
    ],
    [
      'a real video without sound → 422 invalid_audio saying so',
      'testsrc=s=160x120:r=10:d=2',
      ['-c:v', 'mpeg4'],
      'silent.mp4',
      'Film',
      /video without sound/,
    ],
  ])('%s', async (_name, source, args, filename, title, message) => {
    const file = path.join(api.t.dataDir, filename);
    await renderLavfi(source, file, args);
    const body = Buffer.concat([field('title', title), filePart(await readFile(file), 'file', filename), end]);
    const before = await rowCounts();
    const res = (await send(request('/api/v1/tracks', MULTIPART, body), body))!;
    expect(res.status, res.body).toBe(422);
    expect(JSON.parse(res.body).error).toMatchObject({
      code: 'invalid_audio',
      message: expect.stringMatching(message),
    });
    expect(await rowCounts()).toEqual(before);
    expect(await tempFiles()).toEqual([]);
  });
});

describe('stale temp files', () => {
  it('the sweep removes files idle longer than the limit and keeps fresh ones', async () => {
    const dir = path.join(api.t.dataDir, 'sweep-test');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'upload-old'), '');
    await writeFile(path.join(dir, 'upload-fresh'), 'x');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    await utimes(path.join(dir, 'upload-old'), twoHoursAgo, twoHoursAgo);
    expect(await sweepStaleFiles(dir, 3600_000)).toEqual(['upload-old']);
    expect(await readdir(dir)).toEqual(['upload-fresh']);
  });

  it('the API sweeps DATA_DIR/tmp/uploads when it starts (UPLOAD_TEMP_MAX_AGE)', async () => {
    const other = await createTestInfra({ env: { UPLOAD_TEMP_MAX_AGE: '1h' } });
    try {
      const dir = path.join(other.dataDir, 'tmp', 'uploads');
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, 'upload-left-by-a-crash'), '');
      await writeFile(path.join(dir, 'upload-in-progress'), 'x');
      const old = new Date(Date.now() - 2 * 3600_000);
      await utimes(path.join(dir, 'upload-left-by-a-crash'), old, old);
      const api = await buildTestApi(other);
      await api.ready();
      expect(await readdir(dir)).toEqual(['upload-in-progress']);
      await api.close();
    } finally {
      await other.cleanup();
    }
  });
});

import { readFile, readdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApi } from '../../../test/support/use-test-api.ts';
import { signIn } from '../../../test/support/users.ts';
import { generateTone } from '../../../test/support/audio.ts';

// Clients that stop sending, against a real listening server with short limits (docs/security.md).
// Nothing here measures time: each case asserts what the server does (408, connection closed,
// temp file gone), and the upload that keeps trickling outlives the whole-request limit by
// sending more chunks than fit in it.

const LIMITS = { HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_BODY_IDLE_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '2000' };

let port: number;
let artist: { token: string };

const api = useTestApi({ infra: { env: LIMITS } });
beforeAll(async () => {
  await api.app.listen({ port: 0, host: '127.0.0.1' });
  port = (api.app.server.address() as net.AddressInfo).port;
  artist = await signIn(api.app, api.t.infra.database.db, 'artist');
});

interface Exchange {
  socket: net.Socket;
  /** Everything the server sent, once it closed the connection. */
  closed: Promise<string>;
}

function open(): Exchange {
  const socket = net.connect(port, '127.0.0.1');
  let data = '';
  socket.setEncoding('latin1');
  socket.on('data', (d: string) => (data += d));
  socket.on('error', () => {});
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(data)));
  return { socket, closed };
}

const statusOf = (response: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
const bodyOf = (response: string) =>
  JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as { error: { code: string } };
const tempUploads = async () =>
  (await readdir(path.join(api.t.dataDir, 'tmp', 'uploads')).catch(() => [] as string[])).filter((f) =>
    f.startsWith('upload-'),
  );
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('request timeouts', () => {
  it('headers that stop arriving: 408 and the connection is closed', async () => {
    const { socket, closed } = open();
    socket.write('GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    const response = await closed;
    expect(statusOf(response)).toBe(408);
  });

  it('a JSON body that stops arriving: 408 with a JSON error, connection closed', async () => {
    const { socket, closed } = open();
    socket.write(
      'POST /api/v1/tracks/1/plays HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"secondsListened":',
    );
    const response = await closed;
    expect(statusOf(response)).toBe(408);
    expect(bodyOf(response).error.code).toBe('request_timeout');
    expect(api.t.logLines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('a JSON body trickled in under the idle limit is still cut by the whole-request limit', async () => {
    const { socket, closed } = open();
    socket.write(
      'POST /api/v1/tracks/1/plays HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"secondsListened":',
    );
    let stopped = false;
    void closed.then(() => (stopped = true));
    // Far more chunks, each well inside the idle limit, than fit in the whole-request limit.
    for (let i = 0; i < 400 && !stopped; i++) {
      socket.write(' ');
      await pause(50);
    }
    const response = await closed;
    expect(statusOf(response)).toBe(408);
    expect(bodyOf(response).error.code).toBe('request_timeout');
  });

  it('an upload that stalls: 408, connection closed, no temp file left', async () => {
    const boundary = `----earshot${randomBytes(6).toString('hex')}`;
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nStalled\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.flac"\r\nContent-Type: application/octet-stream\r\n\r\n`;
    const { socket, closed } = open();
    socket.write(
      `POST /api/v1/tracks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${artist.token}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 10000000\r\n\r\n`,
    );
    socket.write(head);
    socket.write(randomBytes(256 * 1024));
    const response = await closed;
    expect(statusOf(response)).toBe(408);
    // The receiver removes its temp file when the stream fails; give its `finally` a turn.
    for (let i = 0; i < 100 && (await tempUploads()).length; i++) await pause(20);
    expect(await tempUploads()).toEqual([]);
    // A client that stalls is not a server failure.
    expect(api.t.logLines.filter((l) => l.level === 'error' || l.level === 'fatal')).toEqual([]);
  });

  it('an upload that keeps sending is never cut, however long it takes', async () => {
    const audio = await readFile(await generateTone(path.join(api.t.dataDir, 'tone.flac'), { seconds: 2 }));
    const boundary = `----earshot${randomBytes(6).toString('hex')}`;
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nSlow and steady\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="tone.flac"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      audio,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const { socket, closed } = open();
    socket.write(
      `POST /api/v1/tracks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${artist.token}\r\nConnection: close\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    // 100 chunks, 50 ms apart: more than twice the whole-request limit of other routes, never idle.
    const chunks = 100;
    const size = Math.ceil(body.length / chunks);
    for (let i = 0; i < chunks; i++) {
      socket.write(body.subarray(i * size, (i + 1) * size));
      await pause(50);
    }
    const response = await closed;
    expect(statusOf(response), response.slice(0, 400)).toBe(201);
  });
});

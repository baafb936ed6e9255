import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@earshot/config';
import { createObjectStore } from '@earshot/storage';
import { freePort, spawnTs, waitForHttp } from '../support/process.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('SIGTERM', () => {
  it('lets an in-flight download finish, refuses new work, then exits 0', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-shutdown-'));
    dirs.push(dataDir);
    const port = await freePort();
    const env = { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', NODE_ENV: 'development' };

    // A 24 MiB public file: big enough that a paused reader keeps the response in flight.
    const payload = randomBytes(24 * 1024 * 1024);
    const store = createObjectStore(loadConfig(env).storage);
    await store.ensureBuckets();
    await store.put('images', 'big/file.bin', payload, { contentType: 'application/octet-stream' });
    await store.close();

    const proc = spawnTs('test/fixtures/serve-embedded.ts', env);
    await waitForHttp(`http://127.0.0.1:${port}/api/v1/health`, proc);

    const received: Buffer[] = [];
    const done = new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/images/big/file.bin', agent: false }, (res) => {
        res.once('data', (chunk: Buffer) => {
          received.push(chunk);
          res.pause();
          // The response has started and the client stops reading: now ask the server to stop.
          proc.child.kill('SIGTERM');
          setTimeout(() => {
            res.on('data', (c: Buffer) => received.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(received) }));
            res.resume();
          }, 1_500);
        });
        res.on('error', reject);
      });
      req.on('error', reject);
    });

    // While draining, the port no longer takes new connections.
    await new Promise((r) => setTimeout(r, 800));
    const refused = await fetch(`http://127.0.0.1:${port}/api/v1/health`).then(
      (r) => r.status,
      () => 'refused' as const,
    );
    expect([503, 'refused']).toContain(refused);

    const { status, body } = await done;
    expect(status).toBe(200);
    expect(body.length).toBe(payload.length);
    expect(createHash('sha256').update(body).digest('hex')).toBe(createHash('sha256').update(payload).digest('hex'));

    const exit = await proc.exited;
    expect(exit, proc.output()).toEqual({ code: 0, signal: null });
    expect(proc.output()).toMatch(/shutting down/);
  });
});

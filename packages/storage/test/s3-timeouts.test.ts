import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../src/index.ts';

// An S3 endpoint that accepts connections and never answers: every call must fail (after the SDK's
// retries) instead of hanging the request or job that made it (STORAGE_TIMEOUT_MS).
let silent: net.Server;
let port: number;
const held: net.Socket[] = [];

beforeAll(async () => {
  silent = net.createServer((socket) => held.push(socket));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  port = (silent.address() as net.AddressInfo).port;
});
afterAll(async () => {
  for (const s of held) s.destroy();
  await new Promise((r) => silent.close(r));
});

describe('S3 calls to a server that never answers', () => {
  it('fail with a timeout instead of waiting forever', async () => {
    const store = new S3ObjectStore({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      accessKeyId: 'k',
      secretAccessKey: 's',
      timeoutMs: 200,
    });
    await expect(store.head('images', 'avatars/user-1/a-128.webp')).rejects.toThrow(/timeout|timed out/i);
    await expect(store.put('waveforms', 'version-1/x.json', '{}', { contentType: 'application/json' })).rejects.toThrow(
      /timeout|timed out/i,
    );
    expect(held.length).toBeGreaterThan(0);
    await store.close();
  });
});

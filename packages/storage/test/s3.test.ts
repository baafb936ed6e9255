import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../src/index.ts';
import { objectStoreContract } from './object-store-contract.ts';

let server: S3rver | undefined;
let dir = '';
let endpoint = '';

afterAll(async () => {
  await server?.close().catch(() => {});
  await rm(dir, { recursive: true, force: true });
});

// s3rver fails large DeleteObjects requests (it deletes every key at once and races on its own
// folders); MinIO and S3 take 1,000. Small batches here still exercise the batching path.
const options = () => ({ endpoint, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', bucketPrefix: 'contract-', deleteBatchSize: 40 });

objectStoreContract('S3 (s3rver on loopback)', async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-s3rver-'));
  server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir });
  const { port } = (await server.run()) as unknown as { port: number };
  endpoint = `http://127.0.0.1:${port}`;
  return new S3ObjectStore(options());
}, { manyObjects: 130 });

describe('S3 health', () => {
  it('check() fails when the server is gone', async () => {
    const store = new S3ObjectStore(options());
    await store.check();
    await server!.close();
    server = undefined;
    await expect(store.check()).rejects.toThrow();
    await store.close();
  });
});

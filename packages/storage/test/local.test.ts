import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUCKETS, InvalidKeyError, LocalObjectStore, createObjectStore } from '../src/index.ts';
import { objectStoreContract } from './object-store-contract.ts';

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));

async function tempRoot(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'earshot-local-store-'));
  roots.push(root);
  return root;
}

let contractRoot = '';
objectStoreContract(
  'local folders',
  async () => {
    contractRoot = await tempRoot();
    return new LocalObjectStore({ root: contractRoot, bucketPrefix: 'contract-' });
  },
  {
    leftovers: async () => {
      const left: string[] = [];
      for (const bucket of BUCKETS)
        left.push(...(await readdir(path.join(contractRoot, `contract-${bucket}`, '.earshot-tmp'))));
      return left;
    },
  },
);

describe('LocalObjectStore on disk', () => {
  it('keeps one folder per bucket, objects at their key path, bookkeeping out of listings', async () => {
    const root = await tempRoot();
    const store = createObjectStore({ kind: 'local', root, bucketPrefix: 'x-' });
    expect(store.kind).toBe('local');
    await store.ensureBuckets();
    expect((await readdir(root)).sort()).toEqual(BUCKETS.map((b) => `x-${b}`).sort());
    await store.put('images', 'a/b.png', 'png', { contentType: 'image/png' });
    expect(await readdir(path.join(root, 'x-images', 'a'))).toEqual(['b.png']);
    const all: string[] = [];
    for await (const o of store.list('images')) all.push(o.key);
    expect(all).toEqual(['a/b.png']);
    // Deleting the last key of a folder removes the folder, as a prefix disappears on S3.
    await store.delete('images', 'a/b.png');
    expect((await readdir(path.join(root, 'x-images'))).filter((n) => !n.startsWith('.earshot-'))).toEqual([]);
  });

  it('refuses keys naming its bookkeeping folders', async () => {
    const store = new LocalObjectStore({ root: await tempRoot() });
    await store.ensureBuckets();
    for (const key of ['.earshot-tmp/x', '.earshot-meta/a.png']) {
      await expect(store.put('images', key, 'x')).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(store.head('images', key)).rejects.toBeInstanceOf(InvalidKeyError);
    }
  });

  it('skips files whose names no key can have', async () => {
    const root = await tempRoot();
    const store = new LocalObjectStore({ root });
    await store.ensureBuckets();
    await store.put('images', 'ok.png', 'x');
    await mkdir(path.join(root, 'images', 'bad'), { recursive: true });
    await writeFile(path.join(root, 'images', 'bad', 'a\\b'), 'x');
    const all: string[] = [];
    for await (const o of store.list('images')) all.push(o.key);
    expect(all).toEqual(['ok.png']);
  });

  it('links a file handed over with putFile instead of copying it', async () => {
    const root = await tempRoot();
    const store = new LocalObjectStore({ root });
    await store.ensureBuckets();
    const file = path.join(root, 'upload.tmp');
    await writeFile(file, 'master bytes');
    await store.putFile('originals', 'version-1/original.flac', file);
    const [source, stored] = await Promise.all([
      stat(file),
      stat(path.join(root, 'originals', 'version-1', 'original.flac')),
    ]);
    expect(stored.ino).toBe(source.ino);
    expect(stored.nlink).toBe(2);
  });

  // /dev/shm is a tmpfs on Linux: a file there cannot be linked into a store on another file system.
  const shm = '/dev/shm';
  const otherFileSystem = existsSync(shm) && statSync(shm).dev !== statSync(os.tmpdir()).dev;
  it.skipIf(!otherFileSystem)('copies a file from another file system with putFile', async () => {
    const store = new LocalObjectStore({ root: await tempRoot() });
    await store.ensureBuckets();
    const dir = await mkdtemp(path.join(shm, 'earshot-putfile-'));
    try {
      const file = path.join(dir, 'cover.jpg');
      await writeFile(file, 'jpeg bytes');
      await store.putFile('images', 'a/cover.jpg', file);
      await rm(dir, { recursive: true });
      expect(await text((await store.get('images', 'a/cover.jpg')).body)).toBe('jpeg bytes');
      expect((await store.head('images', 'a/cover.jpg'))?.contentType).toBe('image/jpeg');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails its check when a bucket folder is missing', async () => {
    const store = new LocalObjectStore({ root: await tempRoot() });
    await expect(store.check()).rejects.toThrow();
    await store.ensureBuckets();
    await expect(store.check()).resolves.toBeUndefined();
  });
});

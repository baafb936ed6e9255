import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidKeyError,
  InvalidRangeError,
  ObjectNotFoundError,
  type Bucket,
  type ObjectStore,
} from '../src/index.ts';
import { closeAfterAll } from '../../../test/support/lifecycle.ts';

const MiB = 1024 * 1024;

/** `size` bytes generated on demand (never all in memory), and their sha256 computed up front. */
function generated(size: number): { stream: Readable; sha: string } {
  const chunk = 64 * 1024;
  const blocks = Array.from({ length: 7 }, (_, i) => Buffer.alloc(chunk, i + 1));
  const blockAt = (offset: number) =>
    blocks[(offset / chunk) % blocks.length]!.subarray(0, Math.min(chunk, size - offset));
  const hash = createHash('sha256');
  for (let offset = 0; offset < size; offset += chunk) hash.update(blockAt(offset));
  let sent = 0;
  const stream = new Readable({
    read() {
      if (sent >= size) return void this.push(null);
      const block = blockAt(sent);
      sent += block.length;
      this.push(block);
    },
  });
  return { stream, sha: hash.digest('hex') };
}

/** Sends `failAfter` bytes, then fails as a dropped client connection would. */
function failingStream(failAfter: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= failAfter) return void this.destroy(new Error('client went away'));
      sent += MiB;
      this.push(Buffer.alloc(MiB, 7));
    },
  });
}

async function sha(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function keysOf(store: ObjectStore, bucket: Bucket, prefix?: string): Promise<string[]> {
  const out: string[] = [];
  for await (const object of store.list(bucket, prefix)) out.push(object.key);
  return out;
}

async function read(store: ObjectStore, bucket: Bucket, key: string): Promise<string> {
  return text((await store.get(bucket, key)).body);
}

export interface ContractOptions {
  /** Objects in the bulk deletePrefix case: above the adapter's list page and delete batch sizes. */
  manyObjects?: number;
  /** Files the adapter left behind besides objects (temp files): must be empty after a failed put. */
  leftovers?: () => Promise<string[]>;
  /** What a stand-in server lacks that S3 and MinIO have: those cases are skipped, not weakened. */
  lacks?: Array<'atomic-overwrite' | 'bytewise-order'>;
}

/**
 * The behaviour every ObjectStore adapter owes its callers, so code tested against the local
 * store behaves the same on S3. Cases share one store and use distinct keys.
 */
export function objectStoreContract(
  name: string,
  factory: () => Promise<ObjectStore>,
  options: ContractOptions = {},
): void {
  const many = options.manyObjects ?? 1050;
  const lacks = new Set(options.lacks);

  describe(`ObjectStore contract: ${name}`, () => {
    let store: ObjectStore;
    beforeAll(async () => {
      store = await factory();
    });
    closeAfterAll(() => [store]);

    it('creates its buckets idempotently and passes its check', async () => {
      await store.ensureBuckets();
      await store.ensureBuckets();
      await expect(store.check()).resolves.toBeUndefined();
    });

    it('round-trips a buffer and a string', async () => {
      expect(await store.put('originals', 'a/buffer.bin', Buffer.from([0, 1, 2, 255]))).toMatchObject({ size: 4 });
      expect(await store.put('originals', 'a/string.txt', 'héllo')).toMatchObject({ size: 6 });
      const buffer = await store.get('originals', 'a/buffer.bin');
      expect(buffer).toMatchObject({ contentLength: 4, totalSize: 4 });
      expect(buffer.range).toBeUndefined();
      expect(Buffer.concat(await buffer.body.toArray())).toEqual(Buffer.from([0, 1, 2, 255]));
      expect(await read(store, 'originals', 'a/string.txt')).toBe('héllo');
      expect(await store.head('originals', 'a/string.txt')).toMatchObject({
        key: 'a/string.txt',
        size: 6,
        lastModified: expect.any(Date),
      });
    });

    it('round-trips a 12 MiB stream of unknown length (multipart on S3)', async () => {
      const size = 12 * MiB + 123;
      const big = generated(size);
      expect(await store.put('originals', 'a/big.bin', big.stream)).toMatchObject({ size });
      const got = await store.get('originals', 'a/big.bin');
      expect(got).toMatchObject({ contentLength: size, totalSize: size });
      expect(await sha(got.body)).toBe(big.sha);
      expect((await store.head('originals', 'a/big.bin'))?.size).toBe(size);
    });

    it('round-trips a stream of known length', async () => {
      const body = Readable.from([Buffer.from('hello '), Buffer.from('world')]);
      expect(await store.put('originals', 'a/known.txt', body, { contentLength: 11 })).toMatchObject({ size: 11 });
      expect(await read(store, 'originals', 'a/known.txt')).toBe('hello world');
    });

    it('stores a local file with putFile, which stays the object after the file is deleted', async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-putfile-'));
      try {
        const file = path.join(dir, 'master.flac');
        await writeFile(file, 'first version');
        expect(await store.putFile('originals', 'pf/master.flac', file, { contentType: 'audio/flac' })).toMatchObject({
          size: 13,
        });
        await store.putFile('originals', 'pf/again.flac', file);
        await rm(file);
        expect(await read(store, 'originals', 'pf/master.flac')).toBe('first version');
        expect(await store.head('originals', 'pf/master.flac')).toMatchObject({ size: 13, contentType: 'audio/flac' });
        // Over an existing object, from a new file: the new bytes, as with put.
        await writeFile(file, 'second');
        await store.putFile('originals', 'pf/master.flac', file);
        expect(await read(store, 'originals', 'pf/master.flac')).toBe('second');
        expect(await read(store, 'originals', 'pf/again.flac')).toBe('first version');
        await expect(store.putFile('originals', 'pf/missing.flac', path.join(dir, 'absent'))).rejects.toMatchObject({
          code: 'ENOENT',
        });
        await expect(store.putFile('originals', '../escape', file)).rejects.toBeInstanceOf(InvalidKeyError);
        expect(await keysOf(store, 'originals', 'pf/')).toEqual(['pf/again.flac', 'pf/master.flac']);
        if (options.leftovers) expect(await options.leftovers()).toEqual([]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('keeps the content type and cache-control given to put', async () => {
      const options = { contentType: 'application/octet-stream', cacheControl: 'public, max-age=31536000, immutable' };
      await store.put('transcodes', 'version-1/seg_001.m4s', 'segment', options);
      expect(await store.head('transcodes', 'version-1/seg_001.m4s')).toMatchObject(options);
      const got = await store.get('transcodes', 'version-1/seg_001.m4s');
      expect(got).toMatchObject(options);
      got.body.resume();
      // A put without them drops the old ones, like any overwrite on S3.
      await store.put('transcodes', 'version-1/seg_001.m4s', 'segment');
      expect((await store.head('transcodes', 'version-1/seg_001.m4s'))?.cacheControl).toBeUndefined();
    });

    it('infers the content type from the extension when none is given', async () => {
      const cases = {
        'version-1/playlist.m3u8': 'application/vnd.apple.mpegurl',
        'version-1/init.mp4': 'audio/mp4',
        'version-1.json': 'application/json',
      };
      for (const [key, type] of Object.entries(cases)) {
        await store.put('transcodes', key, 'x');
        expect((await store.head('transcodes', key))?.contentType).toBe(type);
        const got = await store.get('transcodes', key);
        expect(got.contentType).toBe(type);
        got.body.resume();
      }
    });

    it('reports absent objects', async () => {
      expect(await store.head('images', 'nope.png')).toBeNull();
      expect(await store.head('images', 'no/such/folder.png')).toBeNull();
      await expect(store.get('images', 'nope.png')).rejects.toBeInstanceOf(ObjectNotFoundError);
      await expect(store.get('images', 'nope.png', { range: { start: 0, end: 1 } })).rejects.toBeInstanceOf(
        ObjectNotFoundError,
      );
    });

    it('serves byte ranges', async () => {
      await store.put('waveforms', 'r.txt', '0123456789');
      const mid = await store.get('waveforms', 'r.txt', { range: { start: 2, end: 5 } });
      expect(mid).toMatchObject({ contentLength: 4, totalSize: 10, range: { start: 2, end: 5 } });
      expect(await text(mid.body)).toBe('2345');
      const tail = await store.get('waveforms', 'r.txt', { range: { start: 7 } });
      expect(tail).toMatchObject({ contentLength: 3, totalSize: 10, range: { start: 7, end: 9 } });
      expect(await text(tail.body)).toBe('789');
      const last = await store.get('waveforms', 'r.txt', { range: { start: 9, end: 9 } });
      expect(last).toMatchObject({ contentLength: 1, range: { start: 9, end: 9 } });
      expect(await text(last.body)).toBe('9');
      const clamped = await store.get('waveforms', 'r.txt', { range: { start: 5, end: 500 } });
      expect(clamped).toMatchObject({ contentLength: 5, range: { start: 5, end: 9 } });
      expect(await text(clamped.body)).toBe('56789');
    });

    it('refuses unsatisfiable and malformed ranges with the object size', async () => {
      await store.put('waveforms', 'r2.txt', '0123456789');
      for (const range of [{ start: 10 }, { start: 11, end: 20 }, { start: 5, end: 4 }, { start: -1 }]) {
        const err = await store.get('waveforms', 'r2.txt', { range }).catch((e: unknown) => e);
        expect(err, JSON.stringify(range)).toBeInstanceOf(InvalidRangeError);
        expect((err as InvalidRangeError).totalSize).toBe(10);
      }
    });

    it('overwrites, deletes, and deletes absent objects quietly', async () => {
      await store.put('images', 'o/o.txt', 'one, longer');
      await store.put('images', 'o/o.txt', 'two');
      expect(await read(store, 'images', 'o/o.txt')).toBe('two');
      expect((await store.head('images', 'o/o.txt'))?.size).toBe(3);
      await store.delete('images', 'o/o.txt');
      expect(await store.head('images', 'o/o.txt')).toBeNull();
      await expect(store.get('images', 'o/o.txt')).rejects.toBeInstanceOf(ObjectNotFoundError);
      await expect(store.delete('images', 'o/o.txt')).resolves.toBeUndefined();
      await expect(store.delete('images', 'never/was.txt')).resolves.toBeUndefined();
      expect(await keysOf(store, 'images', 'o/')).toEqual([]);
    });

    it('treats a prefix of other keys as no object', async () => {
      await store.put('images', 'f/a.png', 'a', { contentType: 'image/png' });
      expect(await store.head('images', 'f')).toBeNull();
      await expect(store.get('images', 'f')).rejects.toBeInstanceOf(ObjectNotFoundError);
      await expect(store.delete('images', 'f')).resolves.toBeUndefined();
      expect(await read(store, 'images', 'f/a.png')).toBe('a');
    });

    it.skipIf(lacks.has('atomic-overwrite'))('ends concurrent puts of one key with one whole body', async () => {
      const bodies = ['a'.repeat(100_000), 'b'.repeat(200_000), 'c'.repeat(50_000)];
      await Promise.all(bodies.map((body) => store.put('images', 'race.txt', body)));
      expect(bodies).toContain(await read(store, 'images', 'race.txt'));
    });

    it('lists in key order, by prefix, with sizes', async () => {
      const keys = ['l/p/b.txt', 'l/p/a.txt', 'l/p/sub/c.txt', 'l/pq/d.txt', 'l/other/e.txt', 'l/p/é.txt', 'l/p/z.txt'];
      for (const key of keys) await store.put('images', key, key);
      // Bytewise: 'é' (0xC3 0xA9) after 'z'; 'l/p/…' before 'l/pq/…' ('/' is 0x2F, 'q' 0x71).
      const inP = ['l/p/a.txt', 'l/p/b.txt', 'l/p/sub/c.txt', 'l/p/z.txt', 'l/p/é.txt'];
      expect(await keysOf(store, 'images', 'l/')).toEqual(['l/other/e.txt', ...inP, 'l/pq/d.txt']);
      expect(await keysOf(store, 'images', 'l/p/')).toEqual(inP);
      expect(await keysOf(store, 'images', 'l/p')).toEqual([...inP, 'l/pq/d.txt']);
      expect(await keysOf(store, 'images', 'l/p/s')).toEqual(['l/p/sub/c.txt']);
      expect(await keysOf(store, 'images', 'l/p/a.txt')).toEqual(['l/p/a.txt']);
      const first = (await store.list('images', 'l/p/a')[Symbol.asyncIterator]().next()).value;
      expect(first).toMatchObject({ key: 'l/p/a.txt', size: 9, lastModified: expect.any(Date) });
    });

    it.skipIf(lacks.has('bytewise-order'))('orders keys bytewise across folders, as S3 does', async () => {
      // '-' < '.' < '/' < '0': a folder-by-folder walk would put everything under b/p/ first.
      for (const key of ['b/p/a.txt', 'b/p0', 'b/p.txt', 'b/p-x.txt', 'b/p/sub/c.txt'])
        await store.put('images', key, key);
      expect(await keysOf(store, 'images', 'b/')).toEqual([
        'b/p-x.txt',
        'b/p.txt',
        'b/p/a.txt',
        'b/p/sub/c.txt',
        'b/p0',
      ]);
    });

    it('lists nothing under a prefix that holds nothing, and a whole bucket without one', async () => {
      expect(await keysOf(store, 'images', 'zzz/')).toEqual([]);
      expect(await keysOf(store, 'images', 'l/p/a.txt/')).toEqual([]);
      await store.put('waveforms', 'whole/1.json', '{}');
      expect(await keysOf(store, 'waveforms')).toEqual(expect.arrayContaining(['whole/1.json', 'r.txt']));
      expect(await keysOf(store, 'waveforms', '')).toEqual(await keysOf(store, 'waveforms'));
    });

    it('deletes by prefix only that prefix, and counts', async () => {
      for (const key of ['d/p/b.txt', 'd/p/a.txt', 'd/p/sub/c.txt', 'd/pq/d.txt', 'd/p-x.txt', 'd/other/e.txt'])
        await store.put('images', key, key);
      expect(await store.deletePrefix('images', 'd/p/')).toBe(3);
      expect(await keysOf(store, 'images', 'd/')).toEqual(['d/other/e.txt', 'd/p-x.txt', 'd/pq/d.txt']);
      expect(await store.deletePrefix('images', 'd/p')).toBe(2);
      expect(await store.deletePrefix('images', 'd/p')).toBe(0);
      expect(await keysOf(store, 'images', 'd/')).toEqual(['d/other/e.txt']);
    });

    it(`deletes a prefix of ${many} objects`, async () => {
      // Flat keys: s3rver deletes a batch's keys in parallel and races on removing their emptied folder.
      const keys = Array.from({ length: many }, (_, i) => `many-${String(i).padStart(4, '0')}.json`);
      for (let i = 0; i < keys.length; i += 25)
        await Promise.all(keys.slice(i, i + 25).map((key) => store.put('waveforms', key, '{}')));
      await store.put('waveforms', 'manx.json', '{}');
      expect(await keysOf(store, 'waveforms', 'many-')).toEqual(keys);
      expect(await store.deletePrefix('waveforms', 'many-')).toBe(many);
      expect(await keysOf(store, 'waveforms', 'many-')).toEqual([]);
      expect(await store.head('waveforms', 'manx.json')).not.toBeNull();
    });

    const invalid = [
      '../x',
      '/abs',
      'a/../../b',
      'a\\b',
      'a\u0000b',
      'a\nb',
      'a//b',
      './a',
      'a/./b',
      'a/..',
      'x'.repeat(1025),
      `a/${'x'.repeat(256)}`,
      '\uD800x',
      'a\u0085b',
    ];
    it.each(['', ...invalid])('rejects the key %j on every method', async (key) => {
      await expect(store.put('images', key, 'x')).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(store.put('images', key, Readable.from(['x']))).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(store.get('images', key)).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(store.head('images', key)).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(store.delete('images', key)).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(store.deletePrefix('images', key)).rejects.toBeInstanceOf(InvalidKeyError);
      // The empty prefix is the one valid prefix among these: the whole bucket.
      if (key) await expect(keysOf(store, 'images', key)).rejects.toBeInstanceOf(InvalidKeyError);
    });

    it('accepts a key of 1024 bytes in segments of up to 255', async () => {
      const segment = `${'é'.repeat(127)}k`;
      const key = `${segment}/${segment}/${segment}/${'é'.repeat(127)}/k`;
      expect(Buffer.byteLength(key)).toBe(1024);
      await store.put('images', key, 'long');
      expect(await read(store, 'images', key)).toBe('long');
      await store.delete('images', key);
      expect(await store.head('images', key)).toBeNull();
    });

    it('leaves nothing behind when the source stream fails mid-put', async () => {
      // Small (one PutObject on S3) and past one 5 MiB part (multipart on S3), new and overwriting.
      await store.put('originals', 'broken/kept.flac', 'previous');
      for (const [key, failAfter] of [
        ['broken/small.flac', MiB],
        ['broken/large.flac', 7 * MiB],
        ['broken/kept.flac', 7 * MiB],
      ] as const) {
        await expect(store.put('originals', key, failingStream(failAfter))).rejects.toThrow('client went away');
      }
      expect(await store.head('originals', 'broken/small.flac')).toBeNull();
      expect(await store.head('originals', 'broken/large.flac')).toBeNull();
      expect(await read(store, 'originals', 'broken/kept.flac')).toBe('previous');
      expect(await keysOf(store, 'originals', 'broken/')).toEqual(['broken/kept.flac']);
      if (options.leftovers) expect(await options.leftovers()).toEqual([]);
    });

    it('lists only objects, never its own bookkeeping', async () => {
      await store.put('images', 'meta/only.png', 'png', { contentType: 'image/png', cacheControl: 'no-cache' });
      const all = await keysOf(store, 'images');
      expect(all).toContain('meta/only.png');
      for (const key of all) expect(await store.head('images', key), key).not.toBeNull();
    });
  });
}

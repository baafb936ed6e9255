import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidKeyError, InvalidRangeError, ObjectNotFoundError, type ObjectStore } from '../src/index.ts';

/** A lazily generated stream of `size` bytes (never held in memory at once) and its sha256. */
function generated(size: number): { stream: Readable; sha: string } {
  const hash = createHash('sha256');
  const chunk = 64 * 1024;
  let sent = 0;
  const blocks: Buffer[] = [];
  for (let i = 0; i < 4; i++) blocks.push(Buffer.alloc(chunk, i + 1));
  for (let s = 0; s < size; s += chunk) hash.update(blocks[(s / chunk) % 4]!.subarray(0, Math.min(chunk, size - s)));
  const stream = new Readable({
    read() {
      if (sent >= size) return this.push(null);
      const n = Math.min(chunk, size - sent);
      this.push(blocks[(sent / chunk) % 4]!.subarray(0, n));
      sent += n;
    },
  });
  return { stream, sha: hash.digest('hex') };
}

async function sha(stream: Readable): Promise<string> {
  const h = createHash('sha256');
  for await (const c of stream) h.update(c as Buffer);
  return h.digest('hex');
}

async function keysOf(store: ObjectStore, prefix?: string): Promise<string[]> {
  const out: string[] = [];
  for await (const o of store.list('images', prefix)) out.push(o.key);
  return out;
}

/** Every ObjectStore adapter passes these. */
export function objectStoreContract(name: string, factory: () => Promise<ObjectStore>, options: { manyObjects?: number } = {}): void {
  const many = options.manyObjects ?? 1050;
  describe(`ObjectStore contract: ${name}`, () => {
    let store: ObjectStore;
    it('creates its buckets idempotently and passes its check', async () => {
      store = await factory();
      await store.ensureBuckets();
      await store.ensureBuckets();
      await expect(store.check()).resolves.toBeUndefined();
    });

    it('round-trips a buffer, a string and a multi-MB stream', async () => {
      await store.put('originals', 'a/buffer.bin', Buffer.from('hello buffer'));
      await store.put('originals', 'a/string.txt', 'hello string');
      const big = generated(12 * 1024 * 1024 + 123);
      const put = await store.put('originals', 'a/big.bin', big.stream);
      expect(put.size).toBe(12 * 1024 * 1024 + 123);
      expect(await text((await store.get('originals', 'a/buffer.bin')).body)).toBe('hello buffer');
      expect(await text((await store.get('originals', 'a/string.txt')).body)).toBe('hello string');
      const got = await store.get('originals', 'a/big.bin');
      expect(got.contentLength).toBe(12 * 1024 * 1024 + 123);
      expect(await sha(got.body)).toBe(big.sha);
    });

    it('keeps the content type', async () => {
      await store.put('transcodes', 'version-1/playlist.m3u8', '#EXTM3U\n', { contentType: 'application/vnd.apple.mpegurl' });
      expect((await store.head('transcodes', 'version-1/playlist.m3u8'))?.contentType).toBe('application/vnd.apple.mpegurl');
      const got = await store.get('transcodes', 'version-1/playlist.m3u8');
      expect(got.contentType).toBe('application/vnd.apple.mpegurl');
      got.body.resume();
    });

    it('reports absent objects', async () => {
      expect(await store.head('images', 'nope.png')).toBeNull();
      await expect(store.get('images', 'nope.png')).rejects.toBeInstanceOf(ObjectNotFoundError);
    });

    it('serves byte ranges', async () => {
      await store.put('waveforms', 'r.txt', '0123456789');
      const mid = await store.get('waveforms', 'r.txt', { range: { start: 2, end: 5 } });
      expect(await text(mid.body)).toBe('2345');
      expect(mid).toMatchObject({ contentLength: 4, totalSize: 10, range: { start: 2, end: 5 } });
      const tail = await store.get('waveforms', 'r.txt', { range: { start: 7 } });
      expect(await text(tail.body)).toBe('789');
      const last = await store.get('waveforms', 'r.txt', { range: { start: 9, end: 9 } });
      expect(await text(last.body)).toBe('9');
      const over = await store.get('waveforms', 'r.txt', { range: { start: 5, end: 500 } });
      expect(await text(over.body)).toBe('56789');
      await expect(store.get('waveforms', 'r.txt', { range: { start: 10 } })).rejects.toBeInstanceOf(InvalidRangeError);
    });

    it('overwrites, deletes, and deletes absent objects quietly', async () => {
      await store.put('images', 'o.txt', 'one');
      await store.put('images', 'o.txt', 'two');
      expect(await text((await store.get('images', 'o.txt')).body)).toBe('two');
      await store.delete('images', 'o.txt');
      expect(await store.head('images', 'o.txt')).toBeNull();
      await expect(store.delete('images', 'o.txt')).resolves.toBeUndefined();
    });

    it('lists in key order by prefix and deletes by prefix only', async () => {
      for (const k of ['p/b.txt', 'p/a.txt', 'p/sub/c.txt', 'pq/d.txt', 'other/e.txt']) await store.put('images', k, k);
      expect(await keysOf(store, 'p/')).toEqual(['p/a.txt', 'p/b.txt', 'p/sub/c.txt']);
      expect(await keysOf(store, 'p')).toEqual(['p/a.txt', 'p/b.txt', 'p/sub/c.txt', 'pq/d.txt']);
      expect(await keysOf(store, 'zzz/')).toEqual([]);
      expect(await store.deletePrefix('images', 'p/')).toBe(3);
      expect(await keysOf(store)).toEqual(['other/e.txt', 'pq/d.txt']);
    });

    it('deletes prefixes larger than one batch', async () => {
      // 1,050 > one DeleteObjects batch of 1,000; written 25 at a time. Flat keys: s3rver races
      // when parallel deletes empty a folder (it removes the folder under its own feet).
      for (let i = 0; i < many; i += 25) {
        await Promise.all(Array.from({ length: Math.min(25, many - i) }, (_, j) => store.put('waveforms', `many-${String(i + j).padStart(4, '0')}.json`, '{}')));
      }
      expect(await store.deletePrefix('waveforms', 'many-')).toBe(many);
      const left: string[] = [];
      for await (const o of store.list('waveforms', 'many-')) left.push(o.key);
      expect(left).toEqual([]);
    });

    it.each(['../x', '/abs', 'a/../../b', 'a\\b', 'a\u0000b', '', 'a//b', './a', 'a/./b'])('rejects the key %j on every method', async (key) => {
      await expect(store.put('images', key, 'x')).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(store.get('images', key)).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(store.head('images', key)).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(store.delete('images', key)).rejects.toBeInstanceOf(InvalidKeyError);
      if (key) await expect(store.deletePrefix('images', key)).rejects.toBeInstanceOf(InvalidKeyError);
    });

    it('leaves nothing behind when the source stream fails mid-put', async () => {
      let sent = 0;
      const failing = new Readable({
        read() {
          if (sent > 6 * 1024 * 1024) return this.destroy(new Error('client went away'));
          sent += 1024 * 1024;
          this.push(Buffer.alloc(1024 * 1024, 7));
        },
      });
      await expect(store.put('originals', 'broken/upload.flac', failing)).rejects.toThrow();
      expect(await store.head('originals', 'broken/upload.flac')).toBeNull();
      const left: string[] = [];
      for await (const o of store.list('originals', 'broken/')) left.push(o.key);
      expect(left).toEqual([]);
    });

    it('closes', async () => {
      await store.close();
    });
  });
}

import { describe, expect, it } from 'vitest';
import { FileCache } from '../src/http/file-cache.ts';

describe('FileCache', () => {
  const file = (n: number, staleAt = Number.MAX_SAFE_INTEGER) => ({ body: Buffer.alloc(n), etag: undefined, staleAt });

  it('evicts the least recently used files past its byte budget', () => {
    const cache = new FileCache(1000, 600, 60_000);
    cache.set('a', file(400));
    cache.set('b', file(400));
    expect(cache.get('a', 0)).toBeDefined(); // a is now the most recent
    cache.set('c', file(400));
    expect(cache.get('b', 0)).toBeUndefined();
    expect(cache.get('a', 0)).toBeDefined();
    expect(cache.get('c', 0)).toBeDefined();
    expect(cache.size).toEqual({ files: 2, bytes: 800 });
  });

  it('never keeps a file bigger than its per-file limit, and counts gzipped copies', () => {
    const cache = new FileCache(1000, 600, 60_000);
    cache.set('big', file(601));
    expect(cache.size).toEqual({ files: 0, bytes: 0 });
    const f = file(100);
    cache.set('p', f);
    cache.addGzip(f, Buffer.alloc(30));
    expect(cache.size.bytes).toBe(130);
    cache.set('p', file(50));
    expect(cache.size).toEqual({ files: 1, bytes: 50 });
  });

  it('forgets a file once stale, so a re-processed version is read again', () => {
    const cache = new FileCache(1000, 600, 60_000);
    cache.set('a', file(100, 5_000));
    expect(cache.get('a', 4_999)).toBeDefined();
    expect(cache.get('a', 5_000)).toBeUndefined();
    expect(cache.size).toEqual({ files: 0, bytes: 0 });
  });
});

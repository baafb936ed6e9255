import { LRUCache } from 'lru-cache';

/** A stored file kept in memory: HLS files of a ready version never change. */
export interface CachedFile {
  body: Buffer;
  etag: string | undefined;
  /** Gzipped body, for playlists, made on first use. */
  gzip?: Buffer;
  staleAt: number;
}

const sizeOf = (file: CachedFile): number => file.body.length + (file.gzip?.length ?? 0);

/**
 * Least-recently-used cache of whole files, bounded in bytes (`lru-cache`). Serving a 200 KB
 * segment from memory costs a Node process about half of what opening, reading and closing the
 * file does (see docs/performance.md); nginx gets the same from the page cache. Entries expire at
 * their `staleAt` (the caller's clock) so a re-processed version is picked up.
 */
export class FileCache {
  private readonly files: LRUCache<string, CachedFile>;
  /** Key of each cached file, so a gzipped copy added later is counted against its entry. */
  private readonly keys = new WeakMap<CachedFile, string>();

  constructor(
    readonly maxBytes: number,
    readonly maxFileBytes: number,
    readonly ttlMs: number,
  ) {
    this.files = new LRUCache<string, CachedFile>({
      maxSize: Math.max(1, maxBytes),
      maxEntrySize: Math.max(1, Math.min(maxFileBytes, maxBytes)),
      sizeCalculation: (file) => Math.max(1, sizeOf(file)),
    });
  }

  get size(): { files: number; bytes: number } {
    let bytes = 0;
    for (const file of this.files.values()) bytes += sizeOf(file);
    return { files: this.files.size, bytes };
  }

  get(key: string, now: number): CachedFile | undefined {
    const file = this.files.get(key);
    if (!file) return undefined;
    if (file.staleAt <= now) {
      this.files.delete(key);
      return undefined;
    }
    return file;
  }

  set(key: string, file: CachedFile): void {
    const size = sizeOf(file);
    if (this.maxBytes <= 0 || size > this.maxFileBytes || size > this.maxBytes) return;
    this.keys.set(file, key);
    this.files.set(key, file);
  }

  addGzip(file: CachedFile, gzip: Buffer): void {
    if (file.gzip) return;
    file.gzip = gzip;
    const key = this.keys.get(file);
    // Stored again so its size is counted anew (and dropped if it no longer fits).
    if (key !== undefined && this.files.peek(key) === file) {
      if (sizeOf(file) > this.maxFileBytes || sizeOf(file) > this.maxBytes) this.files.delete(key);
      else this.files.set(key, file);
    }
  }
}

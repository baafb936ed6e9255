import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BUCKETS, InvalidRangeError, ObjectNotFoundError, type Bucket, type ByteRange, type GetResult, type ObjectInfo, type ObjectStore, type PutOptions } from './object-store.ts';
import { validateKey } from './validate-key.ts';
import { contentTypeFor } from './content-types.ts';

/** Hidden folders inside each bucket folder: never listed, never valid key segments. */
const TMP_DIR = '.tmp';
const META_DIR = '.meta';

interface Meta {
  contentType?: string;
  cacheControl?: string;
}

/**
 * Embedded mode's object store: one folder per bucket under `root`, same keys as S3. Writes go
 * to a temp file in the bucket folder and are renamed into place, so a reader never sees half
 * an object and a failed upload leaves nothing behind.
 */
export class LocalObjectStore implements ObjectStore {
  readonly kind = 'local' as const;
  private readonly root: string;
  private readonly bucketPrefix: string;

  constructor(options: { root: string; bucketPrefix?: string }) {
    this.root = path.resolve(options.root);
    this.bucketPrefix = options.bucketPrefix ?? '';
  }

  private bucketDir(bucket: Bucket): string {
    if (!BUCKETS.includes(bucket)) throw new Error(`unknown bucket ${bucket}`);
    return path.join(this.root, `${this.bucketPrefix}${bucket}`);
  }

  private file(bucket: Bucket, key: string): string {
    validateKey(key);
    if (key.split('/')[0] === TMP_DIR || key.split('/')[0] === META_DIR) throw new ObjectNotFoundError(bucket, key);
    const dir = this.bucketDir(bucket);
    const file = path.resolve(dir, key);
    if (!file.startsWith(dir + path.sep)) throw new ObjectNotFoundError(bucket, key);
    return file;
  }

  private metaFile(bucket: Bucket, key: string): string {
    return path.join(this.bucketDir(bucket), META_DIR, `${key}.json`);
  }

  async ensureBuckets(): Promise<void> {
    for (const b of BUCKETS) await mkdir(path.join(this.bucketDir(b), TMP_DIR), { recursive: true });
  }

  async put(bucket: Bucket, key: string, body: Readable | Buffer | string, options: PutOptions = {}): Promise<{ size: number }> {
    const target = this.file(bucket, key);
    const tmpDir = path.join(this.bucketDir(bucket), TMP_DIR);
    await mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, randomUUID());
    try {
      if (typeof body === 'string' || Buffer.isBuffer(body)) await writeFile(tmp, body);
      else await pipeline(body, createWriteStream(tmp));
      await mkdir(path.dirname(target), { recursive: true });
      const meta: Meta = { contentType: options.contentType, cacheControl: options.cacheControl };
      if (meta.contentType || meta.cacheControl) {
        const mf = this.metaFile(bucket, key);
        await mkdir(path.dirname(mf), { recursive: true });
        await writeFile(mf, JSON.stringify(meta));
      } else await rm(this.metaFile(bucket, key), { force: true });
      await rename(tmp, target);
      return { size: (await stat(target)).size };
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  private async meta(bucket: Bucket, key: string): Promise<Meta> {
    try {
      return JSON.parse(await readFile(this.metaFile(bucket, key), 'utf8')) as Meta;
    } catch {
      return {};
    }
  }

  async get(bucket: Bucket, key: string, options: { range?: ByteRange } = {}): Promise<GetResult> {
    const file = this.file(bucket, key);
    // Open first so the size and the bytes come from the same file even if it is replaced meanwhile.
    let handle;
    try {
      handle = await open(file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EISDIR' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') throw new ObjectNotFoundError(bucket, key);
      throw err;
    }
    const info = await handle.stat();
    if (!info.isFile()) {
      await handle.close();
      throw new ObjectNotFoundError(bucket, key);
    }
    const total = info.size;
    let start = 0;
    let end = total - 1;
    if (options.range) {
      start = options.range.start;
      end = options.range.end === undefined ? total - 1 : Math.min(options.range.end, total - 1);
      if (start >= total || start > end) {
        await handle.close();
        throw new InvalidRangeError(total);
      }
    }
    const meta = await this.meta(bucket, key);
    const body = total === 0 ? (await handle.close(), Readable.from([])) : createReadStream('', { fd: handle, start, end, autoClose: true, highWaterMark: 256 * 1024 });
    return {
      body,
      contentLength: total === 0 ? 0 : end - start + 1,
      totalSize: total,
      contentType: meta.contentType ?? contentTypeFor(key),
      lastModified: info.mtime,
      etag: `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`,
      range: options.range ? { start, end } : undefined,
    };
  }

  async head(bucket: Bucket, key: string): Promise<ObjectInfo | null> {
    const file = this.file(bucket, key);
    try {
      const info = await stat(file);
      if (!info.isFile()) return null;
      const meta = await this.meta(bucket, key);
      return { key, size: info.size, lastModified: info.mtime, contentType: meta.contentType ?? contentTypeFor(key), etag: `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"` };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
      throw err;
    }
  }

  async delete(bucket: Bucket, key: string): Promise<void> {
    const file = this.file(bucket, key);
    await unlink(file).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT' && err.code !== 'ENOTDIR') throw err;
    });
    await rm(this.metaFile(bucket, key), { force: true });
    await this.pruneEmptyDirs(bucket, path.dirname(file));
  }

  async deletePrefix(bucket: Bucket, prefix: string): Promise<number> {
    validateKey(prefix, { prefix: true });
    let n = 0;
    for await (const object of this.list(bucket, prefix)) {
      await this.delete(bucket, object.key);
      n++;
    }
    return n;
  }

  async *list(bucket: Bucket, prefix = ''): AsyncIterable<ObjectInfo> {
    validateKey(prefix, { prefix: true });
    const dir = this.bucketDir(bucket);
    // Start from the deepest folder the prefix names, then filter by the full prefix.
    const baseRel = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const keysFound: string[] = [];
    await this.walk(dir, baseRel, prefix, keysFound);
    keysFound.sort();
    for (const key of keysFound) {
      const info = await this.head(bucket, key);
      if (info) yield info;
    }
  }

  private async walk(dir: string, rel: string, prefix: string, out: string[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(path.join(dir, rel), { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return;
      throw err;
    }
    for (const entry of entries) {
      if (!rel && (entry.name === TMP_DIR || entry.name === META_DIR)) continue;
      const key = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) await this.walk(dir, key, prefix, out);
      } else if (entry.isFile() && key.startsWith(prefix)) out.push(key);
    }
  }

  private async pruneEmptyDirs(bucket: Bucket, from: string): Promise<void> {
    const dir = this.bucketDir(bucket);
    let current = from;
    while (current.startsWith(dir + path.sep)) {
      try {
        await rmdir(current);
      } catch {
        return;
      }
      current = path.dirname(current);
    }
  }

  async check(): Promise<void> {
    await stat(this.bucketDir('originals'));
  }

  async close(): Promise<void> {}
}

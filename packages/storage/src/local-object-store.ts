import { constants, createReadStream, type Stats } from 'node:fs';
import {
  copyFile,
  link,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  rmdir,
  stat,
  unlink,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BUCKETS, InvalidKeyError, ObjectNotFoundError } from './object-store.ts';
import type { Bucket, ByteRange, GetResult, ObjectInfo, ObjectStore, PutOptions } from './object-store.ts';
import type { PutBody, PutFileOptions, PutResult } from './object-store.ts';
import { validateKey } from './validate-key.ts';
import { contentTypeFor } from './content-types.ts';
import { resolveRange } from './byte-range.ts';

/**
 * Hidden folders inside each bucket folder. Temp files live in the bucket folder so `rename` never
 * crosses file systems; keys whose first segment is one of these are refused (InvalidKeyError).
 */
const TMP_DIR = '.earshot-tmp';
const META_DIR = '.earshot-meta';
const RESERVED = new Set([TMP_DIR, META_DIR]);

interface Meta {
  contentType?: string;
  cacheControl?: string;
}

export interface LocalObjectStoreOptions {
  root: string;
  /** Prepended to every bucket folder name, as S3 bucket names get it. */
  bucketPrefix?: string;
}

/** `link` errors that mean "copy instead": another file system, or one without hard links. */
const CANNOT_LINK = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'ENOSYS']);

const isMissing = (err: unknown) => ['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '');

/** Removes `file` if it is one: a key may name a folder that only holds other keys. */
async function removeFile(file: string): Promise<void> {
  try {
    if ((await stat(file)).isFile()) await unlink(file);
  } catch (err) {
    if (!isMissing(err)) throw err;
  }
}

/** Every put renames a new file into place, so its inode changes even when size and mtime do not. */
const etagOf = (info: Stats) =>
  `"${info.ino.toString(16)}-${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;

/**
 * Renames `from` to `to`, creating `to`'s folders. A concurrent delete may prune a folder between
 * the mkdir and the rename, hence the retries.
 */
async function moveInto(from: string, to: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await mkdir(path.dirname(to), { recursive: true });
    try {
      return await rename(from, to);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 3) throw err;
    }
  }
}

/**
 * Embedded mode's object store: one folder per bucket under `root`, same keys as S3. Writes go
 * to a temp file in the bucket folder and are renamed into place, so a reader never sees half
 * an object and a failed upload leaves nothing behind. Content type and cache-control, which a
 * file cannot carry, live in a sidecar tree (`.earshot-meta/<key>`) that mirrors the keys; an
 * object whose content type is the one its extension implies and that has no cache-control has
 * none. `putFile` links the caller's file into place instead of copying it.
 *
 * One difference from S3 that a file system imposes: `a` and `a/b` cannot both exist (a path is
 * a file or a folder); the second put fails. No key layout of `keys.ts` does that.
 */
/** Files deleted at once by `deletePrefix`. */
const DELETE_CONCURRENCY = 16;

export class LocalObjectStore implements ObjectStore {
  readonly kind = 'local' as const;
  private readonly root: string;
  private readonly bucketPrefix: string;

  constructor(options: LocalObjectStoreOptions) {
    this.root = path.resolve(options.root);
    this.bucketPrefix = options.bucketPrefix ?? '';
  }

  private bucketDir(bucket: Bucket): string {
    if (!BUCKETS.includes(bucket)) throw new Error(`unknown bucket ${String(bucket)}`);
    return path.join(this.root, `${this.bucketPrefix}${bucket}`);
  }

  /** The file of `key`; the containment check backs up validateKey should the two ever disagree. */
  private file(bucket: Bucket, key: string): string {
    validateKey(key);
    if (RESERVED.has(key.split('/', 1)[0]!)) throw new InvalidKeyError(key);
    const dir = this.bucketDir(bucket);
    const file = path.resolve(dir, key);
    if (!file.startsWith(dir + path.sep)) throw new InvalidKeyError(key);
    return file;
  }

  localPath(bucket: Bucket, key: string): string {
    return this.file(bucket, key);
  }

  private metaFile(bucket: Bucket, key: string): string {
    return path.join(this.bucketDir(bucket), META_DIR, key);
  }

  private tmpFile(bucket: Bucket): string {
    return path.join(this.bucketDir(bucket), TMP_DIR, randomUUID());
  }

  async ensureBuckets(): Promise<void> {
    for (const bucket of BUCKETS) await mkdir(path.join(this.bucketDir(bucket), TMP_DIR), { recursive: true });
  }

  async put(bucket: Bucket, key: string, body: PutBody, options: PutOptions = {}): Promise<PutResult> {
    return this.writeThenPublish(bucket, key, options, async (tmp) => {
      if (typeof body === 'string' || Buffer.isBuffer(body)) {
        await writeFile(tmp, body, { flag: 'wx' });
      } else {
        // Created before the copy starts, so the cleanup cannot run before the file exists.
        const handle = await open(tmp, 'wx');
        await pipeline(body, handle.createWriteStream());
      }
    });
  }

  /** A hard link when `file` is on this store's file system (no bytes copied), else a copy. */
  async putFile(bucket: Bucket, key: string, file: string, options: PutFileOptions = {}): Promise<PutResult> {
    return this.writeThenPublish(bucket, key, options, async (tmp) => {
      try {
        await link(file, tmp);
      } catch (err) {
        if (!CANNOT_LINK.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
        await copyFile(file, tmp, constants.COPYFILE_EXCL);
      }
    });
  }

  /**
   * `write` fills a new temp file in the bucket folder; it is then renamed over `key`, its
   * metadata first. On any failure neither file is left behind.
   */
  private async writeThenPublish(
    bucket: Bucket,
    key: string,
    options: PutOptions,
    write: (tmp: string) => Promise<void>,
  ): Promise<PutResult> {
    const target = this.file(bucket, key);
    await mkdir(path.join(this.bucketDir(bucket), TMP_DIR), { recursive: true });
    const tmp = this.tmpFile(bucket);
    const metaTmp = this.tmpFile(bucket);
    try {
      await write(tmp);
      const info = await stat(tmp);
      // Metadata first: once the object is visible, its content type already is. A content type
      // the key's extension implies is not written down (reads infer it the same way).
      const contentType = options.contentType === contentTypeFor(key) ? undefined : options.contentType;
      const meta: Meta = { contentType, cacheControl: options.cacheControl };
      const metaTarget = this.metaFile(bucket, key);
      if (meta.contentType || meta.cacheControl) {
        await writeFile(metaTmp, JSON.stringify(meta), { flag: 'wx' });
        await moveInto(metaTmp, metaTarget);
      } else {
        await removeFile(metaTarget);
      }
      await moveInto(tmp, target);
      return { size: info.size, etag: etagOf(info) };
    } catch (err) {
      await Promise.all([rm(tmp, { force: true }), rm(metaTmp, { force: true })]);
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
    // Open first: size and bytes then come from the same file even if it is replaced meanwhile.
    let handle;
    try {
      handle = await open(file, 'r');
    } catch (err) {
      if (isMissing(err) || (err as NodeJS.ErrnoException).code === 'EISDIR')
        throw new ObjectNotFoundError(bucket, key);
      throw err;
    }
    let range: { start: number; end: number } | undefined;
    let info: Stats;
    try {
      info = await handle.stat();
      if (!info.isFile()) throw new ObjectNotFoundError(bucket, key);
      if (options.range) range = resolveRange(options.range, info.size);
    } catch (err) {
      await handle.close();
      throw err;
    }
    const meta = await this.meta(bucket, key);
    let body: Readable;
    if (info.size === 0) {
      await handle.close();
      body = Readable.from([]);
    } else {
      body = createReadStream('', {
        fd: handle,
        start: range?.start ?? 0,
        end: range?.end ?? info.size - 1,
        highWaterMark: 256 * 1024,
      });
    }
    return {
      body,
      contentLength: range ? range.end - range.start + 1 : info.size,
      totalSize: info.size,
      contentType: meta.contentType ?? contentTypeFor(key),
      cacheControl: meta.cacheControl,
      lastModified: info.mtime,
      etag: etagOf(info),
      range,
    };
  }

  async head(bucket: Bucket, key: string): Promise<ObjectInfo | null> {
    const file = this.file(bucket, key);
    let info: Stats;
    try {
      info = await stat(file);
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
    if (!info.isFile()) return null;
    const meta = await this.meta(bucket, key);
    return {
      key,
      size: info.size,
      lastModified: info.mtime,
      contentType: meta.contentType ?? contentTypeFor(key),
      cacheControl: meta.cacheControl,
      etag: etagOf(info),
    };
  }

  async delete(bucket: Bucket, key: string): Promise<void> {
    const file = this.file(bucket, key);
    const metaFile = this.metaFile(bucket, key);
    await removeFile(file);
    await removeFile(metaFile);
    await this.pruneEmptyDirs(this.bucketDir(bucket), path.dirname(file));
    await this.pruneEmptyDirs(path.join(this.bucketDir(bucket), META_DIR), path.dirname(metaFile));
  }

  async deletePrefix(bucket: Bucket, prefix: string): Promise<number> {
    if (prefix === '') throw new InvalidKeyError(prefix);
    const found: string[] = [];
    for await (const object of this.list(bucket, prefix)) found.push(object.key);
    // A few at a time (a track's media is ~900 files): deleting only removes files and empty
    // folders, so concurrent deletes cannot undo each other.
    let next = 0;
    const worker = async () => {
      while (next < found.length) await this.delete(bucket, found[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(DELETE_CONCURRENCY, found.length) }, worker));
    return found.length;
  }

  async *list(bucket: Bucket, prefix = ''): AsyncIterable<ObjectInfo> {
    validateKey(prefix, { prefix: true });
    // Walk from the deepest folder the prefix names, filtering by the full prefix on the way.
    const base = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const found: string[] = [];
    await this.walk(this.bucketDir(bucket), base, prefix, found);
    // S3 orders by UTF-8 bytes, so `a-b` < `a/b` < `a0`: a folder-by-folder walk is not enough.
    found.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    for (const key of found) {
      let info: ObjectInfo | null;
      try {
        info = await this.head(bucket, key);
      } catch (err) {
        // A file put there by hand with a name no key can have: not an object of this store.
        if (err instanceof InvalidKeyError) continue;
        throw err;
      }
      if (info) yield info;
    }
  }

  private async walk(dir: string, rel: string, prefix: string, out: string[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(path.join(dir, rel), { withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) return;
      throw err;
    }
    for (const entry of entries) {
      if (!rel && RESERVED.has(entry.name)) continue;
      const key = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) await this.walk(dir, key, prefix, out);
      } else if (entry.isFile() && key.startsWith(prefix)) {
        out.push(key);
      }
    }
  }

  /** Folders exist only to hold keys: removing the last key of a prefix removes its folders, as on S3. */
  private async pruneEmptyDirs(stopAt: string, from: string): Promise<void> {
    let current = from;
    while (current.startsWith(stopAt + path.sep)) {
      try {
        await rmdir(current);
      } catch {
        return;
      }
      current = path.dirname(current);
    }
  }

  async check(): Promise<void> {
    for (const bucket of BUCKETS) {
      if (!(await stat(this.bucketDir(bucket))).isDirectory())
        throw new Error(`not a folder: ${this.bucketDir(bucket)}`);
    }
  }

  async close(): Promise<void> {}
}

import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { access, mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { createGunzip, createGzip, type Gzip } from 'node:zlib';

/**
 * The embedded backup file: one gzip stream of
 *
 *   "EARSHOT-BACKUP\n"
 *   entry*            4-byte big-endian header length, header JSON {path, size, sha256}, `size` bytes
 *   manifest entry    path "manifest.json": format version and what the backup holds (backup.ts)
 *   end record        4-byte length, JSON {end: true, sha256}: SHA-256 of every byte before it
 *
 * Each entry carries its own checksum, the manifest lists every entry with its checksum, and the
 * end record seals the whole stream: a truncated, corrupted or foreign file is refused before
 * anything is restored (readArchive).
 */
export const BACKUP_MAGIC = 'EARSHOT-BACKUP\n';
export const MANIFEST_PATH = 'manifest.json';
const MAX_HEADER = 64 * 1024;

export interface EntryInfo {
  path: string;
  size: number;
  sha256: string;
}

export class InvalidBackupError extends Error {
  constructor(message: string) {
    super(`not a valid Earshot backup: ${message}`);
    this.name = 'InvalidBackupError';
  }
}

/** Paths inside a backup: relative, `/`-separated, no empty, `.` or `..` segment, printable. */
export function checkEntryPath(p: string): void {
  if (
    !/^[\x21-\x7e\u00a0-\uffff][\x20-\x7e\u00a0-\uffff]*$/.test(p) ||
    p.includes('\\') ||
    p.startsWith('/') ||
    p.split('/').some((s) => s === '' || s === '.' || s === '..')
  ) {
    throw new InvalidBackupError(`bad entry path ${JSON.stringify(p)}`);
  }
}

export class ArchiveWriter {
  private readonly gzip: Gzip;
  private readonly out: WriteStream;
  private readonly whole = createHash('sha256');
  readonly entries: EntryInfo[] = [];

  private constructor(
    readonly file: string,
    private readonly partial: string,
    out: WriteStream,
  ) {
    this.out = out;
    this.gzip = createGzip({ level: 6 });
    this.gzip.pipe(this.out);
    const magic = Buffer.from(BACKUP_MAGIC);
    this.whole.update(magic);
    this.gzip.write(magic);
  }

  /** Starts `file` (refused when it exists), written as a hidden `.partial` file until finish(). */
  static async create(file: string): Promise<ArchiveWriter> {
    const partial = path.join(path.dirname(file), `.${path.basename(file)}.partial`);
    await access(file).then(
      () => {
        throw new Error(`${file} already exists`);
      },
      () => undefined,
    );
    const handle = await open(partial, 'wx', 0o600);
    return new ArchiveWriter(file, partial, createWriteStream('', { fd: handle }));
  }

  private async write(chunk: Buffer): Promise<void> {
    this.whole.update(chunk);
    if (!this.gzip.write(chunk))
      await new Promise<void>((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        this.out.once('error', onError);
        this.gzip.once('drain', () => {
          this.out.off('error', onError);
          resolve();
        });
      });
  }

  private async header(obj: object): Promise<void> {
    const json = Buffer.from(JSON.stringify(obj));
    const len = Buffer.alloc(4);
    len.writeUInt32BE(json.length);
    await this.write(len);
    await this.write(json);
  }

  async addBytes(entryPath: string, data: Uint8Array): Promise<void> {
    checkEntryPath(entryPath);
    const info = { path: entryPath, size: data.byteLength, sha256: createHash('sha256').update(data).digest('hex') };
    await this.header(info);
    await this.write(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    this.entries.push(info);
  }

  /** A file, hashed first (one read) and then streamed in (a second read). */
  async addFile(entryPath: string, file: string): Promise<void> {
    checkEntryPath(entryPath);
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of createReadStream(file)) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    const info = { path: entryPath, size, sha256: hash.digest('hex') };
    await this.header(info);
    let written = 0;
    for await (const chunk of createReadStream(file)) {
      written += (chunk as Buffer).length;
      await this.write(chunk as Buffer);
    }
    if (written !== size) throw new Error(`${file} changed while it was being backed up`);
    this.entries.push(info);
  }

  /** Writes the manifest and the end record, then renames the finished file into place. */
  async finish(manifest: object): Promise<void> {
    await this.addBytes(MANIFEST_PATH, Buffer.from(JSON.stringify(manifest, null, 2)));
    const sha256 = this.whole.copy().digest('hex');
    await this.header({ end: true, sha256 });
    this.gzip.end();
    await finished(this.out);
    await rename(this.partial, this.file);
  }

  async abort(): Promise<void> {
    this.gzip.destroy();
    this.out.destroy();
    await rm(this.partial, { force: true });
  }
}

/** Reads exact byte counts from a stream of chunks, hashing everything it hands out. */
class ByteReader {
  private buffered: Buffer[] = [];
  private length = 0;
  private done = false;
  constructor(
    private readonly source: AsyncIterator<Buffer>,
    readonly whole: Hash,
  ) {}

  private async fill(n: number): Promise<boolean> {
    while (this.length < n && !this.done) {
      const next = await this.source.next();
      if (next.done) this.done = true;
      else {
        this.buffered.push(next.value);
        this.length += next.value.length;
      }
    }
    return this.length >= n;
  }

  /** Up to `max` bytes (at least 1) or undefined at the end. */
  private async take(max: number): Promise<Buffer | undefined> {
    if (!(await this.fill(1))) return undefined;
    const all = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered);
    const out = all.subarray(0, Math.min(max, all.length));
    const rest = all.subarray(out.length);
    this.buffered = rest.length ? [rest] : [];
    this.length = rest.length;
    this.whole.update(out);
    return out;
  }

  async exact(n: number, what: string): Promise<Buffer> {
    if (!(await this.fill(n))) throw new InvalidBackupError(`truncated (${what})`);
    const parts: Buffer[] = [];
    for (let left = n; left > 0; ) {
      const b = (await this.take(left))!;
      parts.push(b);
      left -= b.length;
    }
    return Buffer.concat(parts);
  }

  async *chunks(n: number, what: string): AsyncGenerator<Buffer> {
    for (let left = n; left > 0; ) {
      const b = await this.take(Math.min(left, 1 << 20));
      if (!b) throw new InvalidBackupError(`truncated (${what})`);
      left -= b.length;
      yield b;
    }
  }

  async atEnd(): Promise<boolean> {
    return !(await this.fill(1));
  }
}

function parseJson(buf: Buffer, what: string): Record<string, unknown> {
  try {
    const v = JSON.parse(buf.toString('utf8')) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // below
  }
  throw new InvalidBackupError(`${what} is not a JSON object`);
}

/**
 * Unpacks `file` into `dir` (created; entry paths become relative paths under it) and returns
 * the manifest and the entries read, after checking every checksum and the end record. The
 * caller removes `dir` when this throws.
 */
export async function readArchive(
  file: string,
  dir: string,
): Promise<{ manifest: Record<string, unknown>; entries: EntryInfo[] }> {
  const gunzip = createGunzip();
  const source = createReadStream(file).pipe(gunzip);
  const reader = new ByteReader(source[Symbol.asyncIterator]() as AsyncIterator<Buffer>, createHash('sha256'));
  try {
    let magic: Buffer;
    try {
      magic = await reader.exact(BACKUP_MAGIC.length, 'magic');
    } catch (err) {
      throw err instanceof InvalidBackupError
        ? err
        : new InvalidBackupError(`not a gzip stream (${(err as Error).message})`);
    }
    if (magic.toString('latin1') !== BACKUP_MAGIC) throw new InvalidBackupError('wrong magic');
    const entries: EntryInfo[] = [];
    const seen = new Set<string>();
    let manifest: Record<string, unknown> | undefined;
    for (;;) {
      const before = reader.whole.copy().digest('hex');
      const len = (await reader.exact(4, 'header length')).readUInt32BE(0);
      if (len === 0 || len > MAX_HEADER) throw new InvalidBackupError(`bad header length ${len}`);
      const header = parseJson(await reader.exact(len, 'header'), 'an entry header');
      if (header.end === true) {
        if (header.sha256 !== before) throw new InvalidBackupError('checksum of the whole file does not match');
        if (!(await reader.atEnd())) throw new InvalidBackupError('data after the end record');
        if (!manifest) throw new InvalidBackupError('no manifest');
        return { manifest, entries };
      }
      if (manifest) throw new InvalidBackupError('entries after the manifest');
      const { path: p, size, sha256 } = header;
      if (typeof p !== 'string' || !Number.isSafeInteger(size) || (size as number) < 0 || typeof sha256 !== 'string')
        throw new InvalidBackupError('bad entry header');
      checkEntryPath(p);
      if (seen.has(p)) throw new InvalidBackupError(`entry ${p} twice`);
      seen.add(p);
      const hash = createHash('sha256');
      if (p === MANIFEST_PATH) {
        const body = await reader.exact(size as number, p);
        hash.update(body);
        if (hash.digest('hex') !== sha256) throw new InvalidBackupError(`checksum of ${p} does not match`);
        manifest = parseJson(body, 'the manifest');
        continue;
      }
      const target = path.join(dir, p);
      await mkdir(path.dirname(target), { recursive: true });
      const out = createWriteStream(target, { flags: 'wx', mode: 0o600 });
      try {
        for await (const chunk of reader.chunks(size as number, p)) {
          hash.update(chunk);
          if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
        }
      } finally {
        out.end();
        await finished(out);
      }
      if (hash.digest('hex') !== sha256) throw new InvalidBackupError(`checksum of ${p} does not match`);
      entries.push({ path: p, size: size as number, sha256 });
    }
  } catch (err) {
    if (err instanceof InvalidBackupError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (
      code === 'Z_DATA_ERROR' ||
      code === 'Z_BUF_ERROR' ||
      /unexpected end of file|incorrect header check/i.test((err as Error).message)
    ) {
      throw new InvalidBackupError(`damaged (${(err as Error).message})`);
    }
    throw err;
  } finally {
    source.destroy();
  }
}

import type { Readable } from 'node:stream';

/** The four buckets (docs/architecture.md, "Operations contracts"). Keys inside them follow `keys.ts`. */
export const BUCKETS = ['originals', 'transcodes', 'images', 'waveforms'] as const;
export type Bucket = (typeof BUCKETS)[number];

export interface ObjectInfo {
  key: string;
  size: number;
  lastModified: Date;
  contentType?: string;
  cacheControl?: string;
  etag?: string;
}

export interface PutOptions {
  contentType?: string;
  cacheControl?: string;
  /** Known length lets S3 do a single PUT; unknown lengths are streamed as multipart. */
  contentLength?: number;
}

/** What `put` streams into an object: a stream, or bytes already in memory. */
export type PutBody = Readable | Buffer | string;

/** `putFile` takes its length from the file. */
export type PutFileOptions = Omit<PutOptions, 'contentLength'>;

/** What `put` and `putFile` answer: the stored size, and the store's ETag when it gives one. */
export interface PutResult {
  size: number;
  etag?: string;
}

/** Inclusive byte range, as in HTTP `Range: bytes=start-end`; `end` omitted = to the end. */
export interface ByteRange {
  start: number;
  end?: number;
}

export interface GetResult {
  body: Readable;
  /** Bytes in `body`. */
  contentLength: number;
  /** Size of the whole object. */
  totalSize: number;
  contentType?: string;
  cacheControl?: string;
  etag?: string;
  lastModified?: Date;
  /** Present for ranged gets: the range actually returned (inclusive). */
  range?: { start: number; end: number };
}

export class ObjectNotFoundError extends Error {
  readonly code = 'OBJECT_NOT_FOUND';
  constructor(bucket: string, key: string) {
    super(`object not found: ${bucket}/${key}`);
    this.name = 'ObjectNotFoundError';
  }
}

export class InvalidRangeError extends Error {
  readonly code = 'INVALID_RANGE';
  constructor(readonly totalSize: number) {
    super('requested range not satisfiable');
    this.name = 'InvalidRangeError';
  }
}

export class InvalidKeyError extends Error {
  readonly code = 'INVALID_KEY';
  constructor(key: string) {
    super(`invalid object key: ${JSON.stringify(key.slice(0, 200))}`);
    this.name = 'InvalidKeyError';
  }
}

/**
 * Object storage port. Bodies are always streams: no adapter may hold a whole object in memory.
 * Keys are relative paths (`version-12/128k/seg_001.m4s`): no leading slash, no `..`, no NUL,
 * no backslash; adapters reject anything else with InvalidKeyError.
 */
export interface ObjectStore {
  readonly kind: 'local' | 's3';
  /** Creates missing buckets (idempotent). */
  ensureBuckets(): Promise<void>;
  /** Streams `body` into `bucket/key`, replacing any object there. Partial writes are never visible. */
  put(bucket: Bucket, key: string, body: PutBody, options?: PutOptions): Promise<PutResult>;
  /**
   * Stores the local file `file` as `bucket/key`, as `put` would its stream. The caller hands the
   * file over: it must not be written to afterwards (deleting it is fine), because the local adapter
   * links it into place instead of copying it when the file is on the same file system.
   */
  putFile(bucket: Bucket, key: string, file: string, options?: PutFileOptions): Promise<PutResult>;
  /**
   * Throws ObjectNotFoundError / InvalidRangeError. As in HTTP, an `end` past the last byte is
   * clamped; a `start` past it, or a malformed range (negative, fractional, `end < start`), is
   * InvalidRangeError.
   */
  get(bucket: Bucket, key: string, options?: { range?: ByteRange }): Promise<GetResult>;
  /** null when absent. `contentType` and `cacheControl` are those given to `put` (content type inferred from the extension otherwise). */
  head(bucket: Bucket, key: string): Promise<ObjectInfo | null>;
  /** Deleting an absent object is not an error. */
  delete(bucket: Bucket, key: string): Promise<void>;
  /**
   * Deletes every object whose key starts with `prefix`; returns how many. An empty prefix is
   * refused (InvalidKeyError): wiping a whole bucket is never what a caller with a bug meant.
   */
  deletePrefix(bucket: Bucket, prefix: string): Promise<number>;
  /** Every object under `prefix`, in key order (bytewise, as S3 sorts). Invalid prefixes throw InvalidKeyError. */
  list(bucket: Bucket, prefix?: string): AsyncIterable<ObjectInfo>;
  /** Throws when the store cannot be reached (health check). */
  check(): Promise<void>;
  /**
   * The object's file on this machine, when the store keeps objects as files (the local adapter):
   * readers such as ffmpeg may open it directly instead of copying it out first. Read only.
   */
  localPath?(bucket: Bucket, key: string): string;
  close(): Promise<void>;
}

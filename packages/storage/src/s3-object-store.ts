import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { BUCKETS, InvalidRangeError, ObjectNotFoundError, type Bucket, type ByteRange, type GetResult, type ObjectInfo, type ObjectStore, type PutOptions } from './object-store.ts';
import { validateKey } from './validate-key.ts';

export interface S3ObjectStoreOptions {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  bucketPrefix?: string;
  /** Keys per DeleteObjects request: S3's maximum (1,000) unless a server needs fewer. */
  deleteBatchSize?: number;
}

/** 5 MiB parts, two in flight: bounded memory however large the upload (platform.md §8). */
const PART_SIZE = 5 * 1024 * 1024;
const QUEUE_SIZE = 2;
/** Known-length bodies up to this size go in one PutObject. */
const SINGLE_PUT_MAX = 16 * 1024 * 1024;

function status(err: unknown): number | undefined {
  return err instanceof S3ServiceException ? err.$metadata.httpStatusCode : (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

function isNotFound(err: unknown): boolean {
  const name = (err as { name?: string })?.name;
  return status(err) === 404 || name === 'NoSuchKey' || name === 'NotFound';
}

/** Production object store: MinIO or any S3 (path-style, custom endpoint). */
export class S3ObjectStore implements ObjectStore {
  readonly kind = 's3' as const;
  private readonly client: S3Client;
  private readonly bucketPrefix: string;
  private readonly deleteBatchSize: number;

  constructor(options: S3ObjectStoreOptions) {
    this.bucketPrefix = options.bucketPrefix ?? '';
    this.deleteBatchSize = Math.min(1000, Math.max(1, options.deleteBatchSize ?? 1000));
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: true,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      maxAttempts: 3,
    });
  }

  private name(bucket: Bucket): string {
    if (!BUCKETS.includes(bucket)) throw new Error(`unknown bucket ${bucket}`);
    return `${this.bucketPrefix}${bucket}`;
  }

  async ensureBuckets(): Promise<void> {
    for (const b of BUCKETS) {
      try {
        await this.client.send(new HeadBucketCommand({ Bucket: this.name(b) }));
      } catch (err) {
        if (!isNotFound(err)) throw err;
        try {
          await this.client.send(new CreateBucketCommand({ Bucket: this.name(b) }));
        } catch (createErr) {
          const n = (createErr as { name?: string }).name;
          if (n !== 'BucketAlreadyOwnedByYou' && n !== 'BucketAlreadyExists') throw createErr;
        }
      }
    }
  }

  async put(bucket: Bucket, key: string, body: Readable | Buffer | string, options: PutOptions = {}): Promise<{ size: number; etag?: string }> {
    validateKey(key);
    const common = { Bucket: this.name(bucket), Key: key, ContentType: options.contentType, CacheControl: options.cacheControl };
    if (typeof body === 'string' || Buffer.isBuffer(body)) {
      const buf = typeof body === 'string' ? Buffer.from(body) : body;
      const out = await this.client.send(new PutObjectCommand({ ...common, Body: buf, ContentLength: buf.length }));
      return { size: buf.length, etag: out.ETag };
    }
    if (options.contentLength !== undefined && options.contentLength <= SINGLE_PUT_MAX) {
      const out = await this.client.send(new PutObjectCommand({ ...common, Body: body, ContentLength: options.contentLength }));
      return { size: options.contentLength, etag: out.ETag };
    }
    let size = 0;
    body.on('data', (c: Buffer) => (size += c.length));
    // lib-storage aborts the multipart upload when the source fails: nothing half-written stays.
    const upload = new Upload({ client: this.client, params: { ...common, Body: body }, partSize: PART_SIZE, queueSize: QUEUE_SIZE, leavePartsOnError: false });
    const out = await upload.done();
    return { size, etag: (out as { ETag?: string }).ETag };
  }

  async get(bucket: Bucket, key: string, options: { range?: ByteRange } = {}): Promise<GetResult> {
    validateKey(key);
    const range = options.range ? `bytes=${options.range.start}-${options.range.end ?? ''}` : undefined;
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.name(bucket), Key: key, Range: range }));
      const length = Number(out.ContentLength ?? 0);
      let total = length;
      let returned: { start: number; end: number } | undefined;
      const cr = out.ContentRange && /bytes (\d+)-(\d+)\/(\d+)/.exec(out.ContentRange);
      if (cr) {
        returned = { start: Number(cr[1]), end: Number(cr[2]) };
        total = Number(cr[3]);
      } else if (options.range) {
        // Server ignored the range (allowed): the body is the whole object.
        returned = undefined;
      }
      return {
        body: out.Body as Readable,
        contentLength: length,
        totalSize: total,
        contentType: out.ContentType,
        etag: out.ETag,
        lastModified: out.LastModified,
        range: returned,
      };
    } catch (err) {
      if (isNotFound(err)) throw new ObjectNotFoundError(bucket, key);
      if (status(err) === 416 || (err as { name?: string }).name === 'InvalidRange') {
        const info = await this.head(bucket, key);
        throw new InvalidRangeError(info?.size ?? 0);
      }
      throw err;
    }
  }

  async head(bucket: Bucket, key: string): Promise<ObjectInfo | null> {
    validateKey(key);
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.name(bucket), Key: key }));
      return { key, size: Number(out.ContentLength ?? 0), lastModified: out.LastModified ?? new Date(0), contentType: out.ContentType, etag: out.ETag };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async delete(bucket: Bucket, key: string): Promise<void> {
    validateKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.name(bucket), Key: key }));
  }

  async deletePrefix(bucket: Bucket, prefix: string): Promise<number> {
    validateKey(prefix, { prefix: true });
    let batch: string[] = [];
    let n = 0;
    const flush = async () => {
      if (!batch.length) return;
      const out = await this.client.send(new DeleteObjectsCommand({ Bucket: this.name(bucket), Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }));
      if (out.Errors?.length) throw new Error(`could not delete ${out.Errors.length} object(s): ${out.Errors[0]?.Message ?? out.Errors[0]?.Code}`);
      n += batch.length;
      batch = [];
    };
    for await (const o of this.list(bucket, prefix)) {
      batch.push(o.key);
      if (batch.length === this.deleteBatchSize) await flush();
    }
    await flush();
    return n;
  }

  async *list(bucket: Bucket, prefix = ''): AsyncIterable<ObjectInfo> {
    validateKey(prefix, { prefix: true });
    let token: string | undefined;
    do {
      const out = await this.client.send(new ListObjectsV2Command({ Bucket: this.name(bucket), Prefix: prefix || undefined, ContinuationToken: token }));
      for (const o of out.Contents ?? []) if (o.Key) yield { key: o.Key, size: Number(o.Size ?? 0), lastModified: o.LastModified ?? new Date(0), etag: o.ETag };
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
  }

  async check(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.name('originals') }));
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

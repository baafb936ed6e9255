import { open } from 'node:fs/promises';
import { pipeline, Transform, type Readable } from 'node:stream';
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
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { BUCKETS, InvalidKeyError, InvalidRangeError, ObjectNotFoundError } from './object-store.ts';
import type { Bucket, ByteRange, GetResult, ObjectInfo, ObjectStore, PutOptions } from './object-store.ts';
import type { PutBody, PutFileOptions, PutResult } from './object-store.ts';
import { validateKey } from './validate-key.ts';
import { contentTypeFor } from './content-types.ts';
import { isWellFormedRange } from './byte-range.ts';

const DEFAULT_TIMEOUT_MS = 30_000;

export interface S3ObjectStoreOptions {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Prepended to the four bucket names, so several deployments can share one server. */
  bucketPrefix?: string;
  /** Keys per DeleteObjects request: S3's maximum (1,000) unless a server needs fewer. Tests lower it to exercise batching with few objects. */
  deleteBatchSize?: number;
  /** Keys per ListObjectsV2 page: S3's maximum (1,000) by default. Tests lower it to exercise paging. */
  listPageSize?: number;
  /** Connect timeout and socket idle timeout of every S3 request (STORAGE_TIMEOUT_MS); 30 s by default. */
  timeoutMs?: number;
}

/** 5 MiB parts (S3's minimum), two in flight: at most ~10 MiB buffered per upload however large. */
const PART_SIZE = 5 * 1024 * 1024;
const QUEUE_SIZE = 2;
/** Known-length streams up to this size go in one PutObject: streamed, but not retryable once read, so kept small. */
const SINGLE_PUT_MAX = 16 * 1024 * 1024;
/** A health check must answer, not hang on an unreachable host. */
const CHECK_TIMEOUT_MS = 5_000;

interface SdkError {
  name?: string;
  $metadata?: { httpStatusCode?: number };
}

const statusOf = (err: unknown) => (err as SdkError | undefined)?.$metadata?.httpStatusCode;
const nameOf = (err: unknown) => (err as SdkError | undefined)?.name;
const isNotFound = (err: unknown) => statusOf(err) === 404 || nameOf(err) === 'NoSuchKey' || nameOf(err) === 'NotFound';
const isInvalidRange = (err: unknown) => statusOf(err) === 416 || nameOf(err) === 'InvalidRange';

/** Counts the bytes that pass, for the size `put` returns when the length is not known up front. */
function byteCounter(): Transform & { bytes: number } {
  const counter = new Transform({
    transform(chunk: Buffer | string, _encoding, done) {
      counter.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      done(null, chunk);
    },
  }) as Transform & { bytes: number };
  counter.bytes = 0;
  return counter;
}

/**
 * Production object store: MinIO or any S3 (path-style, custom endpoint). Bodies stream both
 * ways; the SDK's own retries (3 attempts) cover transient errors.
 */
export class S3ObjectStore implements ObjectStore {
  readonly kind = 's3' as const;
  private readonly client: S3Client;
  private readonly bucketPrefix: string;
  private readonly deleteBatchSize: number;
  private readonly listPageSize: number;

  constructor(options: S3ObjectStoreOptions) {
    this.bucketPrefix = options.bucketPrefix ?? '';
    this.deleteBatchSize = Math.min(1000, Math.max(1, options.deleteBatchSize ?? 1000));
    this.listPageSize = Math.min(1000, Math.max(1, options.listPageSize ?? 1000));
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: true,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      maxAttempts: 3,
      // Never wait forever on storage: a connection that does not open, or a request whose socket
      // stays silent, fails (and is retried) instead of holding a request or job open.
      requestHandler: {
        connectionTimeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        socketTimeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      },
      // The SDK's default CRC trailers on streamed PutObject use aws-chunked encoding, which older
      // MinIO releases and other S3-compatible servers store verbatim (framing and all). Checksums
      // only where the API demands them (DeleteObjects) keeps every S3-compatible server happy.
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
  }

  private name(bucket: Bucket): string {
    if (!BUCKETS.includes(bucket)) throw new Error(`unknown bucket ${String(bucket)}`);
    return `${this.bucketPrefix}${bucket}`;
  }

  /** HeadBucket first, so a deployment whose buckets exist needs no CreateBucket permission. */
  async ensureBuckets(): Promise<void> {
    for (const bucket of BUCKETS) {
      try {
        await this.client.send(new HeadBucketCommand({ Bucket: this.name(bucket) }));
      } catch (err) {
        if (!isNotFound(err)) throw err;
        try {
          await this.client.send(new CreateBucketCommand({ Bucket: this.name(bucket) }));
        } catch (createErr) {
          // Another process created it in between.
          if (nameOf(createErr) !== 'BucketAlreadyOwnedByYou') throw createErr;
        }
      }
    }
  }

  async put(bucket: Bucket, key: string, body: PutBody, options: PutOptions = {}): Promise<PutResult> {
    validateKey(key);
    // Set explicitly so S3 answers what the local store infers, not binary/octet-stream.
    const common = {
      Bucket: this.name(bucket),
      Key: key,
      ContentType: options.contentType ?? contentTypeFor(key),
      CacheControl: options.cacheControl,
    };
    if (typeof body === 'string' || Buffer.isBuffer(body)) {
      const buffer = typeof body === 'string' ? Buffer.from(body) : body;
      const out = await this.client.send(
        new PutObjectCommand({ ...common, Body: buffer, ContentLength: buffer.length }),
      );
      return { size: buffer.length, etag: out.ETag };
    }
    let sourceError: Error | undefined;
    try {
      if (options.contentLength !== undefined && options.contentLength <= SINGLE_PUT_MAX) {
        const out = await this.client.send(
          new PutObjectCommand({ ...common, Body: body, ContentLength: options.contentLength }),
        );
        return { size: options.contentLength, etag: out.ETag };
      }
      const counter = byteCounter();
      // A failing source destroys the counter, which fails the upload; the Upload then aborts the
      // multipart upload (leavePartsOnError: false), so no parts and no object remain.
      body.once('error', (err) => (sourceError = err));
      pipeline(body, counter, () => {});
      const upload = new Upload({
        client: this.client,
        params: { ...common, Body: counter },
        partSize: PART_SIZE,
        queueSize: QUEUE_SIZE,
        leavePartsOnError: false,
      });
      const out = await upload.done();
      return { size: counter.bytes, etag: out.ETag };
    } catch (err) {
      // Whatever the SDK did not read must not hold its file or socket open.
      body.destroy();
      if (!sourceError || err === sourceError) throw err;
      // The Upload rethrows the source's error unless aborting the multipart upload failed too.
      throw new Error(
        `${sourceError.message} (then aborting the multipart upload failed: ${(err as Error).message}; its parts stay until a lifecycle rule removes them)`,
        {
          cause: sourceError,
        },
      );
    }
  }

  async putFile(bucket: Bucket, key: string, file: string, options: PutFileOptions = {}): Promise<PutResult> {
    validateKey(key);
    // Size and bytes from one open file: a single PUT with its length when it fits, else multipart.
    const handle = await open(file, 'r');
    let size: number;
    try {
      size = (await handle.stat()).size;
    } catch (err) {
      await handle.close();
      throw err;
    }
    return this.put(bucket, key, handle.createReadStream(), { ...options, contentLength: size });
  }

  async get(bucket: Bucket, key: string, options: { range?: ByteRange } = {}): Promise<GetResult> {
    validateKey(key);
    const { range } = options;
    if (range && !isWellFormedRange(range)) throw new InvalidRangeError(await this.sizeOf(bucket, key));
    try {
      const out = await this.client.send(
        new GetObjectCommand({
          Bucket: this.name(bucket),
          Key: key,
          Range: range ? `bytes=${range.start}-${range.end ?? ''}` : undefined,
        }),
      );
      const length = Number(out.ContentLength ?? 0);
      const served = out.ContentRange ? /^bytes (\d+)-(\d+)\/(\d+)$/.exec(out.ContentRange) : null;
      return {
        body: out.Body as Readable,
        contentLength: length,
        // A server may ignore a range and send everything (200, no Content-Range): then `range` stays unset.
        totalSize: served ? Number(served[3]) : length,
        range: served ? { start: Number(served[1]), end: Number(served[2]) } : undefined,
        contentType: out.ContentType,
        cacheControl: out.CacheControl,
        etag: out.ETag,
        lastModified: out.LastModified,
      };
    } catch (err) {
      if (isNotFound(err)) throw new ObjectNotFoundError(bucket, key);
      if (isInvalidRange(err)) throw new InvalidRangeError(await this.sizeOf(bucket, key));
      throw err;
    }
  }

  /** For InvalidRangeError, which carries the size so HTTP can answer `Content-Range: bytes *\/size`. */
  private async sizeOf(bucket: Bucket, key: string): Promise<number> {
    const info = await this.head(bucket, key);
    if (!info) throw new ObjectNotFoundError(bucket, key);
    return info.size;
  }

  async head(bucket: Bucket, key: string): Promise<ObjectInfo | null> {
    validateKey(key);
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.name(bucket), Key: key }));
      return {
        key,
        size: Number(out.ContentLength ?? 0),
        lastModified: out.LastModified ?? new Date(0),
        contentType: out.ContentType,
        cacheControl: out.CacheControl,
        etag: out.ETag,
      };
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
    if (prefix === '') throw new InvalidKeyError(prefix);
    validateKey(prefix, { prefix: true });
    let batch: string[] = [];
    let deleted = 0;
    const flush = async () => {
      if (!batch.length) return;
      const out = await this.client.send(
        new DeleteObjectsCommand({
          Bucket: this.name(bucket),
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      // Quiet mode reports only failures; S3 answers 200 even when some keys failed.
      if (out.Errors?.length) {
        const first = out.Errors[0]!;
        throw new Error(
          `could not delete ${out.Errors.length} object(s) under ${bucket}/${prefix}, first ${first.Key}: ${first.Code} ${first.Message ?? ''}`.trim(),
        );
      }
      deleted += batch.length;
      batch = [];
    };
    // Deleting while listing is safe: continuation tokens resume after the last key returned.
    for await (const object of this.list(bucket, prefix)) {
      batch.push(object.key);
      if (batch.length === this.deleteBatchSize) await flush();
    }
    await flush();
    return deleted;
  }

  async *list(bucket: Bucket, prefix = ''): AsyncIterable<ObjectInfo> {
    validateKey(prefix, { prefix: true });
    let token: string | undefined;
    do {
      const out = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.name(bucket),
          Prefix: prefix || undefined,
          ContinuationToken: token,
          MaxKeys: this.listPageSize,
        }),
      );
      for (const object of out.Contents ?? []) {
        if (object.Key !== undefined)
          yield {
            key: object.Key,
            size: Number(object.Size ?? 0),
            lastModified: object.LastModified ?? new Date(0),
            etag: object.ETag,
          };
      }
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
  }

  async check(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.name('originals') }), {
      abortSignal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
    });
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

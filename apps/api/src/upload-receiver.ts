import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { assertUtf8, payloadTooLarge, unsupportedMedia, validationFailed, type ReceivedFile } from '@earshot/core';

export interface ReceivedUpload {
  file: ReceivedFile;
  fields: Record<string, string>;
  /** Removes the temp file; safe to call twice. */
  discard(): Promise<void>;
}

/** Temp files of uploads being received are named so. */
const UPLOAD_TEMP_PREFIX = 'upload-';

/** Where uploads are received: swept of stale files at start and hourly (app.ts). */
export function uploadTempDir(dataDir: string): string {
  return path.join(dataDir, 'tmp', 'uploads');
}
const MAX_FIELD_BYTES = 16 * 1024;
/** The track's fields (tags from the file fill those left out: docs/architecture.md, "Tags from the file"). */
const ALLOWED_FIELDS = new Set([
  'title',
  'description',
  'visibility',
  'genre',
  'album',
  'trackNumber',
  'year',
  'coverFromFile',
]);
/** Text fields accepted before the file: each allowed field once, with room to spare; more → 413. */
const MAX_FIELDS = ALLOWED_FIELDS.size;

/**
 * Streams the multipart `file` part to a temp file (never into memory) and collects the text
 * fields, in whatever order the client sent them. Over the size limit → 413 and nothing kept.
 * Every refusal removes the temp file, after its stream has closed (removing it while the open
 * is still under way would leave a 0-byte file behind). Text fields must be UTF-8 (400 otherwise).
 */
export async function receiveUpload(
  request: FastifyRequest,
  tmpDir: string,
  maxBytes: number,
): Promise<ReceivedUpload> {
  if (!request.isMultipart()) throw unsupportedMedia('Send the file as multipart/form-data with a `file` field');
  await mkdir(tmpDir, { recursive: true });
  const tempPath = path.join(tmpDir, `${UPLOAD_TEMP_PREFIX}${randomUUID()}`);
  let sink: WriteStream | undefined;
  const discard = async () => {
    if (sink && !sink.closed) {
      const closed = once(sink, 'close').catch(() => undefined);
      sink.destroy();
      await closed;
    }
    await rm(tempPath, { force: true });
  };
  const fields: Record<string, string> = {};
  let file: ReceivedFile | undefined;
  try {
    // Field bytes arrive as latin1 (one char per byte), so invalid UTF-8 is seen, not replaced.
    const parts = request.parts({
      defCharset: 'latin1',
      limits: {
        fileSize: maxBytes,
        files: 1,
        fields: MAX_FIELDS,
        fieldSize: MAX_FIELD_BYTES,
        parts: MAX_FIELDS + 1,
        headerPairs: 100,
      },
    });
    for await (const part of parts) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || file) {
          part.file.resume();
          throw validationFailed('Only one file, in the `file` field', { field: part.fieldname });
        }
        let size = 0;
        part.file.on('data', (chunk: Buffer) => (size += chunk.length));
        // Already destroyed before we got to it (the whole body was parsed first, and it ended
        // inside this part): nothing to copy, the body is cut short.
        if (part.file.destroyed && !part.file.readableEnded) throw new Error('Unexpected end of multipart data');
        sink = createWriteStream(tempPath);
        const stopWatching = failWhenCutShort(part.file, sink);
        try {
          await pipeline(part.file, sink);
        } finally {
          stopWatching();
        }
        if (part.file.truncated)
          throw payloadTooLarge(`The file is larger than ${Math.floor(maxBytes / 1024 / 1024)} MB`);
        file = { path: tempPath, originalFilename: sanitizeFilename(part.filename), sizeBytes: size };
      } else {
        if (!ALLOWED_FIELDS.has(part.fieldname))
          throw validationFailed(`Unknown field \`${part.fieldname.slice(0, 40)}\``, {
            field: part.fieldname.slice(0, 40),
          });
        if (part.valueTruncated)
          throw validationFailed(`Field \`${part.fieldname}\` is too long`, { field: part.fieldname });
        fields[part.fieldname] = fieldText(String(part.value), part.fieldname);
      }
    }
  } catch (err) {
    await discard();
    throw err;
  }
  if (!file) {
    await discard();
    throw validationFailed('Attach the audio file in the `file` field', { field: 'file' });
  }
  return { file, fields, discard };
}

/**
 * When the body ends (or the client hangs up) before the file part's closing boundary, busboy
 * destroys the part's stream without an error and without `close`, so a pipeline from it never
 * settles. A destroy before the part's end therefore fails the temp file's stream with busboy's
 * own words, "Unexpected end of multipart data" (→ 400 invalid_multipart), and the upload is refused.
 */
function failWhenCutShort(file: Readable, sink: WriteStream): () => void {
  const destroy = file.destroy.bind(file);
  file.destroy = (err?: Error) => {
    if (!file.readableEnded && !sink.destroyed) sink.destroy(err ?? new Error('Unexpected end of multipart data'));
    return destroy(err);
  };
  return () => {
    file.destroy = destroy;
  };
}

/** A field decoded as latin1 back to its bytes, which must be UTF-8; a part that declared another charset is kept as decoded. */
function fieldText(value: string, field: string): string {
  if (/[^\u0000-\u00ff]/.test(value)) return value;
  const bytes = Buffer.from(value, 'latin1');
  assertUtf8(bytes, field);
  return bytes.toString('utf8');
}

function sanitizeFilename(name: string | undefined): string {
  const clean = (name ?? '').replace(/[\u0000-\u001f\u007f/\\]/g, '_').trim();
  return clean.slice(-200) || 'upload';
}

import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { AppError, payloadTooLarge, validationFailed, type ReceivedFile } from '@earshot/core';

export interface ReceivedUpload {
  file: ReceivedFile;
  fields: Record<string, string>;
  /** Removes the temp file; safe to call twice. */
  discard(): Promise<void>;
}

const MAX_FIELD_BYTES = 16 * 1024;
const ALLOWED_FIELDS = new Set(['title', 'description', 'visibility']);

/**
 * Streams the multipart `file` part to a temp file (never into memory) and collects the text
 * fields, in whatever order the client sent them. Over the size limit → 413 and nothing kept.
 */
export async function receiveUpload(request: FastifyRequest, tmpDir: string, maxBytes: number): Promise<ReceivedUpload> {
  if (!request.isMultipart()) throw new AppError(415, 'unsupported_media_type', 'Send the file as multipart/form-data with a `file` field');
  await mkdir(tmpDir, { recursive: true });
  const tempPath = path.join(tmpDir, `upload-${randomUUID()}`);
  const discard = () => rm(tempPath, { force: true });
  const fields: Record<string, string> = {};
  let file: ReceivedFile | undefined;
  try {
    const parts = request.parts({ limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: MAX_FIELD_BYTES, parts: 12, headerPairs: 100 } });
    for await (const part of parts) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || file) {
          part.file.resume();
          throw validationFailed('Only one file, in the `file` field', { field: part.fieldname });
        }
        let size = 0;
        part.file.on('data', (chunk: Buffer) => (size += chunk.length));
        await pipeline(part.file, createWriteStream(tempPath));
        if (part.file.truncated) throw payloadTooLarge(`The file is larger than ${Math.floor(maxBytes / 1024 / 1024)} MB`);
        file = { path: tempPath, originalFilename: sanitizeFilename(part.filename), sizeBytes: size };
      } else {
        if (!ALLOWED_FIELDS.has(part.fieldname)) throw validationFailed(`Unknown field \`${part.fieldname.slice(0, 40)}\``, { field: part.fieldname.slice(0, 40) });
        if (part.valueTruncated) throw validationFailed(`Field \`${part.fieldname}\` is too long`, { field: part.fieldname });
        fields[part.fieldname] = String(part.value);
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

function sanitizeFilename(name: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  const clean = (name ?? '').replace(/[\u0000-\u001f\u007f/\\]/g, '_').trim();
  return clean.slice(-200) || 'upload';
}

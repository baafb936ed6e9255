/**
 * A multipart/form-data body as a browser sends it: the text fields first, then at most one file.
 */
import { randomBytes } from 'node:crypto';

export interface MultipartFile {
  /** The form field; `file` (the upload form's) unless said. */
  field?: string;
  name: string;
  content: Buffer;
  /** The part's Content-Type; `application/octet-stream` unless said. */
  type?: string;
}

export function multipartBody(
  fields: Record<string, string>,
  file?: MultipartFile,
): { payload: Buffer; headers: { 'content-type': string } } {
  const boundary = `----earshot${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file)
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      file.content,
      Buffer.from('\r\n'),
    );
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A body with just one file in `field` (an image unless said), as the artwork and avatar forms send. */
export function multipartFile(field: string, content: Buffer, name = 'cover.png', type = 'image/png') {
  return multipartBody({}, { field, name, content, type });
}

import { writeFile } from 'node:fs/promises';
import { crc32, deflateSync } from 'node:zlib';

/**
 * Writes a real, valid PNG of `width × height` black RGB pixels. All-zero rows deflate to almost
 * nothing, so a 10000 × 10000 picture is a few hundred KB on disk while a decoder needs
 * `width × height × 3` bytes for it: the shape of a decompression bomb.
 */
export async function writeBlackPng(file: string, width: number, height: number): Promise<string> {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body) >>> 0, body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows = Buffer.alloc((width * 3 + 1) * height); // filter byte 0 + black pixels, per row
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  await writeFile(file, png);
  return file;
}

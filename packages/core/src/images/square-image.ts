import sharp, { type Metadata } from 'sharp';
import { payloadTooLarge, unprocessable } from '../errors.ts';

/**
 * The one rule for images people upload (avatars, track and release artwork): decoded by sharp
 * (so only real images pass, whatever their name or declared type), at most IMAGE_MAX_BYTES and
 * MAX_INPUT_PIXELS, auto-rotated per EXIF, cropped square and written as WebP in the sizes asked
 * (metadata such as GPS is not copied).
 */

/** Largest accepted image upload (the HTTP layer enforces it while receiving). */
export const IMAGE_MAX_BYTES = 10 * 1024 * 1024;
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'avif', 'heif', 'tiff']);
/** Decompression bombs: a 10 MB PNG can claim billions of pixels. */
const MAX_INPUT_PIXELS = 40_000_000;

export const notAnImage = (
  field: string,
  why = 'The file is not an image we can read (use JPEG, PNG, WebP, GIF or AVIF)',
) => unprocessable('invalid_image', why, { field });

/** Checks and renders `image` as square WebP files, one per size (largest first as given). Throws 413/422 AppErrors. */
export async function renderSquareImage(
  image: Buffer,
  sizes: readonly number[],
  field: string,
  what = 'An image',
): Promise<Array<{ size: number; body: Buffer }>> {
  if (image.length === 0) throw notAnImage(field, 'The file is empty');
  if (image.length > IMAGE_MAX_BYTES) throw payloadTooLarge(`${what} is at most 10 MB`, { field });
  let meta: Metadata;
  try {
    meta = await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  } catch {
    throw notAnImage(field);
  }
  if (!meta.format || !ACCEPTED_FORMATS.has(meta.format) || !meta.width || !meta.height) throw notAnImage(field);
  if (meta.width * meta.height > MAX_INPUT_PIXELS)
    throw notAnImage(field, 'The image has too many pixels (at most 40 megapixels)');
  const out: Array<{ size: number; body: Buffer }> = [];
  try {
    for (const size of sizes) {
      const body = await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
        .rotate()
        .resize(size, size, { fit: 'cover', position: 'attention' })
        .webp({ quality: 82 })
        .toBuffer();
      out.push({ size, body });
    }
  } catch {
    throw notAnImage(field, 'The image could not be decoded');
  }
  return out;
}

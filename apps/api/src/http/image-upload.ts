import type { FastifyRequest } from 'fastify';
import { AppError, IMAGE_MAX_BYTES, validationFailed } from '@earshot/core';

/**
 * Reads the one image of a multipart request from the field `field` (avatars, artwork): at most
 * IMAGE_MAX_BYTES (busboy stops reading past it: 413), nothing else in the request. ≤ 10 MB, so
 * holding it whole is fine (and sharp needs random access anyway).
 */
export async function readImagePart(request: FastifyRequest, field: string): Promise<Buffer> {
  if (!request.isMultipart())
    throw new AppError(415, 'unsupported_media_type', `Send the image as multipart/form-data in an \`${field}\` field`);
  const part = await request.file({
    limits: { fileSize: IMAGE_MAX_BYTES, files: 1, fields: 0, parts: 1, headerPairs: 50 },
  });
  if (!part || part.fieldname !== field) {
    part?.file.resume();
    throw validationFailed(`Attach the image in the \`${field}\` field`, { field });
  }
  return part.toBuffer();
}

import type { FastifyReply } from 'fastify';
import { InvalidKeyError, InvalidRangeError, ObjectNotFoundError } from '@earshot/storage';
import { toErrorBody } from '../plugins/error-handler.ts';

/**
 * A stored file's read failed: an unknown or malformed key is a 404, a range past its end a 416
 * naming its size; anything else is rethrown (a 500 from the error handler).
 */
export function sendStoreError(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof ObjectNotFoundError || err instanceof InvalidKeyError)
    return reply.status(404).send(toErrorBody('not_found', 'No such file'));
  if (err instanceof InvalidRangeError)
    return reply
      .status(416)
      .header('content-range', `bytes */${err.totalSize}`)
      .send(toErrorBody('range_not_satisfiable', 'Range not satisfiable'));
  throw err;
}

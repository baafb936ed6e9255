import type { FastifyReply } from 'fastify';

/**
 * Routes that turn something on and off at one URL (a like, a repost, a follow, closed comments):
 * `PUT` turns it on and `DELETE` off, each idempotent.
 */
export const TOGGLES = [
  ['PUT', true],
  ['DELETE', false],
] as const;

/** The answer to a toggle: what it now is, or 204 for a `DELETE` of what was not there. */
export function toggled<T>(reply: FastifyReply, on: boolean, changed: boolean, body: T): T | FastifyReply {
  return !on && !changed ? reply.status(204).send(null) : body;
}

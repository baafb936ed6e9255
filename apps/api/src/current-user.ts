import type { FastifyRequest } from 'fastify';
import { unauthorized, type Actor } from '@earshot/core';

/** The caller as core's rules take it: the signed-in `Actor`, or `null` when anonymous. */
export function currentActor(request: FastifyRequest): Actor | null {
  return currentUser(request) ?? null;
}

/** The signed-in caller (set by the auth plugin); routes that declare an access rule get one. */
export function currentUser(request: FastifyRequest): Actor | undefined {
  return (request as FastifyRequest & { user?: Actor }).user ?? undefined;
}

export function requireUser(request: FastifyRequest): Actor {
  const user = currentUser(request);
  if (!user) throw unauthorized();
  return user;
}

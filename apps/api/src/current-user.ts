import type { FastifyRequest } from 'fastify';
import { unauthorized, type Actor } from '@earshot/core';

/** @deprecated the caller is an `Actor` (packages/core/src/actor.ts): use `currentActor`. */
export type CurrentUser = Actor;

/** The caller as core's rules take it: the signed-in `Actor`, or `null` when anonymous. */
export function currentActor(request: FastifyRequest): Actor | null {
  return currentUser(request) ?? null;
}

/** The signed-in caller (set by the auth plugin); routes that declare an access rule get one. */
export function currentUser(request: FastifyRequest): CurrentUser | undefined {
  return (request as FastifyRequest & { user?: CurrentUser }).user ?? undefined;
}

export function requireUser(request: FastifyRequest): CurrentUser {
  const user = currentUser(request);
  if (!user) throw unauthorized();
  return user;
}

import type { FastifyRequest } from 'fastify';
import { unauthorized } from '@earshot/core';

export interface CurrentUser {
  id: string;
  role: 'listener' | 'artist' | 'admin';
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

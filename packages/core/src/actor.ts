import type { Role } from '@earshot/db';

/**
 * Who is calling: the one type of the caller everywhere (routes, use cases, visibility). A signed-in
 * account is an `Actor`; an anonymous caller is `null`. Use cases take `actor: Actor | null`.
 */
export interface Actor {
  id: string;
  role: Role;
}

export function isAdmin(actor: Actor | null | undefined): boolean {
  return actor?.role === 'admin';
}

/** The owner of a thing, or an admin: who may see and change everything about it. */
export function ownsOrAdmin(actor: Actor | null | undefined, ownerUserId: string): boolean {
  return !!actor && (actor.role === 'admin' || actor.id === ownerUserId);
}

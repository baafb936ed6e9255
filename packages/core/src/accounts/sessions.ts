import type { Actor } from '../actor.ts';
import type { CoreDeps } from '../deps.ts';
import { invalidSession } from './session-tokens.ts';

/** Who a valid session belongs to: the `Actor`, and the token version the session was issued under. */
export interface SessionUser extends Actor {
  tokenVersion: number;
}

/**
 * A session token → its user, or 401 `invalid_session`. Besides the signature and expiry, the
 * user must still exist, not be disabled, and have the same `token_version` as the token: logout,
 * password change and disabling bump it, which revokes every token issued before.
 */
export async function authenticateSession(deps: Pick<CoreDeps, 'db' | 'tokens'>, token: string): Promise<SessionUser> {
  const claims = await deps.tokens.verify(token);
  const user = await deps.db
    .selectFrom('users')
    .select(['id', 'role', 'token_version', 'disabled_at'])
    .where('id', '=', claims.userId)
    .executeTakeFirst();
  if (!user || user.disabled_at || user.token_version !== claims.tokenVersion) throw invalidSession();
  return { id: user.id, role: user.role, tokenVersion: user.token_version };
}

/** Revokes every session of the user (this device's too). */
export async function revokeSessions(deps: Pick<CoreDeps, 'db' | 'clock'>, userId: string): Promise<void> {
  await deps.db
    .updateTable('users')
    .set((eb) => ({ token_version: eb('token_version', '+', 1), updated_at: deps.clock() }))
    .where('id', '=', userId)
    .execute();
}

import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '@earshot/db';

interface Injectable {
  inject(opts: {
    method: string;
    url: string;
    payload?: unknown;
    headers?: Record<string, string>;
  }): Promise<{ statusCode: number; json(): any; body: string }>;
}

/** Registers a fresh user through the real API and returns its Bearer token (admins are promoted in the database). */
export async function signIn(
  app: Injectable,
  db: Kysely<Database>,
  role: 'listener' | 'artist' | 'admin',
): Promise<{ token: string; id: string; handle: string }> {
  const handle = `u${randomBytes(5).toString('hex')}`;
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: {
      email: `${handle}@example.com`,
      password: `Tr0ub4dor&3-horse-${randomBytes(4).toString('hex')}`,
      handle,
      role: role === 'admin' ? 'listener' : role,
    },
  });
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`);
  const { user, token } = res.json() as { user: { id: string }; token: string };
  if (role === 'admin') await db.updateTable('users').set({ role: 'admin' }).where('id', '=', user.id).execute();
  return { token, id: user.id, handle };
}

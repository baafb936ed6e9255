import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { hashPassword } from '@earshot/passwords';
import type { Database } from './schema.ts';

/**
 * Idempotent initial data. Production gets nothing (the first admin is created with
 * `npm run admin:create`); other environments get a demo artist and listener whose random
 * passwords are printed once.
 */
export async function seed(db: Kysely<Database>, options: { production: boolean }): Promise<string[]> {
  if (options.production)
    return ['production: nothing to seed (create the first admin with `npm run admin:create -- <email>`)'];
  const out: string[] = [];
  for (const [handle, role] of [
    ['demo-artist', 'artist'],
    ['demo-listener', 'listener'],
  ] as const) {
    const exists = await db.selectFrom('users').select('id').where('handle', '=', handle).executeTakeFirst();
    if (exists) {
      out.push(`${handle}: already present`);
      continue;
    }
    const password = randomBytes(12).toString('base64url');
    await db
      .insertInto('users')
      .values({
        email: `${handle}@example.com`,
        handle,
        display_name: handle === 'demo-artist' ? 'Demo Artist' : 'Demo Listener',
        role,
        password_hash: await hashPassword(password),
        email_verified_at: new Date(),
      })
      .execute();
    out.push(`${handle}: created ${handle}@example.com with password ${password}`);
  }
  return out;
}

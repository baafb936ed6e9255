import type { Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import { forbidden, notFound } from '../errors.ts';
import { ownsOrAdmin, type Actor } from '../actor.ts';

/** The release row, or 404; 403 unless the actor owns it or is an admin. */
export async function ownedRelease(db: Kysely<Database>, actor: Actor | null, releaseId: string) {
  const row = await db.selectFrom('releases').selectAll().where('id', '=', releaseId).executeTakeFirst();
  if (!row) throw notFound('Release');
  if (!ownsOrAdmin(actor, row.owner_user_id)) throw forbidden('Only the release owner can change it');
  return row;
}

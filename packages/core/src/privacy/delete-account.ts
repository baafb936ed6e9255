import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import type { PasswordHasher } from '@earshot/passwords';
import { keys, type ObjectStore } from '@earshot/storage';
import type { Actor } from '../actor.ts';
import { AppError, notFound } from '../errors.ts';
import { collectTrackObjects, deleteTrackObjects } from './track-objects.ts';

export const wrongPasswordForDeletion = () =>
  new AppError(400, 'wrong_password', 'Your password is not right', { field: 'password' });

/**
 * A listener key that stands in for a deleted account in `deleted_track_events`: random, so not
 * derived from the account, and negative like the rollup's keys of anonymous listeners (a
 * collision with one is as unlikely as between two of those). One key for all the account's rows,
 * so an artist's distinct listeners of a day rolled again stay what they were.
 */
export function listenerStandIn(): string {
  return String(-1n - (randomBytes(8).readBigUInt64BE() & 0x7fffffffffffffffn));
}

/**
 * Account deletion (docs/architecture.md, "Privacy"), after the password is entered again.
 * In one transaction: their tracks (and, by cascade, versions, plays of them, likes, comments on
 * them, playlist entries), playlists, likes, follows, sessions and tokens go; their comments on
 * others' tracks stay with no author ("deleted user") so threads survive; their orders stay for
 * the seller's records and tax, without personal data (no buyer, no email); their account id
 * leaves the folded plays of deleted tracks (`deleted_track_events`), replaced by a stand-in key
 * (`listenerStandIn`). Then every stored
 * object they owned (track objects, avatar) is removed. Objects go after the rows, so no row ever
 * points at a missing object; an object that could not be removed is logged and left for the
 * operator, the account is gone either way.
 */
export async function deleteAccount(
  deps: {
    db: Kysely<Database>;
    store: Pick<ObjectStore, 'delete' | 'deletePrefix'>;
    passwords: Pick<PasswordHasher, 'verify'>;
    log?: { warn(obj: Record<string, unknown>, msg: string): void };
  },
  actor: Actor,
  password: string,
): Promise<{ objectsRemoved: number }> {
  const user = await deps.db
    .selectFrom('users')
    .select(['id', 'password_hash', 'avatar_key'])
    .where('id', '=', actor.id)
    .executeTakeFirst();
  if (!user) throw notFound('User');
  if (!(await deps.passwords.verify(user.password_hash, password))) throw wrongPasswordForDeletion();

  const objects = await deps.db.transaction().execute(async (trx) => {
    // Lock the user row: a concurrent upload cannot add a track we would miss.
    await trx.selectFrom('users').select('id').where('id', '=', actor.id).forUpdate().execute();
    const trackIds = (await trx.selectFrom('tracks').select('id').where('owner_user_id', '=', actor.id).execute()).map(
      (t) => t.id,
    );
    const collected = await collectTrackObjects(trx, trackIds);
    const releases = await trx
      .selectFrom('releases')
      .select(['id', 'artwork_key'])
      .where('owner_user_id', '=', actor.id)
      .execute();
    await trx.updateTable('comments').set({ user_id: null }).where('user_id', '=', actor.id).execute();
    await trx
      .updateTable('orders')
      .set({ buyer_user_id: null, buyer_email: null })
      .where('buyer_user_id', '=', actor.id)
      .execute();
    await sql`update deleted_track_events set listener = ${listenerStandIn()}::bigint
      where listener = ${actor.id}::bigint and listener > 0`.execute(trx);
    if (trackIds.length) await trx.deleteFrom('tracks').where('id', 'in', trackIds).execute();
    await trx.deleteFrom('users').where('id', '=', actor.id).execute();
    return {
      ...collected,
      releaseIds: releases.map((r) => r.id),
      releaseImageKeys: releases.flatMap((r) => (r.artwork_key ? [r.artwork_key] : [])),
    };
  });

  let removed = 0;
  try {
    removed += await deleteTrackObjects(deps.store, objects);
    for (const id of objects.releaseIds)
      removed += await deps.store.deletePrefix('images', keys.releaseArtworkPrefix(id));
    for (const key of objects.releaseImageKeys) await deps.store.delete('images', key);
    removed += await deps.store.deletePrefix('images', `avatars/user-${actor.id}/`);
  } catch (err) {
    deps.log?.warn({ err, userId: actor.id }, 'account deleted, but some of its stored objects could not be removed');
  }
  return { objectsRemoved: removed };
}

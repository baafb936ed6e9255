import type { Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import { AppError, notFound } from '../errors.ts';
import type { Actor } from '../actor.ts';
import { ownedTrack } from './edit-track.ts';

/**
 * `PUT /tracks/:id/current-version`: any `ready` version of the track may become current (an
 * artist goes back to an earlier master); a version still processing or failed is refused (409).
 */
export async function setCurrentVersion(
  deps: { db: Kysely<Database>; clock: () => Date },
  actor: Actor | null,
  trackId: string,
  versionId: string,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const track = await ownedTrack(trx, actor, trackId);
    const version = await trx
      .selectFrom('track_versions')
      .select(['id', 'status'])
      .where('id', '=', versionId)
      .where('track_id', '=', track.id)
      .executeTakeFirst();
    if (!version) throw notFound('Version');
    if (version.status !== 'ready')
      throw new AppError(
        409,
        'version_not_ready',
        `Only a ready version can be current (this one is ${version.status})`,
        { field: 'versionId' },
      );
    await trx
      .updateTable('tracks')
      .set({ current_version_id: version.id, updated_at: deps.clock() })
      .where('id', '=', track.id)
      .execute();
  });
}

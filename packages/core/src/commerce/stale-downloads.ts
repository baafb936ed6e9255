import type { Kysely } from 'kysely';
import type { Database } from '@earshot/db';

/**
 * Download files carry tags (title, artist, album, track number, year) written when they were
 * made (docs/payments.md, "Downloads"). When that metadata changes — a track or release renamed,
 * the artist's name, a release's order or date — the files made before are forgotten here, in the
 * transaction of the change: the next request makes them again with the new tags (same storage
 * key, so the new file replaces the old one) instead of handing out the old names for ever.
 */
export async function forgetDownloadFiles(
  db: Kysely<Database>,
  scope: { trackIds: string[] } | { releaseId: string } | { ownerId: string },
): Promise<number> {
  const result = await db
    .deleteFrom('download_files')
    .where('version_id', 'in', (eb) => {
      const versions = eb.selectFrom('track_versions as v').select('v.id');
      if ('trackIds' in scope)
        return versions.where('v.track_id', 'in', scope.trackIds.length ? scope.trackIds : ['0']);
      if ('releaseId' in scope)
        return versions.where('v.track_id', 'in', (e) =>
          e.selectFrom('release_tracks').select('track_id').where('release_id', '=', scope.releaseId),
        );
      return versions.where('v.track_id', 'in', (e) =>
        e.selectFrom('tracks').select('id').where('owner_user_id', '=', scope.ownerId),
      );
    })
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

import type { Kysely } from 'kysely';
import type { Database, Visibility } from '@earshot/db';
import { notFound, forbidden } from '../errors.ts';
import type { Actor } from '../actor.ts';
import { ownsOrAdmin } from '../actor.ts';
import { freeSlug } from '../tracks/slug.ts';
import {
  normalizeAlbum,
  normalizeTrackDescription,
  normalizeTrackNumber,
  normalizeTrackTitle,
  normalizeVisibility,
  normalizeYear,
} from '../tracks/fields.ts';
import { normalizeGenre, normalizePrice, normalizeTags, priceColumns, type Price } from './fields.ts';
import { forgetDownloadFiles } from '../commerce/stale-downloads.ts';

/** `PATCH /tracks/:id`: every field optional; what is absent is kept. */
export interface TrackPatch {
  title?: string;
  description?: string;
  genre?: string | null;
  tags?: string[];
  /** From the file's tags at upload (docs/architecture.md, "Tags from the file"); `null` clears. */
  album?: string | null;
  trackNumber?: number | null;
  year?: number | null;
  visibility?: Visibility | string;
  downloadable?: boolean;
  price?: { amountMinor: number; currency: string; payWhatYouWant?: boolean } | null;
}

export interface EditDeps {
  db: Kysely<Database>;
  clock: () => Date;
}

/** The track row, or 404; 403 unless the actor owns it or is an admin. */
export async function ownedTrack(db: Kysely<Database>, actor: Actor | null, trackId: string) {
  const track = await db.selectFrom('tracks').selectAll().where('id', '=', trackId).executeTakeFirst();
  // A retired track (docs/architecture.md, "Catalogue") is gone for its owner too.
  if (!track || track.deleted_at) throw notFound('Track');
  if (!ownsOrAdmin(actor, track.owner_user_id)) throw forbidden('Only the track owner can change it');
  return track;
}

/**
 * Edits a track's metadata (docs/architecture.md, "Catalogue"). A new title gives a new slug; the
 * old one is kept as a redirect to the track so shared links keep working. All fields are checked
 * before anything is written; the write is one transaction.
 */
export async function editTrack(
  deps: EditDeps,
  actor: Actor | null,
  trackId: string,
  patch: TrackPatch,
): Promise<void> {
  const set: Record<string, unknown> = {};
  if (patch.title !== undefined) set.title = normalizeTrackTitle(patch.title);
  if (patch.description !== undefined) set.description = normalizeTrackDescription(patch.description);
  if (patch.genre !== undefined) set.genre = normalizeGenre(patch.genre);
  if (patch.tags !== undefined) set.tags = normalizeTags(patch.tags);
  if (patch.album !== undefined) set.album = normalizeAlbum(patch.album);
  if (patch.trackNumber !== undefined) set.track_number = normalizeTrackNumber(patch.trackNumber);
  if (patch.year !== undefined) set.year = normalizeYear(patch.year);
  if (patch.visibility !== undefined) set.visibility = normalizeVisibility(patch.visibility);
  if (patch.downloadable !== undefined) set.downloadable = patch.downloadable === true;
  let price: Price | null | undefined;
  if (patch.price !== undefined) {
    price = normalizePrice(patch.price);
    Object.assign(set, priceColumns(price));
  }
  await deps.db.transaction().execute(async (trx) => {
    const track = await ownedTrack(trx, actor, trackId);
    if (typeof set.title === 'string' && set.title !== track.title) {
      const slug = await freeSlug(trx, 'tracks', track.owner_user_id, set.title, track.id);
      if (slug !== track.slug) {
        set.slug = slug;
        await trx
          .insertInto('track_slug_redirects')
          .values({ owner_user_id: track.owner_user_id, slug: track.slug, track_id: track.id })
          .onConflict((oc) => oc.columns(['owner_user_id', 'slug']).doUpdateSet({ track_id: track.id }))
          .execute();
        await trx
          .deleteFrom('track_slug_redirects')
          .where('owner_user_id', '=', track.owner_user_id)
          .where('slug', '=', slug)
          .execute();
      }
    }
    if (Object.keys(set).length === 0) return;
    await trx
      .updateTable('tracks')
      .set({ ...set, updated_at: deps.clock() })
      .where('id', '=', track.id)
      .execute();
    // Files made with the old title in their tags are made again on the next download.
    if (typeof set.title === 'string' && set.title !== track.title)
      await forgetDownloadFiles(trx, { trackIds: [track.id] });
  });
}

import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, Visibility } from '@earshot/db';
import { keys, type ObjectStore } from '@earshot/storage';
import { AppError, forbidden, notFound } from '../errors.ts';
import { ownsOrAdmin, type Actor } from '../actor.ts';
import { canSeeReleaseRow, releaseListed } from '../visibility.ts';
import { freeSlug } from '../tracks/slug.ts';
import { normalizeVisibility } from '../tracks/fields.ts';
import { normalizePrice, priceColumns, priceOf, type Price } from '../catalog/fields.ts';
import { listedTracks, type ListedTrack } from '../catalog/listed-track.ts';
import { ownedRelease } from './owned-release.ts';
import {
  RELEASE_TRACKS_MAX,
  normalizeReleaseDate,
  normalizeReleaseText,
  normalizeReleaseTitle,
  normalizeReleaseType,
  normalizeTrackIds,
  type ReleaseType,
} from './fields.ts';
import { forgetDownloadFiles } from '../commerce/stale-downloads.ts';

/** Releases: albums, EPs and singles (docs/architecture.md, "Catalogue"). */

export interface ReleaseDeps {
  db: Kysely<Database>;
  store: Pick<ObjectStore, 'put' | 'delete' | 'deletePrefix'>;
  clock: () => Date;
}

export interface ReleaseInput {
  title?: string;
  type?: string;
  trackIds?: string[];
  releaseDate?: string | null;
  description?: string;
  credits?: string;
  visibility?: Visibility | string;
  price?: { amountMinor: number; currency: string; payWhatYouWant?: boolean } | null;
}

export interface ReleaseView {
  id: string;
  title: string;
  slug: string;
  type: ReleaseType;
  description: string;
  credits: string;
  /** `YYYY-MM-DD` or null. */
  releaseDate: string | null;
  /** The release date is still to come: only the owner (and admins) see the release until then. */
  scheduled: boolean;
  visibility: Visibility;
  artist: { id: string; handle: string; displayName: string };
  artworkKey: string | null;
  price: Price | null;
  tracks: ListedTrack[];
  totalDurationMs: number;
  createdAt: string;
}

export interface ReleaseCard {
  id: string;
  title: string;
  type: ReleaseType;
  releaseDate: string | null;
  artworkKey: string | null;
  trackCount: number;
}

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

/** Checks that every id is a track of `ownerId` (not retired); 422 naming the others otherwise. */
async function checkOwnTracks(
  db: Kysely<Database> | Transaction<Database>,
  ownerId: string,
  trackIds: string[],
): Promise<void> {
  if (trackIds.length === 0) return;
  const found = await db
    .selectFrom('tracks')
    .select('id')
    .where('id', 'in', trackIds)
    .where('owner_user_id', '=', ownerId)
    .where('deleted_at', 'is', null)
    .execute();
  const mine = new Set(found.map((r) => r.id));
  const others = trackIds.filter((id) => !mine.has(id));
  if (others.length)
    throw new AppError(
      422,
      'not_your_tracks',
      `A release holds only your own tracks; not yours or unknown: ${others.slice(0, 10).join(', ')}`,
      { field: 'trackIds', trackIds: others.slice(0, 50) },
    );
}

async function writeOrder(trx: Transaction<Database>, releaseId: string, trackIds: string[]): Promise<void> {
  await trx.deleteFrom('release_tracks').where('release_id', '=', releaseId).execute();
  if (trackIds.length)
    await trx
      .insertInto('release_tracks')
      .values(trackIds.map((track_id, position) => ({ release_id: releaseId, position, track_id })))
      .execute();
}

function dateColumn(value: string | null): Date | null {
  return value ? new Date(`${value}T00:00:00Z`) : null;
}

/** `POST /releases`: an artist's release of their own tracks, in the order given. */
export async function createRelease(deps: ReleaseDeps, actor: Actor | null, input: ReleaseInput): Promise<ReleaseView> {
  if (!actor) throw forbidden();
  const title = normalizeReleaseTitle(input.title);
  const type = normalizeReleaseType(input.type);
  const trackIds = normalizeTrackIds(input.trackIds ?? [], RELEASE_TRACKS_MAX);
  const releaseDate = normalizeReleaseDate(input.releaseDate, deps.clock());
  const description = normalizeReleaseText(input.description, 'description');
  const credits = normalizeReleaseText(input.credits, 'credits');
  const visibility = normalizeVisibility(input.visibility);
  const price = input.price === undefined ? null : normalizePrice(input.price);
  const id = await deps.db.transaction().execute(async (trx) => {
    await checkOwnTracks(trx, actor.id, trackIds);
    const row = await trx
      .insertInto('releases')
      .values({
        owner_user_id: actor.id,
        title,
        slug: await freeSlug(trx, 'releases', actor.id, title),
        type,
        description,
        credits,
        visibility,
        release_date: dateColumn(releaseDate),
        ...priceColumns(price),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeOrder(trx, row.id, trackIds);
    return row.id;
  });
  return getRelease(deps, actor, id);
}

/** The release row with its owner, or 404 when this actor may not see it. */
async function visibleRelease(db: Kysely<Database>, actor: Actor | null, releaseId: string, now: Date) {
  const row = await db
    .selectFrom('releases as r')
    .innerJoin('users as u', 'u.id', 'r.owner_user_id')
    .selectAll('r')
    .select(['u.handle', 'u.display_name', 'u.disabled_at'])
    .where('r.id', '=', releaseId)
    .executeTakeFirst();
  if (!row || !canSeeReleaseRow(actor, row, now)) {
    throw notFound('Release');
  }
  return row;
}

/** `GET /releases/:id`: per visibility; its tracks as this actor may see them. */
export async function getRelease(
  deps: Pick<ReleaseDeps, 'db' | 'clock'>,
  actor: Actor | null,
  releaseId: string,
): Promise<ReleaseView> {
  const now = deps.clock();
  const row = await visibleRelease(deps.db, actor, releaseId, now);
  const tracks = await listedTracks(deps.db, actor, 'release_tracks', 'release_id', row.id);
  return {
    id: row.id,
    title: row.title,
    slug: row.slug,
    type: row.type,
    description: row.description,
    credits: row.credits,
    releaseDate: day(row.release_date),
    scheduled: !!row.release_date && row.release_date.getTime() > now.getTime(),
    visibility: row.visibility,
    artist: { id: row.owner_user_id, handle: row.handle, displayName: row.display_name },
    artworkKey: row.artwork_key,
    price: priceOf(row),
    tracks,
    totalDurationMs: tracks.reduce((n, t) => n + (t.durationMs ?? 0), 0),
    createdAt: row.created_at.toISOString(),
  };
}

/** `PATCH /releases/:id`: any field; `trackIds` replaces the whole order. Checked first, written in one transaction. */
export async function updateRelease(
  deps: ReleaseDeps,
  actor: Actor | null,
  releaseId: string,
  input: ReleaseInput,
): Promise<ReleaseView> {
  const set: Record<string, unknown> = {};
  if (input.title !== undefined) set.title = normalizeReleaseTitle(input.title);
  if (input.type !== undefined) set.type = normalizeReleaseType(input.type);
  if (input.releaseDate !== undefined)
    set.release_date = dateColumn(normalizeReleaseDate(input.releaseDate, deps.clock()));
  if (input.description !== undefined) set.description = normalizeReleaseText(input.description, 'description');
  if (input.credits !== undefined) set.credits = normalizeReleaseText(input.credits, 'credits');
  if (input.visibility !== undefined) set.visibility = normalizeVisibility(input.visibility);
  if (input.price !== undefined) Object.assign(set, priceColumns(normalizePrice(input.price)));
  const trackIds = input.trackIds === undefined ? undefined : normalizeTrackIds(input.trackIds, RELEASE_TRACKS_MAX);
  await deps.db.transaction().execute(async (trx) => {
    const release = await ownedRelease(trx, actor, releaseId);
    if (typeof set.title === 'string' && set.title !== release.title)
      set.slug = await freeSlug(trx, 'releases', release.owner_user_id, set.title, release.id);
    // The album, track number and year tags of files already made change with the title, the
    // order or the date: tracks leaving the release, and those in it afterwards, are made again.
    const retag =
      (typeof set.title === 'string' && set.title !== release.title) ||
      trackIds !== undefined ||
      input.releaseDate !== undefined;
    if (retag) await forgetDownloadFiles(trx, { releaseId: release.id });
    if (trackIds) {
      await checkOwnTracks(trx, release.owner_user_id, trackIds);
      await writeOrder(trx, release.id, trackIds);
    }
    await trx
      .updateTable('releases')
      .set({ ...set, updated_at: deps.clock() })
      .where('id', '=', release.id)
      .execute();
    if (retag) await forgetDownloadFiles(trx, { releaseId: release.id });
  });
  return getRelease(deps, actor, releaseId);
}

/**
 * `DELETE /releases/:id`: the release and its artwork go; its tracks stay. A release someone paid
 * for is refused (409 `release_sold`): buyers keep what they paid for — make it private instead.
 */
export async function deleteRelease(deps: ReleaseDeps, actor: Actor | null, releaseId: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const release = await ownedRelease(trx, actor, releaseId);
    const sold = await trx
      .selectFrom('orders')
      .select('id')
      .where('release_id', '=', release.id)
      .where('status', '=', 'paid')
      .limit(1)
      .executeTakeFirst();
    if (sold)
      throw new AppError(
        409,
        'release_sold',
        'Buyers have paid for this release, so it cannot be deleted: make it private instead (buyers keep their downloads).',
      );
    await trx.deleteFrom('releases').where('id', '=', release.id).execute();
  });
  await deps.store.deletePrefix('images', keys.releaseArtworkPrefix(releaseId));
}

/**
 * An artist's releases, newest release date first: what others may see in lists (public,
 * released, live), or everything for the owner and admins.
 */
export async function listUserReleases(
  deps: Pick<ReleaseDeps, 'db' | 'clock'>,
  actor: Actor | null,
  handle: string,
): Promise<ReleaseCard[]> {
  const user = await deps.db
    .selectFrom('users')
    .select(['id', 'disabled_at'])
    .where('handle', '=', handle.toLowerCase())
    .executeTakeFirst();
  if (!user || (user.disabled_at && !ownsOrAdmin(actor, user.id))) throw notFound('User');
  const now = deps.clock();
  let q = deps.db
    .selectFrom('releases as r')
    .select([
      'r.id',
      'r.title',
      'r.type',
      'r.release_date',
      'r.artwork_key',
      'r.created_at',
      sql<number>`(select count(*)::int from release_tracks rt where rt.release_id = r.id)`.as('track_count'),
    ])
    .where('r.owner_user_id', '=', user.id)
    .orderBy(sql`coalesce(r.release_date, r.created_at)`, 'desc')
    .orderBy('r.id', 'desc')
    .limit(100);
  if (!ownsOrAdmin(actor, user.id)) q = q.where((eb) => releaseListed(eb, now, 'r'));
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    type: r.type,
    releaseDate: day(r.release_date),
    artworkKey: r.artwork_key,
    trackCount: r.track_count,
  }));
}

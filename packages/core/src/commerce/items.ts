import type { Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import type { Actor } from '../actor.ts';
import { notFound } from '../errors.ts';
import { canSeeReleaseRow, canSeeTrackRow } from '../visibility.ts';
import { priceOf } from '../catalog/fields.ts';
import type { Price } from './pricing.ts';

export type ItemType = 'track' | 'release';

export interface ItemTrack {
  trackId: string;
  title: string;
  /** 1-based position in the release (1 for a single track). */
  position: number;
  versionId: string;
  codec: string | null;
  bitDepth: number | null;
  durationMs: number | null;
  originalKey: string;
  audioStreamIndex: number | null;
  artworkKey: string | null;
}

/** A track or a release as commerce sees it: who sells it, at what price, and its playable tracks. */
export interface SellableItem {
  type: ItemType;
  id: string;
  title: string;
  ownerUserId: string;
  ownerName: string;
  ownerHandle: string;
  ownerStripeAccountId: string | null;
  ownerChargesEnabled: boolean;
  price: Price | null;
  downloadable: boolean;
  releaseDate: Date | null;
  tracks: ItemTrack[];
}

/** The seller's columns (alias `u`): who is paid, and whether their account can take charges. */
const sellerColumns = [
  'u.display_name',
  'u.handle',
  'u.disabled_at',
  'u.stripe_account_id',
  'u.stripe_charges_enabled',
] as const;

/** What a download is made from: the version's original and the covers to embed. */
const versionColumns = [
  'v.id as version_id',
  'v.codec',
  'v.bit_depth',
  'v.duration_ms',
  'v.original_key',
  'v.audio_stream_index',
  't.artwork_key as track_artwork_key',
  'v.artwork_key as version_artwork_key',
] as const;

const trackColumns = ['t.id as track_id', 't.title', ...versionColumns] as const;

type TrackRow = {
  track_id: string;
  title: string;
  version_id: string;
  codec: string | null;
  bit_depth: number | null;
  duration_ms: number | null;
  original_key: string;
  audio_stream_index: number | null;
  track_artwork_key: string | null;
  version_artwork_key: string | null;
};

const toItemTrack = (r: TrackRow, position: number): ItemTrack => ({
  trackId: r.track_id,
  title: r.title,
  position,
  versionId: r.version_id,
  codec: r.codec,
  bitDepth: r.bit_depth,
  durationMs: r.duration_ms,
  originalKey: r.original_key,
  audioStreamIndex: r.audio_stream_index,
  artworkKey: r.track_artwork_key ?? r.version_artwork_key,
});

/**
 * Loads an item the actor may see (docs/architecture.md, "What a caller may see": otherwise a
 * 404). Only tracks with a ready current version count as its tracks.
 */
export async function loadItem(
  db: Kysely<Database>,
  actor: Actor | null,
  type: ItemType,
  id: string,
  now: Date,
): Promise<SellableItem> {
  if (!/^[1-9][0-9]{0,18}$/.test(id)) throw notFound(type === 'track' ? 'Track' : 'Release');
  if (type === 'track') {
    const row = await db
      .selectFrom('tracks as t')
      .innerJoin('users as u', 'u.id', 't.owner_user_id')
      .leftJoin('track_versions as v', (j) => j.onRef('v.id', '=', 't.current_version_id').on('v.status', '=', 'ready'))
      .select([
        't.id',
        't.title',
        't.owner_user_id',
        't.visibility',
        't.current_version_id',
        't.taken_down_at',
        't.downloadable',
        't.price_amount_minor',
        't.price_currency',
        't.price_pwyw',
        't.created_at',
      ])
      .select(sellerColumns)
      .select(versionColumns)
      .where('t.id', '=', id)
      .executeTakeFirst();
    if (!row || !canSeeTrackRow(actor, row)) {
      throw notFound('Track');
    }
    const tracks =
      row.version_id && row.original_key
        ? [
            toItemTrack(
              { ...row, track_id: row.id, version_id: row.version_id, original_key: row.original_key } as TrackRow,
              1,
            ),
          ]
        : [];
    return {
      type,
      id: row.id,
      title: row.title,
      ownerUserId: row.owner_user_id,
      ownerName: row.display_name,
      ownerHandle: row.handle,
      ownerStripeAccountId: row.stripe_account_id,
      ownerChargesEnabled: row.stripe_charges_enabled,
      price: priceOf(row),
      downloadable: row.downloadable,
      releaseDate: row.created_at,
      tracks,
    };
  }
  const release = await db
    .selectFrom('releases as r')
    .innerJoin('users as u', 'u.id', 'r.owner_user_id')
    .select([
      'r.id',
      'r.title',
      'r.owner_user_id',
      'r.visibility',
      'r.release_date',
      'r.taken_down_at',
      'r.price_amount_minor',
      'r.price_currency',
      'r.price_pwyw',
      'r.created_at',
    ])
    .select(sellerColumns)
    .where('r.id', '=', id)
    .executeTakeFirst();
  if (!release || !canSeeReleaseRow(actor, release, now)) {
    throw notFound('Release');
  }
  const rows = await db
    .selectFrom('release_tracks as rt')
    .innerJoin('tracks as t', 't.id', 'rt.track_id')
    .innerJoin('track_versions as v', (j) => j.onRef('v.id', '=', 't.current_version_id').on('v.status', '=', 'ready'))
    .select(trackColumns)
    .select('rt.position')
    .where('rt.release_id', '=', release.id)
    .where('t.taken_down_at', 'is', null)
    .orderBy('rt.position')
    .execute();
  return {
    type,
    id: release.id,
    title: release.title,
    ownerUserId: release.owner_user_id,
    ownerName: release.display_name,
    ownerHandle: release.handle,
    ownerStripeAccountId: release.stripe_account_id,
    ownerChargesEnabled: release.stripe_charges_enabled,
    price: priceOf(release),
    // A release has no flag of its own: it is a free download when its price is 0.
    downloadable: false,
    releaseDate: release.release_date ?? release.created_at,
    tracks: rows.map((r, i) => toItemTrack(r as TrackRow, i + 1)),
  };
}

import { sql, type Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import { badRequest, notFound } from '../errors.ts';
import { trackListed } from '../visibility.ts';
import { normalizeGenre, normalizeTags } from './fields.ts';
import { CARD_COLUMNS, toCard, type CardBasics } from './listed-track.ts';

/** A track found by browse or search: its card (without counts) with genre and tags. */
export interface FoundTrack extends Omit<CardBasics, 'createdAt'> {
  genre: string | null;
  tags: string[];
}

export interface BrowseCard extends FoundTrack {
  createdAt: string;
}

/** `FoundTrack`'s columns, for a query joining `tracks as t`, `users as u` and `track_versions as v`. */
export const FOUND_TRACK_COLUMNS = [...CARD_COLUMNS, 't.genre', 't.tags'] as const;

export const toFoundTrack = (
  r: Parameters<typeof toCard>[0] & { genre: string | null; tags: string[] | null },
): FoundTrack => ({ ...toCard(r), genre: r.genre, tags: r.tags ?? [] });

const decode = (cursor: string) => {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{1,18}$/.test(id)) throw badRequest('Invalid cursor');
  return id;
};

/**
 * `/genre/<name>` and `/tag/<name>`: listed tracks of one genre or carrying one tag, newest first,
 * keyset-paginated. Names are folded the way they are stored (catalog/fields.ts).
 */
export async function browseTracks(
  deps: { db: Kysely<Database> },
  by: { genre: string } | { tag: string },
  page: { limit: number; cursor?: string },
): Promise<{ items: BrowseCard[]; nextCursor: string | null }> {
  let q = deps.db
    .selectFrom('tracks as t')
    .innerJoin('users as u', 'u.id', 't.owner_user_id')
    .leftJoin('track_versions as v', 'v.id', 't.current_version_id')
    .select([...FOUND_TRACK_COLUMNS, 't.created_at'])
    .where((eb) => trackListed(eb, 't'))
    .orderBy('t.id', 'desc')
    .limit(page.limit + 1);
  if ('genre' in by) q = q.where(sql<string>`lower(t.genre)`, '=', normalizeGenre(by.genre) ?? '');
  else q = q.where(sql<boolean>`t.tags @> ${sql.val([normalizeTags([by.tag])[0] ?? ''])}::text[]`);
  if (page.cursor) q = q.where('t.id', '<', decode(page.cursor));
  const rows = await q.execute();
  // A genre or tag no listed track carries does not exist for the caller (any junk in the name included).
  if (!page.cursor && rows.length === 0) throw notFound('genre' in by ? 'Genre' : 'Tag');
  const items = rows
    .slice(0, page.limit)
    .map<BrowseCard>((r) => ({ ...toFoundTrack(r), createdAt: r.created_at.toISOString() }));
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > page.limit && last ? Buffer.from(last.id).toString('base64url') : null };
}

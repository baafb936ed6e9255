import { sql, type Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import { adminPage, type TakedownSubjectType } from './fields.ts';

/** The console's content list: tracks, releases or comments, all of them (admins see everything), newest first. */
export interface AdminContentItem {
  type: TakedownSubjectType;
  id: string;
  /** Title, or a comment's text. */
  label: string;
  owner: { id: string; handle: string } | null;
  /** A comment's track. */
  trackId: string | null;
  takenDownAt: Date | null;
  takedownReason: string | null;
  createdAt: Date;
}

/** Where each kind of content is listed from: its table, the column shown as its label, its owner, its track. */
const CONTENT_SOURCES = {
  track: { table: 'tracks', label: 'title', owner: 'owner_user_id', trackId: sql`x.id` },
  release: { table: 'releases', label: 'title', owner: 'owner_user_id', trackId: sql`null::bigint` },
  comment: { table: 'comments', label: 'body', owner: 'user_id', trackId: sql`x.track_id` },
} as const;

const escapeLike = (term: string) => `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function listContentForAdmin(
  deps: { db: Kysely<Database> },
  query: { type: TakedownSubjectType; q?: string; takenDown?: boolean; cursor?: string; limit?: number },
): Promise<{ items: AdminContentItem[]; nextCursor: string | null }> {
  const { limit, cursor } = adminPage(query);
  const term = query.q?.trim() ? escapeLike(query.q.trim()) : undefined;
  const from = CONTENT_SOURCES[query.type];
  const label = sql.ref(`x.${from.label}`);
  const { rows } = await sql<{
    id: string;
    label: string;
    owner_id: string | null;
    owner_handle: string | null;
    track_id: string | null;
    taken_down_at: Date | null;
    takedown_reason: string | null;
    created_at: Date;
  }>`
    select x.id, ${label} as label, o.id as owner_id, o.handle as owner_handle, ${from.trackId} as track_id,
      x.taken_down_at, x.takedown_reason, x.created_at
    from ${sql.table(from.table)} x left join users o on o.id = ${sql.ref(`x.${from.owner}`)}
    where true ${term ? sql`and lower(${label}) like ${term}` : sql``}
      ${query.takenDown ? sql`and x.taken_down_at is not null` : sql``}
      ${cursor ? sql`and x.id < ${cursor}` : sql``}
    order by x.id desc limit ${limit + 1}`.execute(deps.db);
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({
      type: query.type,
      id: r.id,
      label: r.label ?? '',
      owner: r.owner_id ? { id: r.owner_id, handle: r.owner_handle! } : null,
      trackId: r.track_id,
      takenDownAt: r.taken_down_at,
      takedownReason: r.takedown_reason,
      createdAt: r.created_at,
    })),
    nextCursor: rows.length > limit ? page[page.length - 1]!.id : null,
  };
}

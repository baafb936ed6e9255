import type { Kysely } from 'kysely';
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

const escapeLike = (term: string) => `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function listContentForAdmin(
  deps: { db: Kysely<Database> },
  query: { type: TakedownSubjectType; q?: string; takenDown?: boolean; cursor?: string; limit?: number },
): Promise<{ items: AdminContentItem[]; nextCursor: string | null }> {
  const { limit, cursor } = adminPage(query);
  const term = query.q?.trim() ? escapeLike(query.q.trim()) : undefined;
  let rows: Array<{
    id: string;
    label: string;
    owner_id: string | null;
    owner_handle: string | null;
    track_id: string | null;
    taken_down_at: Date | null;
    takedown_reason: string | null;
    created_at: Date;
  }>;
  if (query.type === 'comment') {
    let q = deps.db
      .selectFrom('comments as x')
      .leftJoin('users as o', 'o.id', 'x.user_id')
      .select([
        'x.id',
        'x.body as label',
        'o.id as owner_id',
        'o.handle as owner_handle',
        'x.track_id',
        'x.taken_down_at',
        'x.takedown_reason',
        'x.created_at',
      ]);
    if (term) q = q.where((eb) => eb(eb.fn('lower', ['x.body']), 'like', term));
    if (query.takenDown) q = q.where('x.taken_down_at', 'is not', null);
    if (cursor) q = q.where('x.id', '<', cursor);
    rows = await q
      .orderBy('x.id', 'desc')
      .limit(limit + 1)
      .execute();
  } else {
    const table = query.type === 'track' ? 'tracks' : 'releases';
    let q = deps.db
      .selectFrom(`${table} as x` as 'tracks as x')
      .leftJoin('users as o', 'o.id', 'x.owner_user_id')
      .select([
        'x.id',
        'x.title as label',
        'o.id as owner_id',
        'o.handle as owner_handle',
        'x.taken_down_at',
        'x.takedown_reason',
        'x.created_at',
      ]);
    if (term) q = q.where((eb) => eb(eb.fn('lower', ['x.title']), 'like', term));
    if (query.takenDown) q = q.where('x.taken_down_at', 'is not', null);
    if (cursor) q = q.where('x.id', '<', cursor);
    rows = (
      await q
        .orderBy('x.id', 'desc')
        .limit(limit + 1)
        .execute()
    ).map((r) => ({ ...r, track_id: query.type === 'track' ? r.id : null }));
  }
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

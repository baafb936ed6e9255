import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '@earshot/db';
import type { Actor } from '../actor.ts';
import { notFound, validationFailed } from '../errors.ts';
import { recordAudit } from './audit.ts';
import { resolveReportsAbout } from './reports.ts';
import { cleanReason, type TakedownSubjectType } from './fields.ts';

/**
 * Takedown (docs/architecture.md, "Moderation"): an admin hides a track, release or comment with a
 * reason. The row stays; `taken_down_at` makes the visibility module hide it from everyone but
 * its owner (who sees the reason) and admins, everywhere it is read. Restore clears both columns.
 * Each is audited; a takedown also resolves the open reports about the subject.
 */
export interface TakedownView {
  subjectType: TakedownSubjectType;
  id: string;
  takenDownAt: Date | null;
  takedownReason: string | null;
}

const TABLES = { track: 'tracks', release: 'releases', comment: 'comments' } as const;
const NAMES = { track: 'Track', release: 'Release', comment: 'Comment' } as const;

type Deps = { db: Kysely<Database>; clock: () => Date };

export async function takeDown(
  deps: Deps,
  actor: Actor,
  subjectType: TakedownSubjectType,
  id: string,
  reasonInput: string,
): Promise<TakedownView> {
  const reason = cleanReason(reasonInput);
  if (!reason) throw validationFailed('Give the reason the owner will see', { field: 'reason' });
  const now = deps.clock();
  const state = { taken_down_at: now, takedown_reason: reason };
  return setTakedown(deps, subjectType, id, state, async (trx, row, counted) => {
    // It stops counting when it goes (a deleted or already taken-down comment counts no more).
    if (counted?.live) await countComment(trx, counted.trackId, -1);
    await recordAudit(trx, actor, now, { action: `${subjectType}.takedown`, subjectType, subjectId: id, reason });
    if (subjectType !== 'release') await resolveReportsAbout(trx, actor, now, subjectType, id, `Taken down: ${reason}`);
    return { subjectType, id: row.id, takenDownAt: row.taken_down_at, takedownReason: row.takedown_reason };
  });
}

export async function restore(
  deps: Deps,
  actor: Actor,
  subjectType: TakedownSubjectType,
  id: string,
  reasonInput?: string,
): Promise<TakedownView> {
  const now = deps.clock();
  const cleared = { taken_down_at: null, takedown_reason: null };
  return setTakedown(deps, subjectType, id, cleared, async (trx, row, counted) => {
    // A restored comment counts again, unless its author deleted it meanwhile.
    if (counted?.down && !counted.deleted) await countComment(trx, counted.trackId, 1);
    await recordAudit(trx, actor, now, {
      action: `${subjectType}.restore`,
      subjectType,
      subjectId: id,
      reason: cleanReason(reasonInput),
    });
    return { subjectType, id: row.id, takenDownAt: null, takedownReason: null };
  });
}

type CommentState = { trackId: string; down: boolean; deleted: boolean; live: boolean };
type TakedownRow = { id: string; taken_down_at: Date | null; takedown_reason: string | null };

/**
 * The step a takedown and a restore share: one transaction that locks a comment's track (so its
 * count moves once), sets the subject's takedown columns, refuses an unknown subject with a 404,
 * then lets the caller count, audit and reply.
 */
async function setTakedown(
  deps: Deps,
  subjectType: TakedownSubjectType,
  id: string,
  state: { taken_down_at: Date | null; takedown_reason: string | null },
  then: (trx: Transaction<Database>, row: TakedownRow, counted: CommentState | null) => Promise<TakedownView>,
): Promise<TakedownView> {
  if (!/^[1-9][0-9]{0,17}$/.test(id)) throw notFound(NAMES[subjectType]);
  return deps.db.transaction().execute(async (trx) => {
    const counted = subjectType === 'comment' ? await lockCommentTrack(trx, id) : null;
    const row = await trx
      .updateTable(TABLES[subjectType])
      .set(state)
      .where('id', '=', id)
      .returning(['id', 'taken_down_at', 'takedown_reason'])
      .executeTakeFirst();
    if (!row) throw notFound(NAMES[subjectType]);
    return then(trx, row, counted);
  });
}

/**
 * A comment's state before a takedown or restore, read with its track's row locked (the order
 * posting and deleting use), so `comment_count` changes exactly once per change of state
 * (docs/architecture.md, "Community": counts).
 */
async function lockCommentTrack(trx: Transaction<Database>, id: string): Promise<CommentState | null> {
  const c = await trx.selectFrom('comments').select('track_id').where('id', '=', id).executeTakeFirst();
  if (!c) return null;
  await trx.selectFrom('tracks').select('id').where('id', '=', c.track_id).forUpdate().execute();
  const now = await trx
    .selectFrom('comments')
    .select(['taken_down_at', 'deleted_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const down = now.taken_down_at !== null;
  const deleted = now.deleted_at !== null;
  return { trackId: c.track_id, down, deleted, live: !down && !deleted };
}

async function countComment(trx: Transaction<Database>, trackId: string, by: 1 | -1): Promise<void> {
  await trx
    .updateTable('tracks')
    .set({ comment_count: sql`greatest(comment_count + ${by}, 0)` })
    .where('id', '=', trackId)
    .execute();
}

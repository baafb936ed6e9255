import type { Kysely } from 'kysely';
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
  if (!/^[1-9][0-9]{0,17}$/.test(id)) throw notFound(NAMES[subjectType]);
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable(TABLES[subjectType])
      .set({ taken_down_at: now, takedown_reason: reason })
      .where('id', '=', id)
      .returning(['id', 'taken_down_at', 'takedown_reason'])
      .executeTakeFirst();
    if (!row) throw notFound(NAMES[subjectType]);
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
  if (!/^[1-9][0-9]{0,17}$/.test(id)) throw notFound(NAMES[subjectType]);
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable(TABLES[subjectType])
      .set({ taken_down_at: null, takedown_reason: null })
      .where('id', '=', id)
      .returning(['id', 'taken_down_at', 'takedown_reason'])
      .executeTakeFirst();
    if (!row) throw notFound(NAMES[subjectType]);
    await recordAudit(trx, actor, now, {
      action: `${subjectType}.restore`,
      subjectType,
      subjectId: id,
      reason: cleanReason(reasonInput),
    });
    return { subjectType, id: row.id, takenDownAt: null, takedownReason: null };
  });
}

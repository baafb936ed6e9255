import { sql, type Kysely } from 'kysely';
import type { Database, ReportStatus } from '@earshot/db';
import type { Actor } from '../actor.ts';
import { AppError, notFound, validationFailed } from '../errors.ts';
import { commentVisibleTo, trackVisibleTo, userListed } from '../visibility.ts';
import { recordAudit } from './audit.ts';
import { cleanReason, adminPage, type ReportSubjectType } from './fields.ts';

/**
 * Reports (docs/architecture.md, "Moderation"): a signed-in user reports a track, a comment or an
 * account they can see, with a reason. One reporter has at most one open report per subject: a
 * repeat collapses into it (answered with the existing report). Admins resolve or dismiss them.
 */
export interface ReportView {
  id: string;
  subjectType: ReportSubjectType;
  subjectId: string;
  reason: string;
  status: ReportStatus;
  createdAt: Date;
  resolvedAt: Date | null;
  resolutionNote: string | null;
}

/** The admin queue's view: the report with who made it and what the subject is now. */
export interface AdminReportView extends ReportView {
  reporter: { id: string; handle: string } | null;
  /** Whom the report is against (track owner, comment author, the account). */
  subjectUser: { id: string; handle: string } | null;
  /** A line saying what the subject is (track title, comment text, handle); null when it is gone. */
  subjectLabel: string | null;
  /** The track a comment sits on (to open it). */
  subjectTrackId: string | null;
  subjectTakenDownAt: Date | null;
  resolvedBy: { id: string; handle: string } | null;
}

export const cannotReportSelf = () =>
  new AppError(400, 'cannot_report_self', 'You cannot report your own account or content');

type Deps = { db: Kysely<Database>; clock: () => Date };

/** Whom the subject belongs to, if the reporter can see it; null otherwise (→ 404, never "exists but hidden"). */
async function subjectOwner(
  db: Kysely<Database>,
  actor: Actor,
  type: ReportSubjectType,
  id: string,
): Promise<string | null> {
  if (type === 'track') {
    const row = await db
      .selectFrom('tracks as t')
      .select('t.owner_user_id as owner')
      .where('t.id', '=', id)
      .where((eb) => trackVisibleTo(eb, actor, 't'))
      .executeTakeFirst();
    return row?.owner ?? null;
  }
  if (type === 'comment') {
    // A comment is seen where its track is: both rules apply.
    const row = await db
      .selectFrom('comments as c')
      .innerJoin('tracks as t', 't.id', 'c.track_id')
      .select('c.user_id as owner')
      .where('c.id', '=', id)
      .where('c.deleted_at', 'is', null)
      .where((eb) => eb.and([commentVisibleTo(eb, actor, 'c'), trackVisibleTo(eb, actor, 't')]))
      .executeTakeFirst();
    return row ? (row.owner ?? '0') : null;
  }
  const row = await db
    .selectFrom('users as u')
    .select('u.id as owner')
    .where('u.id', '=', id)
    .where((eb) => userListed(eb, 'u'))
    .executeTakeFirst();
  return row?.owner ?? null;
}

function toView(r: {
  id: string;
  subject_type: ReportSubjectType;
  subject_id: string;
  reason: string;
  status: ReportStatus;
  created_at: Date;
  resolved_at: Date | null;
  resolution_note: string | null;
}): ReportView {
  return {
    id: r.id,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    reason: r.reason,
    status: r.status,
    createdAt: r.created_at,
    resolvedAt: r.resolved_at,
    resolutionNote: r.resolution_note,
  };
}

const REPORT_COLUMNS = [
  'id',
  'subject_type',
  'subject_id',
  'reason',
  'status',
  'created_at',
  'resolved_at',
  'resolution_note',
] as const;

export async function createReport(
  deps: Deps,
  actor: Actor,
  input: { subjectType: ReportSubjectType; subjectId: string; reason: string },
): Promise<{ report: ReportView; created: boolean }> {
  const reason = cleanReason(input.reason);
  if (!reason) throw validationFailed('Say why you report this', { field: 'reason' });
  if (!/^[1-9][0-9]{0,17}$/.test(input.subjectId))
    throw notFound(input.subjectType === 'user' ? 'User' : input.subjectType === 'track' ? 'Track' : 'Comment');
  const owner = await subjectOwner(deps.db, actor, input.subjectType, input.subjectId);
  if (owner === null)
    throw notFound(input.subjectType === 'user' ? 'User' : input.subjectType === 'track' ? 'Track' : 'Comment');
  if (owner === actor.id) throw cannotReportSelf();
  const inserted = await deps.db
    .insertInto('reports')
    .values({
      reporter_user_id: actor.id,
      subject_type: input.subjectType,
      subject_id: input.subjectId,
      subject_user_id: owner === '0' ? null : owner,
      reason,
      created_at: deps.clock(),
    })
    .onConflict((oc) =>
      oc.columns(['reporter_user_id', 'subject_type', 'subject_id']).where('status', '=', 'open').doNothing(),
    )
    .returning(REPORT_COLUMNS)
    .executeTakeFirst();
  if (inserted) return { report: toView(inserted), created: true };
  const existing = await deps.db
    .selectFrom('reports')
    .select(REPORT_COLUMNS)
    .where('reporter_user_id', '=', actor.id)
    .where('subject_type', '=', input.subjectType)
    .where('subject_id', '=', input.subjectId)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  return { report: toView(existing), created: false };
}

export async function listReports(
  deps: Pick<Deps, 'db'>,
  query: { status?: ReportStatus | 'all'; subjectUserId?: string; cursor?: string; limit?: number },
): Promise<{ items: AdminReportView[]; nextCursor: string | null }> {
  const { limit, cursor } = adminPage(query);
  let q = deps.db
    .selectFrom('reports as r')
    .leftJoin('users as rep', 'rep.id', 'r.reporter_user_id')
    .leftJoin('users as su', 'su.id', 'r.subject_user_id')
    .leftJoin('users as rb', 'rb.id', 'r.resolved_by_user_id')
    .leftJoin('tracks as t', (j) => j.on('r.subject_type', '=', 'track').onRef('t.id', '=', 'r.subject_id'))
    .leftJoin('comments as c', (j) => j.on('r.subject_type', '=', 'comment').onRef('c.id', '=', 'r.subject_id'))
    .leftJoin('users as u', (j) => j.on('r.subject_type', '=', 'user').onRef('u.id', '=', 'r.subject_id'))
    .select([
      'r.id',
      'r.subject_type',
      'r.subject_id',
      'r.reason',
      'r.status',
      'r.created_at',
      'r.resolved_at',
      'r.resolution_note',
      'rep.id as rep_id',
      'rep.handle as rep_handle',
      'su.id as su_id',
      'su.handle as su_handle',
      'rb.id as rb_id',
      'rb.handle as rb_handle',
      't.title as track_title',
      't.taken_down_at as track_down',
      'c.body as comment_body',
      'c.track_id as comment_track_id',
      'c.taken_down_at as comment_down',
      'u.handle as user_handle',
      'u.disabled_at as user_down',
    ])
    .orderBy('r.id', 'desc')
    .limit(limit + 1);
  if (query.status && query.status !== 'all') q = q.where('r.status', '=', query.status);
  if (query.subjectUserId) q = q.where('r.subject_user_id', '=', query.subjectUserId);
  if (cursor) q = q.where('r.id', '<', cursor);
  const rows = await q.execute();
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({
      ...toView(r),
      reporter: r.rep_id ? { id: r.rep_id, handle: r.rep_handle! } : null,
      subjectUser: r.su_id ? { id: r.su_id, handle: r.su_handle! } : null,
      resolvedBy: r.rb_id ? { id: r.rb_id, handle: r.rb_handle! } : null,
      subjectLabel:
        r.subject_type === 'track'
          ? (r.track_title ?? null)
          : r.subject_type === 'comment'
            ? (r.comment_body ?? null)
            : r.user_handle
              ? `@${r.user_handle}`
              : null,
      subjectTrackId:
        r.subject_type === 'track' ? r.subject_id : r.subject_type === 'comment' ? (r.comment_track_id ?? null) : null,
      subjectTakenDownAt:
        (r.subject_type === 'track' ? r.track_down : r.subject_type === 'comment' ? r.comment_down : r.user_down) ??
        null,
    })),
    nextCursor: rows.length > limit ? page[page.length - 1]!.id : null,
  };
}

/** Closes a report (resolved: acted upon; dismissed: nothing wrong). Closing a closed report again changes nothing. */
export async function resolveReport(
  deps: Deps,
  actor: Actor,
  reportId: string,
  input: { status: 'resolved' | 'dismissed'; note?: string },
): Promise<ReportView> {
  if (!/^[1-9][0-9]{0,17}$/.test(reportId)) throw notFound('Report');
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('reports')
      .set({
        status: input.status,
        resolved_by_user_id: actor.id,
        resolved_at: now,
        resolution_note: cleanReason(input.note),
      })
      .where('id', '=', reportId)
      .where('status', '=', 'open')
      .returning(REPORT_COLUMNS)
      .executeTakeFirst();
    if (!row) {
      const existing = await trx
        .selectFrom('reports')
        .select(REPORT_COLUMNS)
        .where('id', '=', reportId)
        .executeTakeFirst();
      if (!existing) throw notFound('Report');
      return toView(existing);
    }
    await recordAudit(trx, actor, now, {
      action: `report.${input.status === 'resolved' ? 'resolve' : 'dismiss'}`,
      subjectType: 'report',
      subjectId: reportId,
      reason: cleanReason(input.note),
      details: { subjectType: row.subject_type, subjectId: row.subject_id },
    });
    return toView(row);
  });
}

/** Closes every open report about a subject (when an admin takes it down): in the caller's transaction. */
export async function resolveReportsAbout(
  db: Kysely<Database>,
  actor: Actor,
  now: Date,
  subjectType: ReportSubjectType,
  subjectId: string,
  note: string,
): Promise<number> {
  const res = await db
    .updateTable('reports')
    .set({
      status: 'resolved',
      resolved_by_user_id: actor.id,
      resolved_at: now,
      resolution_note: sql<string>`${note.slice(0, 1000)}`,
    })
    .where('subject_type', '=', subjectType)
    .where('subject_id', '=', subjectId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

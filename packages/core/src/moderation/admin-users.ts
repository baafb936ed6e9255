import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Database, Role } from '@earshot/db';
import type { Actor } from '../actor.ts';
import { notFound } from '../errors.ts';
import { disableUser, enableUser } from '../accounts/admin-users.ts';
import { cannotTargetSelf } from '../accounts/profile.ts';
import type { AccountUser } from '../accounts/account-user.ts';
import { recordAudit } from './audit.ts';
import { cleanReason, adminPage } from './fields.ts';

/** The admin console's users: search, one user's page, role changes, disable/enable, each audited. */
export interface AdminUserView {
  id: string;
  handle: string;
  displayName: string;
  email: string;
  role: Role;
  disabledAt: Date | null;
  createdAt: Date;
  openReports: number;
}

export interface AdminUploadView {
  id: string;
  title: string;
  slug: string;
  visibility: string;
  takenDownAt: Date | null;
  takedownReason: string | null;
  createdAt: Date;
}

type Deps = { db: Kysely<Database>; clock: () => Date };

const openReportsOf = (eb: ExpressionBuilder<Database & { u: Database['users'] }, 'u'>) =>
  eb
    .selectFrom('reports')
    .select((e) => e.fn.countAll<string>().as('n'))
    .whereRef('reports.subject_user_id', '=', 'u.id')
    .where('reports.status', '=', 'open');

/** Users whose handle, display name or email contains `q` (case-insensitive), newest first. */
export async function searchUsers(
  deps: Pick<Deps, 'db'>,
  query: { q?: string; cursor?: string; limit?: number },
): Promise<{ items: AdminUserView[]; nextCursor: string | null }> {
  const { limit, cursor } = adminPage(query);
  let q = deps.db
    .selectFrom('users as u')
    .select(['u.id', 'u.handle', 'u.display_name', 'u.email', 'u.role', 'u.disabled_at', 'u.created_at'])
    .select((eb) => openReportsOf(eb).as('open_reports'))
    .orderBy('u.id', 'desc')
    .limit(limit + 1);
  const term = query.q?.trim();
  if (term) {
    const like = `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['u.handle']), 'like', like),
        eb(eb.fn('lower', ['u.display_name']), 'like', like),
        eb(eb.fn('lower', ['u.email']), 'like', like),
      ]),
    );
  }
  if (cursor) q = q.where('u.id', '<', cursor);
  const rows = await q.execute();
  const page = rows.slice(0, limit);
  return { items: page.map(toAdminUser), nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
}

function toAdminUser(r: {
  id: string;
  handle: string;
  display_name: string;
  email: string;
  role: Role;
  disabled_at: Date | null;
  created_at: Date;
  open_reports: string | number | null;
}): AdminUserView {
  return {
    id: r.id,
    handle: r.handle,
    displayName: r.display_name,
    email: r.email,
    role: r.role,
    disabledAt: r.disabled_at,
    createdAt: r.created_at,
    openReports: Number(r.open_reports ?? 0),
  };
}

/** One user for the console: the account and their uploads (taken down or not). Reports against them come from listReports. */
export async function getUserForAdmin(
  deps: Pick<Deps, 'db'>,
  userId: string,
): Promise<{ user: AdminUserView; uploads: AdminUploadView[] }> {
  if (!/^[1-9][0-9]{0,17}$/.test(userId)) throw notFound('User');
  const row = await deps.db
    .selectFrom('users as u')
    .select(['u.id', 'u.handle', 'u.display_name', 'u.email', 'u.role', 'u.disabled_at', 'u.created_at'])
    .select((eb) => openReportsOf(eb).as('open_reports'))
    .where('u.id', '=', userId)
    .executeTakeFirst();
  if (!row) throw notFound('User');
  const uploads = await deps.db
    .selectFrom('tracks')
    .select(['id', 'title', 'slug', 'visibility', 'taken_down_at', 'takedown_reason', 'created_at'])
    .where('owner_user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .limit(200)
    .execute();
  return {
    user: toAdminUser(row),
    uploads: uploads.map((t) => ({
      id: t.id,
      title: t.title,
      slug: t.slug,
      visibility: t.visibility,
      takenDownAt: t.taken_down_at,
      takedownReason: t.takedown_reason,
      createdAt: t.created_at,
    })),
  };
}

export async function setUserRole(
  deps: Deps,
  actor: Actor,
  userId: string,
  role: Role,
  reason?: string,
): Promise<AdminUserView> {
  if (actor.id === userId) throw cannotTargetSelf();
  if (!/^[1-9][0-9]{0,17}$/.test(userId)) throw notFound('User');
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('users').select('role').where('id', '=', userId).forUpdate().executeTakeFirst();
    if (!before) throw notFound('User');
    if (before.role === role) return;
    // Sessions re-read the role on every request: the change applies at once.
    await trx.updateTable('users').set({ role, updated_at: now }).where('id', '=', userId).execute();
    await recordAudit(trx, actor, now, {
      action: 'user.role',
      subjectType: 'user',
      subjectId: userId,
      reason: cleanReason(reason),
      details: { from: before.role, to: role },
    });
  });
  return (await getUserForAdmin(deps, userId)).user;
}

/** A change to a user's account and its audit entry, in one transaction. */
function auditedUserChange(
  deps: Deps,
  actor: Actor,
  userId: string,
  action: 'user.disable' | 'user.enable',
  reason: string | undefined,
  change: (deps: Deps) => Promise<AccountUser>,
): Promise<AccountUser> {
  return deps.db.transaction().execute(async (trx) => {
    const user = await change({ db: trx, clock: deps.clock });
    await recordAudit(trx, actor, deps.clock(), {
      action,
      subjectType: 'user',
      subjectId: userId,
      reason: cleanReason(reason),
    });
    return user;
  });
}

export function disableUserAudited(deps: Deps, actor: Actor, userId: string, reason?: string): Promise<AccountUser> {
  return auditedUserChange(deps, actor, userId, 'user.disable', reason, (d) => disableUser(d, actor.id, userId));
}

export function enableUserAudited(deps: Deps, actor: Actor, userId: string, reason?: string): Promise<AccountUser> {
  return auditedUserChange(deps, actor, userId, 'user.enable', reason, (d) => enableUser(d, userId));
}

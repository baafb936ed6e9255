import type { Kysely, Transaction } from 'kysely';
import type { Database } from '@earshot/db';
import type { Actor } from '../actor.ts';
import { adminPage } from './fields.ts';

/**
 * The audit log: every admin action, who did it, to what, when and why (docs/architecture.md,
 * "Moderation"). Written in the same transaction as the action, so neither exists without the other.
 */
export interface AuditEntry {
  id: string;
  actor: { id: string | null; handle: string };
  action: string;
  subjectType: string;
  subjectId: string;
  reason: string | null;
  details: Record<string, unknown>;
  createdAt: Date;
}

export interface NewAuditEntry {
  action: string;
  subjectType: string;
  subjectId: string;
  reason?: string | null;
  details?: Record<string, unknown>;
}

export async function recordAudit(
  db: Kysely<Database> | Transaction<Database>,
  actor: Actor,
  now: Date,
  entry: NewAuditEntry,
): Promise<void> {
  const who = await db.selectFrom('users').select('handle').where('id', '=', actor.id).executeTakeFirst();
  await db
    .insertInto('audit_log')
    .values({
      actor_user_id: actor.id,
      actor_handle: who?.handle ?? `user-${actor.id}`,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId,
      reason: entry.reason ?? null,
      details: JSON.stringify(entry.details ?? {}),
      created_at: now,
    })
    .execute();
}

export async function listAudit(
  deps: { db: Kysely<Database> },
  query: { cursor?: string; limit?: number; subjectType?: string; subjectId?: string },
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  const { limit, cursor } = adminPage(query);
  let q = deps.db
    .selectFrom('audit_log')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (cursor) q = q.where('id', '<', cursor);
  if (query.subjectType) q = q.where('subject_type', '=', query.subjectType);
  if (query.subjectId) q = q.where('subject_id', '=', query.subjectId);
  const rows = await q.execute();
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({
      id: r.id,
      actor: { id: r.actor_user_id, handle: r.actor_handle },
      action: r.action,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      reason: r.reason,
      details: r.details,
      createdAt: r.created_at,
    })),
    nextCursor: rows.length > limit ? page[page.length - 1]!.id : null,
  };
}

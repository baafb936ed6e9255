import type { Kysely, Transaction } from 'kysely';
import type { Database } from '@earshot/db';
import { type AppError, conflict } from '../errors.ts';

/** The constraint a unique violation (SQLSTATE 23505) names, from pg or PGlite; undefined otherwise. */
export function uniqueViolation(err: unknown): string | undefined {
  const e = err as { code?: string; constraint?: string; message?: string };
  if (e?.code !== '23505') return undefined;
  return e.constraint ?? /unique constraint "([^"]+)"/.exec(e.message ?? '')?.[1] ?? 'unknown';
}

export const emailTaken = () =>
  conflict('email_taken', 'An account with this email address already exists', { field: 'email' });
export const handleTaken = () => conflict('handle_taken', 'This handle is taken; choose another', { field: 'handle' });

/** users' unique indexes → a 409 naming the field. */
export function userConflict(err: unknown): AppError | undefined {
  const constraint = uniqueViolation(err);
  if (!constraint) return undefined;
  if (constraint.includes('email')) return emailTaken();
  if (constraint.includes('handle')) return handleTaken();
  return undefined;
}

/** Runs `work` in one transaction; a unique violation of the users' email or handle becomes its 409. */
export async function inUsersTransaction<T>(
  db: Kysely<Database>,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  try {
    return await db.transaction().execute(work);
  } catch (err) {
    throw userConflict(err) ?? err;
  }
}

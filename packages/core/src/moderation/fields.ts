import { validationFailed } from '../errors.ts';
export { REPORT_REASON_MAX, TAKEDOWN_REASON_MAX, RESOLUTION_NOTE_MAX } from '../field-limits.ts';
/** Page size of the admin lists (reports, audit log, users, content). */
export const ADMIN_PAGE_MAX = 100;
export const ADMIN_PAGE_DEFAULT = 50;

export const REPORT_SUBJECTS = ['track', 'comment', 'user'] as const;
export type ReportSubjectType = (typeof REPORT_SUBJECTS)[number];

export const TAKEDOWN_SUBJECTS = ['track', 'release', 'comment'] as const;
export type TakedownSubjectType = (typeof TAKEDOWN_SUBJECTS)[number];

/** A reason as given, trimmed; empty is refused by the caller's schema (minLength) and here. */
export function cleanReason(reason: string | undefined | null): string | null {
  const r = (reason ?? '').trim();
  return r.length > 0 ? r : null;
}

/**
 * The page an admin list is asked for: its size (ADMIN_PAGE_DEFAULT unless given) and the last id
 * seen (a positive integer as a string), or a 400 for a cursor that is not one.
 */
export function adminPage(query: { cursor?: string; limit?: number }): { limit: number; cursor: string | undefined } {
  const limit = query.limit ?? ADMIN_PAGE_DEFAULT;
  if (query.cursor === undefined || query.cursor === '') return { limit, cursor: undefined };
  if (!/^[1-9][0-9]{0,17}$/.test(query.cursor)) throw validationFailed('Invalid cursor', { field: 'cursor' });
  return { limit, cursor: query.cursor };
}

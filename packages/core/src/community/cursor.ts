import { badRequest } from '../errors.ts';

/**
 * Opaque keyset cursors of the community lists: base64url of the sort key of the last item
 * ("<number or iso time>|<id>"). A cursor that does not decode to that shape is a 400.
 */
export function encodeCursor(parts: Array<string | number>): string {
  return Buffer.from(parts.join('|')).toString('base64url');
}

export function decodeCursor(cursor: string, kinds: Array<'int' | 'sint' | 'time'>): string[] {
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (parts.length !== kinds.length) throw badRequest('Invalid cursor');
  kinds.forEach((kind, i) => {
    const p = parts[i]!;
    const ok =
      kind === 'int'
        ? /^\d{1,18}$/.test(p)
        : kind === 'sint'
          ? /^-?\d{1,18}$/.test(p)
          : /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$/.test(p) && !Number.isNaN(Date.parse(p));
    if (!ok) throw badRequest('Invalid cursor');
  });
  return parts;
}

/** Page size of every community list: 1..100, 20 when not given. */
export const LIST_LIMIT_MAX = 100;
export const LIST_LIMIT_DEFAULT = 20;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

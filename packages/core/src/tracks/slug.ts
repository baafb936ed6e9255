import type { Kysely, Transaction } from 'kysely';
import type { Database } from '@earshot/db';

/** URL slug of a title: ASCII, lower case, dashes; never empty. */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/g, '');
  return slug || 'track';
}

/**
 * A slug of `title` free among the owner's live rows of `table`: the slug itself, else the first
 * free `-2`, `-3`…. `exceptId`, the row being renamed, does not count, so a title edited back gets
 * its old slug back (a redirect that held it is then the caller's to remove).
 */
export async function freeSlug(
  db: Kysely<Database> | Transaction<Database>,
  table: 'tracks' | 'releases',
  ownerId: string,
  title: string,
  exceptId?: string,
): Promise<string> {
  const base = slugify(title);
  let q = db.selectFrom(table).select('slug').where('owner_user_id', '=', ownerId).where('slug', 'like', `${base}%`);
  if (exceptId) q = q.where('id', '!=', exceptId);
  const taken = new Set((await q.execute()).map((r) => r.slug));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

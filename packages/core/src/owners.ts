import type { CoreDeps } from './deps.ts';

/**
 * Who owns the resource a request names: the rule behind a route's `config.access: { owner }`
 * (the route says *who* may call it, this says *what* they own; apps/api/src/plugins/access.ts
 * applies it). A module that adds owned resources (playlists, comments: author and track owner, …)
 * adds its resolver here.
 */
export type OwnerParams = Record<string, string | undefined>;
/** Ids of the users who own the resource the params name; null when there is no such resource. */
export type OwnerResolver = (deps: Pick<CoreDeps, 'db'>, params: OwnerParams) => Promise<string[] | null>;

const numericId = (v: string | undefined) => (v && /^\d{1,18}$/.test(v) ? v : undefined);

/** `:id` is the id of a row of `table`, owned by its `owner_user_id`. */
const ownerOfRow =
  (table: 'tracks' | 'releases' | 'playlists'): OwnerResolver =>
  async ({ db }, params) => {
    const id = numericId(params.id);
    if (!id) return null;
    const row = await db.selectFrom(table).select('owner_user_id').where('id', '=', id).executeTakeFirst();
    return row ? [row.owner_user_id] : null;
  };

export const OWNER_RESOLVERS = {
  track: ownerOfRow('tracks'),
  release: ownerOfRow('releases'),
  playlist: ownerOfRow('playlists'),
  /** `:id` is a user id: the user is their own owner. */
  user: async ({ db }, params) => {
    const id = numericId(params.id);
    if (!id) return null;
    const row = await db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst();
    return row ? [row.id] : null;
  },
} satisfies Record<string, OwnerResolver>;

export type OwnedResource = keyof typeof OWNER_RESOLVERS;

/** The owners of `resource` as the params name it; null when there is no such resource. */
export function resourceOwners(
  deps: Pick<CoreDeps, 'db'>,
  resource: OwnedResource,
  params: OwnerParams,
): Promise<string[] | null> {
  return OWNER_RESOLVERS[resource](deps, params);
}

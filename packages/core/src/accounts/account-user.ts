import type { ExpressionBuilder, Kysely, UpdateObject } from 'kysely';
import type { Database, Role, User } from '@earshot/db';
import { notFound } from '../errors.ts';

/** What anyone may see of a user. */
export interface PublicProfile {
  id: string;
  handle: string;
  displayName: string;
  bio: string;
  avatarKey: string | null;
  role: Role;
  createdAt: string;
}

/** The signed-in user's own view of the account (never shown to others: has the email). */
export interface AccountUser extends PublicProfile {
  email: string;
  emailVerified: boolean;
}

export type UserRow = Pick<
  User,
  'id' | 'email' | 'handle' | 'display_name' | 'bio' | 'avatar_key' | 'role' | 'email_verified_at' | 'created_at'
>;

export const USER_COLUMNS = [
  'id',
  'email',
  'handle',
  'display_name',
  'bio',
  'avatar_key',
  'role',
  'email_verified_at',
  'created_at',
] as const;

export function toAccountUser(row: UserRow): AccountUser {
  return { ...toPublicProfile(row), email: row.email, emailVerified: row.email_verified_at !== null };
}

export function toPublicProfile(row: Omit<UserRow, 'email' | 'email_verified_at'>): PublicProfile {
  return {
    id: row.id,
    handle: row.handle,
    displayName: row.display_name,
    bio: row.bio,
    avatarKey: row.avatar_key,
    role: row.role,
    createdAt: row.created_at.toISOString(),
  };
}

/** The columns an account change sets, or a function of the row's columns that gives them. */
type UserChange =
  | UpdateObject<Database, 'users'>
  | ((eb: ExpressionBuilder<Database, 'users'>) => UpdateObject<Database, 'users'>);

/** Changes the account's row and answers the account as it is now; 404 when there is no such account. */
export async function updateAccount(db: Kysely<Database>, userId: string, change: UserChange): Promise<AccountUser> {
  const row = await db
    .updateTable('users')
    .set(change)
    .where('id', '=', userId)
    .returning(USER_COLUMNS)
    .executeTakeFirst();
  if (!row) throw notFound('User');
  return toAccountUser(row);
}

import type { Role, User } from '@earshot/db';

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

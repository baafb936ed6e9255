import { Type } from 'typebox';
import { avatarKeyOfSize, type AccountUser, type PublicProfile } from '@earshot/core';
import { publicMediaUrl } from '../media-urls.ts';
import { Nullable } from '../schemas.ts';

const Role = Type.Union([Type.Literal('listener'), Type.Literal('artist'), Type.Literal('admin')]);
const Url = Nullable(Type.String());

const publicFields = {
  id: Type.String(),
  handle: Type.String(),
  displayName: Type.String(),
  bio: Type.String(),
  /** 512 × 512 WebP. */
  avatarUrl: Url,
  /** 128 × 128 WebP. */
  avatarSmallUrl: Url,
  role: Role,
  createdAt: Type.String({ format: 'date-time' }),
};

/** What anyone may see of a user (no email). */
export const PublicUserSchema = Type.Object(publicFields, { $id: 'PublicUser' });
/** The signed-in user's own account. */
export const AccountUserSchema = Type.Object(
  { ...publicFields, email: Type.String(), emailVerified: Type.Boolean() },
  { $id: 'AccountUser' },
);

function avatarUrls(key: string | null) {
  return {
    avatarUrl: key ? publicMediaUrl('images', key) : null,
    avatarSmallUrl: key ? publicMediaUrl('images', avatarKeyOfSize(key, 128)) : null,
  };
}

export function presentPublicUser(p: PublicProfile) {
  return {
    id: p.id,
    handle: p.handle,
    displayName: p.displayName,
    bio: p.bio,
    ...avatarUrls(p.avatarKey),
    role: p.role,
    createdAt: p.createdAt,
  };
}

export function presentAccountUser(u: AccountUser) {
  return { ...presentPublicUser(u), email: u.email, emailVerified: u.emailVerified };
}

export type { AccountUser, PublicProfile } from './account-user.ts';
export { SessionTokens, invalidSession, type SessionClaims } from './session-tokens.ts';
export { authenticateSession, revokeSessions, type SessionUser } from './sessions.ts';
export { register, type RegisterInput } from './register.ts';
export { login, invalidCredentials } from './login.ts';
export { LOCKOUT, lockDurationMs } from './login-lockout.ts';
export { sendEmailVerification, verifyEmail } from './email-verification.ts';
export { requestPasswordReset, resetPassword } from './password-reset.ts';
export { changePassword, changeEmail } from './credentials.ts';
export { getAccount, getPublicProfile, updateProfile, becomeArtist, type ProfileChanges } from './profile.ts';
export { setAvatar, removeAvatar, avatarKeys, avatarKeyOfSize, AVATAR_MAX_BYTES, AVATAR_SIZES } from './avatar.ts';
export { disableUser, enableUser, createOrPromoteAdmin } from './admin-users.ts';
export {
  normalizeEmail,
  normalizeHandle,
  normalizeDisplayName,
  normalizeBio,
  handleReserved,
  HANDLE_PATTERN,
  EMAIL_MAX,
  HANDLE_MIN,
  HANDLE_MAX,
  DISPLAY_NAME_MAX,
  BIO_MAX,
} from './fields.ts';
export { checkPasswordPolicy, commonPasswords, PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH } from './password-policy.ts';
export { RESERVED_HANDLES } from './reserved-handles.ts';
export { TOKEN_TTL_MS, sha256Hex } from './account-tokens.ts';

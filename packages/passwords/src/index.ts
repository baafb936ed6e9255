export {
  hashPassword,
  verifyPassword,
  needsRehash,
  ARGON2ID_PARAMS,
  type PasswordHasher,
  argon2idHasher,
} from './argon2id.ts';

import { readFileSync } from 'node:fs';
import { validationFailed } from '../errors.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../field-limits.ts';
export { PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH } from '../field-limits.ts';

let common: ReadonlySet<string> | undefined;

/** The shipped list (data/common-passwords.txt: 10,000 most common passwords of ≥ 10 characters). */
export function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(
    readFileSync(new URL('./data/common-passwords.txt', import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#')),
  );
  return common;
}

/**
 * NIST SP 800-63B's rules: a minimum length, a maximum generous enough for passphrases, and a
 * check against commonly used passwords — no composition rules (they push people to `Password1!`).
 * `field` names the form field in the error (`password`, `newPassword`).
 */
export function checkPasswordPolicy(password: string, field = 'password', avoid: string[] = []): void {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH)
    throw validationFailed(`Use at least ${PASSWORD_MIN_LENGTH} characters for your password`, {
      field,
      reason: 'too_short',
    });
  if (length > PASSWORD_MAX_LENGTH || Buffer.byteLength(password) > 1024)
    throw validationFailed(`A password is at most ${PASSWORD_MAX_LENGTH} characters`, { field, reason: 'too_long' });
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower))
    throw validationFailed('This password is one of the most common ones; choose another', {
      field,
      reason: 'too_common',
    });
  if (new Set(lower).size < 3)
    throw validationFailed('This password repeats the same few characters; choose another', {
      field,
      reason: 'too_simple',
    });
  for (const word of avoid) {
    if (word && word.length >= 4 && lower.includes(word.toLowerCase()))
      throw validationFailed('Your password must not contain your email or handle', {
        field,
        reason: 'contains_identity',
      });
  }
}

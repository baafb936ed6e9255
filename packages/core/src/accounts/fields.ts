import { AppError, validationFailed } from '../errors.ts';
import { cleanText } from '../text/text-input.ts';
import { RESERVED_HANDLES } from './reserved-handles.ts';
import { BIO_MAX, DISPLAY_NAME_MAX, EMAIL_MAX, HANDLE_MAX, HANDLE_MIN } from '../field-limits.ts';
export { EMAIL_MAX, HANDLE_MIN, HANDLE_MAX, DISPLAY_NAME_MAX, BIO_MAX } from '../field-limits.ts';

/** Every rule of a user's fields, one function per field; errors name the field (`details.field`). */

export const HANDLE_PATTERN = new RegExp(`^[a-z0-9][a-z0-9_-]{${HANDLE_MIN - 1},${HANDLE_MAX - 1}}$`);
// Pragmatic address check (RFC 5321 lengths; one @; a dot in the domain; no spaces, quotes or brackets).
const EMAIL_PATTERN =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export const handleReserved = (handle: string) =>
  new AppError(400, 'handle_reserved', `“${handle}” is reserved; choose another handle`, {
    field: 'handle',
    reason: 'reserved',
  });
const invalid = (field: string, message: string, reason = 'invalid') => validationFailed(message, { field, reason });

/** Lower-cased, trimmed address; ASCII only (no look-alike duplicates of an existing address). */
export function normalizeEmail(input: string): string {
  const email = input.normalize('NFKC').trim();
  if (email.length > EMAIL_MAX)
    throw invalid('email', `An email address is at most ${EMAIL_MAX} characters`, 'too_long');
  if (!EMAIL_PATTERN.test(email)) throw invalid('email', 'Enter a valid email address, like name@example.com');
  return email.toLowerCase();
}

/**
 * Handles are URL slugs (`/<handle>`): NFKC-normalised first (so full-width `ａｄｍｉｎ` becomes
 * `admin` and meets the reserved list), then only ASCII letters, digits, `-` and `_` are allowed —
 * which refuses every Cyrillic, Greek or other look-alike of a Latin letter.
 */
export function normalizeHandle(input: string): string {
  const folded = input.normalize('NFKC').trim();
  if (/[^\u0000-\u007f]/.test(folded))
    throw invalid('handle', 'Use only the letters a–z, digits, “-” and “_” in your handle', 'not_ascii');
  const handle = folded.toLowerCase();
  if (handle.length < HANDLE_MIN || handle.length > HANDLE_MAX)
    throw invalid('handle', `A handle is ${HANDLE_MIN} to ${HANDLE_MAX} characters long`, 'length');
  if (!HANDLE_PATTERN.test(handle))
    throw invalid('handle', 'Use only the letters a–z, digits, “-” and “_”, starting with a letter or digit');
  if (RESERVED_HANDLES.has(handle)) throw handleReserved(handle);
  return handle;
}

export function normalizeDisplayName(input: string): string {
  // The text rule (controls, bidi overrides, zero-width characters, NFC) is core/text's.
  const name = cleanText(input, 'displayName', { trim: true }).replace(/\s+/g, ' ');
  if (!name) throw invalid('displayName', 'Enter a display name', 'required');
  if (name.length > DISPLAY_NAME_MAX)
    throw invalid('displayName', `A display name is at most ${DISPLAY_NAME_MAX} characters`, 'too_long');
  return name;
}

export function normalizeBio(input: string): string {
  // Newlines and tabs are fine in a bio (the `multiline` kind of the text rule).
  const bio = cleanText(input, 'bio', { kind: 'multiline', trim: true });
  if (bio.length > BIO_MAX)
    throw invalid('bio', `A bio is at most ${BIO_MAX.toLocaleString('en')} characters`, 'too_long');
  return bio;
}

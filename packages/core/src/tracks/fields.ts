import { validationFailed } from '../errors.ts';
import { cleanText } from '../text/text-input.ts';
import type { Visibility } from '@earshot/db';
import { ALBUM_MAX, DESCRIPTION_MAX, TITLE_MAX, TRACK_NUMBER_MAX, YEAR_MAX, YEAR_MIN } from '../field-limits.ts';

/** The rules of a track's text fields (the text rule of core/text first); errors name the field. */

export { TITLE_MAX, DESCRIPTION_MAX, ALBUM_MAX, TRACK_NUMBER_MAX, YEAR_MIN, YEAR_MAX } from '../field-limits.ts';
export const VISIBILITIES = ['public', 'unlisted', 'private'] as const satisfies readonly Visibility[];

export function normalizeTrackTitle(input: string | undefined): string {
  return normalizeTitle(input, 'track', TITLE_MAX);
}

/** The title of a track or a release: the text rule, then required and at most `max` characters. */
export function normalizeTitle(input: string | undefined, what: 'track' | 'release', max: number): string {
  const title = cleanText(input ?? '', 'title', { trim: true });
  if (!title) throw validationFailed(`Give the ${what} a title`, { field: 'title', reason: 'required' });
  if (title.length > max)
    throw validationFailed(`Title is at most ${max} characters`, { field: 'title', reason: 'too_long' });
  return title;
}

export function normalizeTrackDescription(input: string | undefined): string {
  const description = cleanText(input ?? '', 'description', { kind: 'multiline', trim: true });
  if (description.length > DESCRIPTION_MAX)
    throw validationFailed(`Description is at most ${DESCRIPTION_MAX.toLocaleString('en')} characters`, {
      field: 'description',
      reason: 'too_long',
    });
  return description;
}

export function normalizeVisibility(input: string | undefined): Visibility {
  return oneOf(VISIBILITIES, input ?? 'public', 'visibility', 'Visibility is public, unlisted or private');
}

/** A choice field of the catalogue (a visibility, a release's type): one of `allowed`, else a 400 naming the field. */
export function oneOf<T extends string>(allowed: readonly T[], value: string, field: string, message: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw validationFailed(message, { field });
  return value as T;
}

/** `null` or an empty string clears the album. */
export function normalizeAlbum(input: string | null): string | null {
  if (input === null) return null;
  const album = cleanText(input, 'album', { trim: true });
  if (album.length > ALBUM_MAX)
    throw validationFailed(`Album is at most ${ALBUM_MAX} characters`, { field: 'album', reason: 'too_long' });
  return album === '' ? null : album;
}

/**
 * A whole number from `min` to `max`, given as a number or (multipart forms) as its digits;
 * `null` or an empty string clears it.
 */
function wholeNumber(input: number | string | null, field: string, min: number, max: number): number | null {
  if (input === null || (typeof input === 'string' && input.trim() === '')) return null;
  const n = typeof input === 'number' ? input : /^\s*\d{1,6}\s*$/.test(input) ? Number(input) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw validationFailed(`${field === 'year' ? 'Year' : 'Track number'} is a whole number from ${min} to ${max}`, {
      field,
      reason: 'out_of_range',
    });
  return n;
}

export function normalizeTrackNumber(input: number | string | null): number | null {
  return wholeNumber(input, 'trackNumber', 1, TRACK_NUMBER_MAX);
}

/**
 * Whether the cover embedded in an uploaded master becomes the track's artwork (the upload's
 * `coverFromFile`, "Use the file's cover as artwork"): absent → yes; `true`/`false` (multipart
 * forms send them as text), anything else refused.
 */
export function normalizeCoverFromFile(input: boolean | string | undefined): boolean {
  if (input === undefined || input === true || input === 'true') return true;
  if (input === false || input === 'false') return false;
  throw validationFailed('coverFromFile is true or false', { field: 'coverFromFile', reason: 'invalid' });
}

export function normalizeYear(input: number | string | null): number | null {
  return wholeNumber(input, 'year', YEAR_MIN, YEAR_MAX);
}

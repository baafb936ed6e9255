import { validationFailed } from '../errors.ts';
import { cleanText } from '../text/text-input.ts';
import { normalizeTitle, oneOf } from '../tracks/fields.ts';
import { RELEASE_CREDITS_MAX, RELEASE_DESCRIPTION_MAX, RELEASE_TITLE_MAX } from '../field-limits.ts';
export { RELEASE_TITLE_MAX, RELEASE_DESCRIPTION_MAX, RELEASE_CREDITS_MAX } from '../field-limits.ts';

/** The rules of a release's own fields (docs/architecture.md, "Catalogue"). */

/** An album of more than 200 tracks is a catalogue, not a release. */
export const RELEASE_TRACKS_MAX = 200;
export const RELEASE_TYPES = ['album', 'ep', 'single'] as const;
export type ReleaseType = (typeof RELEASE_TYPES)[number];
/** Release dates run from the first recordings to a few years ahead (a scheduled release). */
const EARLIEST_YEAR = 1860;
const LATEST_YEARS_AHEAD = 5;

export function normalizeReleaseTitle(input: string | undefined): string {
  return normalizeTitle(input, 'release', RELEASE_TITLE_MAX);
}

export function normalizeReleaseText(input: string | undefined, field: 'description' | 'credits'): string {
  const text = cleanText(input ?? '', field, { kind: 'multiline', trim: true });
  const max = field === 'description' ? RELEASE_DESCRIPTION_MAX : RELEASE_CREDITS_MAX;
  if (text.length > max)
    throw validationFailed(
      `${field === 'description' ? 'Description' : 'Credits'} is at most ${max.toLocaleString('en')} characters`,
      { field, reason: 'too_long' },
    );
  return text;
}

export function normalizeReleaseType(input: string | undefined): ReleaseType {
  return oneOf(RELEASE_TYPES, input ?? 'album', 'type', 'Type is album, ep or single');
}

/**
 * `YYYY-MM-DD` (a calendar day, UTC) between 1860 and five years from `now`; null = today at
 * creation. A day after today schedules the release: others see it from that day on.
 */
export function normalizeReleaseDate(input: string | null | undefined, now: Date): string | null {
  if (input === null || input === undefined || input === '') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input);
  const bad = () =>
    validationFailed(
      `releaseDate is a day as YYYY-MM-DD between ${EARLIEST_YEAR} and ${now.getUTCFullYear() + LATEST_YEARS_AHEAD}`,
      { field: 'releaseDate' },
    );
  if (!m) throw bad();
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) throw bad();
  if (y < EARLIEST_YEAR || y > now.getUTCFullYear() + LATEST_YEARS_AHEAD) throw bad();
  return input;
}

/** Distinct ids in the order given, at most RELEASE_TRACKS_MAX (`max` for playlists). */
export function normalizeTrackIds(input: readonly string[], max: number, what = 'A release'): string[] {
  if (input.length > max)
    throw validationFailed(`${what} holds at most ${max.toLocaleString('en')} tracks`, {
      field: 'trackIds',
      reason: 'too_many',
    });
  const seen = new Set<string>();
  for (const id of input) {
    if (!/^[1-9]\d{0,17}$/.test(id)) throw validationFailed('trackIds are track ids', { field: 'trackIds' });
    if (seen.has(id)) throw validationFailed(`Track ${id} is listed twice`, { field: 'trackIds', reason: 'duplicate' });
    seen.add(id);
  }
  return [...seen];
}

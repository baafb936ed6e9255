import { validationFailed } from '../errors.ts';
import { cleanText } from '../text/text-input.ts';
import type { Visibility } from '@earshot/db';

/** The rules of a track's text fields (the text rule of core/text first); errors name the field. */

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 5000;
export const VISIBILITIES = ['public', 'unlisted', 'private'] as const satisfies readonly Visibility[];

export function normalizeTrackTitle(input: string | undefined): string {
  const title = cleanText(input ?? '', 'title', { trim: true });
  if (!title) throw validationFailed('Give the track a title', { field: 'title', reason: 'required' });
  if (title.length > TITLE_MAX)
    throw validationFailed(`Title is at most ${TITLE_MAX} characters`, { field: 'title', reason: 'too_long' });
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
  const visibility = input ?? 'public';
  if (!(VISIBILITIES as readonly string[]).includes(visibility))
    throw validationFailed('Visibility is public, unlisted or private', { field: 'visibility' });
  return visibility as Visibility;
}

'use client';

/**
 * The artist's edit of a published track, in place on its page (docs/architecture.md, "Catalogue"):
 * its words (title, description, genre, tags, album), who sees it, how it is sold and downloaded,
 * its artwork, whether it takes comments, and a new master. One submit sends what changed: the
 * fields (`PATCH /tracks/:id`), then the artwork, the comments switch and the new master, each its
 * own request; the page shows what the API kept.
 */
import { useId } from 'react';
import {
  ALBUM_MAX,
  DESCRIPTION_MAX,
  GENRE_MAX,
  TAG_MAX,
  TAGS_MAX,
  TITLE_MAX,
  TRACK_NUMBER_MAX,
  YEAR_MAX,
  YEAR_MIN,
} from '@earshot/core/field-limits';
import { api, ok, type ApiRequestBody } from '@/lib/api/client';
import { FieldError, useFormSubmit } from '@/lib/hooks/use-form-submit';
import type { TrackDetail } from '@/lib/player/track';
import { Notice } from '@/components/Notice';
import { PRICE_FIELDS, PriceFields, priceFromForm } from '@/components/commerce/PriceFields';
import { LibraryField } from './LibraryField';
import './library.css';

const FIELDS = [
  'title',
  'description',
  'genre',
  'tags',
  'visibility',
  'album',
  'trackNumber',
  'year',
  'downloadable',
  'commentsOpen',
  'artwork',
  'file',
  ...PRICE_FIELDS,
] as const;

type TrackPatch = ApiRequestBody<'/api/v1/tracks/{id}', 'patch'>;

/** `"Ambient, field recording ,"` → `['Ambient', 'field recording']` (the API folds case and spaces). */
export function tagsFrom(text: string): string[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

function wholeNumberOrNull(form: FormData, field: 'trackNumber' | 'year', what: string): number | null {
  const text = String(form.get(field) ?? '').trim();
  if (text === '') return null;
  if (!/^\d+$/.test(text)) throw new FieldError(field, `${what} is a whole number`);
  return Number(text);
}

const samePrice = (a: TrackDetail['price'], b: TrackDetail['price']) =>
  a === b ||
  (a !== null &&
    b !== null &&
    a.amountMinor === b.amountMinor &&
    a.currency === b.currency &&
    a.payWhatYouWant === b.payWhatYouWant);

/** What the form says that differs from the track as the API gave it. */
function changesOf(track: TrackDetail, form: FormData): TrackPatch {
  const text = (name: string) => String(form.get(name) ?? '');
  const next: TrackPatch = {
    title: text('title').trim(),
    description: text('description'),
    genre: text('genre').trim() || null,
    tags: tagsFrom(text('tags')),
    visibility: text('visibility') as TrackDetail['visibility'],
    album: text('album').trim() || null,
    trackNumber: wholeNumberOrNull(form, 'trackNumber', 'A track number'),
    year: wholeNumberOrNull(form, 'year', 'A year'),
    downloadable: form.get('downloadable') === 'on',
    price: priceFromForm(form),
  };
  if (next.tags && next.tags.length > TAGS_MAX) throw new FieldError('tags', `At most ${TAGS_MAX} tags`);
  const body: TrackPatch = {};
  for (const key of Object.keys(next) as (keyof TrackPatch)[]) {
    const before = track[key];
    const after = next[key];
    const same =
      key === 'price'
        ? samePrice(before as TrackDetail['price'], after as TrackDetail['price'])
        : key === 'tags'
          ? JSON.stringify(before) === JSON.stringify(after)
          : before === after;
    if (!same) Object.assign(body, { [key]: after });
  }
  return body;
}

export function TrackEditor({
  track,
  onSaved,
  onDone,
  onCancel,
}: {
  track: TrackDetail;
  /** The track as the API kept it, after each request that changed it. */
  onSaved: (track: TrackDetail) => void;
  /** Everything was sent: what was done, as a sentence for the page's status. */
  onDone: (said: string) => void;
  onCancel: () => void;
}) {
  const form = useFormSubmit(FIELDS);
  const id = useId();
  const path = { params: { path: { id: track.id } } };
  const save = form.onSubmit(async (data) => {
    const body = changesOf(track, data);
    const said: string[] = [];
    let saved = track;
    if (Object.keys(body).length > 0) {
      saved = (await ok(api.PATCH('/api/v1/tracks/{id}', { ...path, body }))).track;
      onSaved(saved);
      said.push('Saved');
    }
    const closed = data.get('commentsOpen') !== 'on';
    if (closed !== track.commentsClosed) {
      const call = closed ? api.PUT : api.DELETE;
      const { track: t } = await ok(call('/api/v1/tracks/{id}/comments-closed', path));
      saved = { ...saved, commentsClosed: t.commentsClosed };
      onSaved(saved);
      said.push(closed ? 'comments closed' : 'comments open');
    }
    const art = data.get('artwork');
    if (art instanceof File && art.size > 0) {
      const upload = new FormData();
      upload.set('artwork', art, art.name);
      // Multipart: the API streams the file, so its document does not describe this body.
      saved = (await ok(api.PUT('/api/v1/tracks/{id}/artwork', { ...path, body: upload as never }))).track;
      onSaved(saved);
      said.push('artwork replaced');
    }
    const master = data.get('file');
    if (master instanceof File && master.size > 0) {
      const upload = new FormData();
      upload.set('file', master, master.name);
      await ok(api.POST('/api/v1/tracks/{id}/versions', { ...path, body: upload as never }));
      said.push('new master uploaded: it replaces the current one once it is processed');
    }
    if (said.length === 0) return 'Nothing changed.';
    const sentence = said.join(', ');
    onDone(`${sentence[0]?.toUpperCase()}${sentence.slice(1)}.`);
    return null;
  });
  const error = (name: string) => form.errors.fields[name];
  return (
    <form
      className="library-form track-editor"
      aria-label={`Edit ${track.title}`}
      onSubmit={save}
      data-hydrated={form.hydrated || undefined}
      data-testid="track-editor"
    >
      <LibraryField label="Title" error={error('title')}>
        <input name="title" defaultValue={track.title} required maxLength={TITLE_MAX} />
      </LibraryField>
      <LibraryField label="Description" error={error('description')}>
        <textarea name="description" defaultValue={track.description} rows={4} maxLength={DESCRIPTION_MAX} />
      </LibraryField>
      <div className="track-editor__row">
        <LibraryField label="Genre" error={error('genre')}>
          <input name="genre" defaultValue={track.genre ?? ''} maxLength={GENRE_MAX} />
        </LibraryField>
        <LibraryField label="Tags" error={error('tags')}>
          <input
            name="tags"
            defaultValue={track.tags.join(', ')}
            maxLength={TAGS_MAX * (TAG_MAX + 2)}
            aria-describedby={`${id}-tags`}
          />
          <span id={`${id}-tags`} className="track-editor__hint">
            Separated by commas, up to {TAGS_MAX}.
          </span>
        </LibraryField>
      </div>
      <div className="track-editor__row">
        <LibraryField label="Album" error={error('album')}>
          <input name="album" defaultValue={track.album ?? ''} maxLength={ALBUM_MAX} />
        </LibraryField>
        <LibraryField label="Track number" error={error('trackNumber')}>
          <input
            name="trackNumber"
            inputMode="numeric"
            defaultValue={track.trackNumber ?? ''}
            maxLength={String(TRACK_NUMBER_MAX).length}
          />
        </LibraryField>
        <LibraryField label="Year" error={error('year')}>
          <input
            name="year"
            inputMode="numeric"
            defaultValue={track.year ?? ''}
            maxLength={String(YEAR_MAX).length}
            placeholder={`${YEAR_MIN}–${YEAR_MAX}`}
          />
        </LibraryField>
      </div>
      <label>
        Who can listen
        <select name="visibility" defaultValue={track.visibility}>
          <option value="public">Public: listed and searchable</option>
          <option value="unlisted">Unlisted: anyone with the link</option>
          <option value="private">Private: only you</option>
        </select>
      </label>
      <PriceFields price={track.price} errors={form.errors.fields} downloadable={track.downloadable} />
      <label className="track-editor__check">
        <input type="checkbox" name="commentsOpen" defaultChecked={!track.commentsClosed} />
        Comments open
      </label>
      <LibraryField label="New artwork (JPEG, PNG, WebP; square works best)" error={error('artwork')}>
        <input name="artwork" type="file" accept="image/*" />
      </LibraryField>
      <LibraryField
        label="New master (replaces the audio once processed; plays, comments and sales stay)"
        error={error('file')}
      >
        <input name="file" type="file" accept="audio/*,.flac,.wav,.aiff,.aif" />
      </LibraryField>
      <Notice className="feed-message feed-message--error" message={form.errors.form} />
      {form.done && <p role="status">{form.done}</p>}
      <div className="library-actions">
        <button type="submit" className="button button--accent" disabled={form.pending}>
          {form.busy ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="button button--ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

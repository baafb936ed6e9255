'use client';

/** `/release/<id>`: artwork, title, artist, date, tracklist with total length, play all; its artist edits it in place. */
import { BuyBox } from '@/components/commerce/BuyBox';
import Link from 'next/link';
import { useState } from 'react';
import { api, ok } from '@/lib/api/client';
import { useFormSubmit } from '@/lib/hooks/use-form-submit';
import { routes } from '@/lib/routes';
import { EditError, LibraryFallback, useLibraryItem } from './LibraryItem';
import { PlayAllButton, TrackCount, Tracklist } from './Tracklist';
import { LibraryField } from './LibraryField';
import { ReleaseArtwork } from './ReleaseArtwork';
import './library.css';
import { RELEASE_CREDITS_MAX, RELEASE_DESCRIPTION_MAX, RELEASE_TITLE_MAX } from '@earshot/core/field-limits';
import { PRICE_FIELDS, PriceFields, priceFromForm } from '@/components/commerce/PriceFields';

const RELEASE_FIELDS = ['title', 'type', 'description', 'credits', 'releaseDate', 'artwork', ...PRICE_FIELDS] as const;

export function ReleaseView({ id }: { id: string }) {
  const { item, viewerId, status, error, edit } = useLibraryItem(`release:${id}`, (signal) =>
    ok(api.GET('/api/v1/releases/{id}', { params: { path: { id } }, signal })).then((r) => r.release),
  );
  const [editing, setEditing] = useState(false);
  const form = useFormSubmit(RELEASE_FIELDS);
  if (item.status !== 'ready') return <LibraryFallback item={item} noun="release" />;
  const release = item.data;
  const own = viewerId === release.artist.id;
  const path = { params: { path: { id } } };

  const save = form.onSubmit(async (data) => {
    const type = String(data.get('type') ?? 'album');
    let saved = (
      await ok(
        api.PATCH('/api/v1/releases/{id}', {
          ...path,
          body: {
            title: String(data.get('title') ?? ''),
            type: type === 'ep' || type === 'single' ? type : 'album',
            description: String(data.get('description') ?? ''),
            credits: String(data.get('credits') ?? ''),
            price: priceFromForm(data),
            releaseDate: String(data.get('releaseDate') ?? '') || null,
          },
        }),
      )
    ).release;
    const art = data.get('artwork');
    if (art instanceof File && art.size > 0) {
      const body = new FormData();
      body.set('artwork', art, art.name);
      // Multipart: the API streams the file, so its document does not describe this body.
      saved = (await ok(api.PUT('/api/v1/releases/{id}/artwork', { ...path, body: body as never }))).release;
    }
    await edit(async () => saved, 'Saved');
    setEditing(false);
    return 'Saved';
  });

  return (
    <section className="section container" aria-labelledby="release-title">
      <div className="library-head">
        <ReleaseArtwork release={release} size={200} className="library-head__art" />
        <div>
          <p className="eyebrow">
            {release.type === 'ep' ? 'EP' : release.type === 'single' ? 'Single' : 'Album'}
            {release.scheduled ? ' · scheduled' : ''}
          </p>
          <h1 id="release-title" className="section__title" data-testid="release-title">
            {release.title}
          </h1>
          <p className="library-head__meta">
            <Link href={routes.artist(release.artist.handle)} prefetch={false}>
              {release.artist.displayName}
            </Link>
            {release.releaseDate && (
              <>
                {' '}
                · <time dateTime={release.releaseDate}>{release.releaseDate}</time>
              </>
            )}{' '}
            · <TrackCount tracks={release.tracks} lengthTestId="release-length" />
          </p>
          <div className="library-actions">
            <PlayAllButton tracks={release.tracks} />
            {own && (
              <button
                type="button"
                className="button button--ghost"
                aria-expanded={editing}
                onClick={() => setEditing((e) => !e)}
              >
                Edit release
              </button>
            )}
            <span role="status" aria-live="polite">
              {form.done ?? status}
            </span>
          </div>
        </div>
      </div>
      {!release.scheduled && release.tracks.length > 0 && (
        <BuyBox key={JSON.stringify(release.price)} type="release" id={release.id} title={release.title} />
      )}
      {release.description && <p className="profile-header__bio">{release.description}</p>}
      {release.credits.trim() && (
        <section className="release-credits" aria-label="Credits">
          <h2 className="release-credits__title">Credits</h2>
          <p>{release.credits}</p>
        </section>
      )}
      <EditError message={error ?? form.errors.form} />
      {own && editing && (
        <form
          className="library-form"
          aria-label="Edit release"
          onSubmit={save}
          data-hydrated={form.hydrated || undefined}
        >
          <LibraryField label="Title" error={form.errors.fields.title}>
            <input name="title" defaultValue={release.title} required maxLength={RELEASE_TITLE_MAX} />
          </LibraryField>
          <label>
            Type
            <select name="type" defaultValue={release.type}>
              <option value="album">Album</option>
              <option value="ep">EP</option>
              <option value="single">Single</option>
            </select>
          </label>
          <LibraryField label="Release date" error={form.errors.fields.releaseDate}>
            <input name="releaseDate" type="date" defaultValue={release.releaseDate ?? ''} />
          </LibraryField>
          <LibraryField label="Description" error={form.errors.fields.description}>
            <textarea
              name="description"
              defaultValue={release.description}
              rows={4}
              maxLength={RELEASE_DESCRIPTION_MAX}
            />
          </LibraryField>
          <LibraryField label="Credits" error={form.errors.fields.credits}>
            <textarea name="credits" defaultValue={release.credits} rows={3} maxLength={RELEASE_CREDITS_MAX} />
          </LibraryField>
          <PriceFields price={release.price} errors={form.errors.fields} />
          <LibraryField label="Artwork (JPEG, PNG, WebP; square works best)" error={form.errors.fields.artwork}>
            <input name="artwork" type="file" accept="image/*" />
          </LibraryField>
          <div className="library-actions">
            <button type="submit" className="button button--accent" disabled={form.pending}>
              {form.busy ? 'Saving…' : 'Save'}
            </button>
          </div>
        </form>
      )}
      <Tracklist tracks={release.tracks} label={`Tracks of ${release.title}`} waveforms />
    </section>
  );
}

'use client';

/**
 * The artist's studio: every track in every state — processing with live progress (the upload's
 * WebSocket, polling when it is not open), failed with the reason, private, unlisted — with plays
 * and likes; title, album, track number, year and visibility edited in place (the API's limits,
 * from core), visibility changed for many at once, delete.
 */
import Link from 'next/link';
import { type KeyboardEvent, useEffect, useState } from 'react';
import { ApiError, describeApiError } from '@/lib/api';
import { ALBUM_MAX, TITLE_MAX, TRACK_NUMBER_MAX, YEAR_MAX, YEAR_MIN } from '@earshot/core/field-limits';
import { api, ok, type ApiRequestBody, type ApiResponse } from '@/lib/api/client';
import { useResource } from '@/lib/hooks/use-resource';
import { fetchAccount } from '@/lib/account';
import { routes } from '@/lib/routes';
import type { Visibility } from '@/lib/library';
import { useLiveProgress } from '@/components/upload/live-progress';
import { Notice } from '@/components/Notice';
import './library.css';

type StudioTrack = ApiResponse<'/api/v1/me/tracks'>['items'][number];
type TrackEdit = Pick<
  ApiRequestBody<'/api/v1/tracks/{id}', 'patch'>,
  'title' | 'visibility' | 'album' | 'trackNumber' | 'year'
>;

/** A whole number typed into a field: `null` when empty, `undefined` when not a number from `min` to `max`. */
function wholeNumberOf(text: string, min: number, max: number): number | null | undefined {
  const value = text.trim();
  if (!value) return null;
  const n = /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : undefined;
}

/**
 * The album, track number and year of one track, each saved when it loses focus (Enter too) and
 * changed; emptied, it is cleared. A number out of range is not sent: the field says why.
 */
function AlbumFields({ track, onSave }: { track: StudioTrack; onSave: (body: TrackEdit) => Promise<boolean> }) {
  const [invalid, setInvalid] = useState<string | null>(null);
  const saveNumber = (field: 'trackNumber' | 'year', input: HTMLInputElement, min: number, max: number) => {
    const n = wholeNumberOf(input.value, min, max);
    if (n === undefined) {
      const message = `${field === 'year' ? 'Year' : 'Track number'} is a whole number from ${min} to ${max}`;
      input.setCustomValidity(message);
      setInvalid(message);
      return;
    }
    input.setCustomValidity('');
    setInvalid(null);
    if (n !== track[field]) void onSave({ [field]: n });
  };
  const blurOnEnter = (e: KeyboardEvent<HTMLInputElement>) => e.key === 'Enter' && e.currentTarget.blur();
  const errorId = `studio-album-error-${track.id}`;
  return (
    <div className="studio-album">
      <input
        type="text"
        className="studio-album__album"
        aria-label={`Album of ${track.title}`}
        placeholder="Album"
        defaultValue={track.album ?? ''}
        maxLength={ALBUM_MAX}
        onKeyDown={blurOnEnter}
        onBlur={(e) => {
          const album = e.target.value.trim() || null;
          if (album !== track.album) void onSave({ album });
        }}
      />
      <input
        type="text"
        inputMode="numeric"
        pattern="[0-9]*"
        className="studio-album__number"
        aria-label={`Track number of ${track.title}`}
        aria-describedby={invalid ? errorId : undefined}
        placeholder="No."
        defaultValue={track.trackNumber ?? ''}
        maxLength={String(TRACK_NUMBER_MAX).length}
        onKeyDown={blurOnEnter}
        onBlur={(e) => saveNumber('trackNumber', e.target, 1, TRACK_NUMBER_MAX)}
      />
      <input
        type="text"
        inputMode="numeric"
        pattern="[0-9]*"
        className="studio-album__year"
        aria-label={`Year of ${track.title}`}
        aria-describedby={invalid ? errorId : undefined}
        placeholder="Year"
        defaultValue={track.year ?? ''}
        maxLength={String(YEAR_MAX).length}
        onKeyDown={blurOnEnter}
        onBlur={(e) => saveNumber('year', e.target, YEAR_MIN, YEAR_MAX)}
      />
      {invalid && (
        <span id={errorId} className="studio-album__error" role="alert">
          {invalid}
        </span>
      )}
    </div>
  );
}

function progressOf(t: StudioTrack): number {
  const steps = Object.values(t.latestVersion?.steps ?? {});
  if (!steps.length) return 0;
  return Math.round(steps.reduce((n, s) => n + (s.state === 'done' ? 100 : s.progress || 0), 0) / steps.length);
}

/** The table's text columns after the checkbox: label, and the class that sizes or hides it on narrow screens. */
const STUDIO_COLUMNS: ReadonlyArray<readonly [string, string | undefined]> = [
  ['Title', undefined],
  ['Album, number, year', 'studio-cell--album'],
  ['State', 'studio-cell--state'],
  ['Visibility', 'studio-cell--visibility'],
  ['Plays', 'studio-hide-narrow'],
  ['Likes', 'studio-hide-narrow'],
];

export function Studio() {
  const resource = useResource('studio', (signal) => ok(api.GET('/api/v1/me/tracks', { signal })).then((r) => r.items));
  const tracks = resource.status === 'ready' ? resource.data : null;
  const setTracks = (change: (list: StudioTrack[]) => StudioTrack[]) => resource.update(change);
  const [handle, setHandle] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [status, setStatus] = useState('');
  const [actionError, setError] = useState<string | null>(null);
  const signedOut = resource.status === 'error' && resource.error instanceof ApiError && resource.error.status === 401;
  const error = actionError ?? (resource.status === 'error' ? resource.message : null);

  useEffect(() => {
    fetchAccount().then(
      (me) => setHandle(me?.handle ?? null),
      () => undefined,
    );
  }, []);
  const processing = !!tracks?.some(
    (t) => t.latestVersion && (t.latestVersion.status === 'processing' || t.latestVersion.status === 'uploaded'),
  );
  useLiveProgress(
    processing,
    (event) =>
      setTracks((list) =>
        list.map((t) => {
          if (t.id !== event.trackId || !t.latestVersion) return t;
          if (event.type === 'version.status')
            return {
              ...t,
              latestVersion: {
                ...t.latestVersion,
                status: event.status,
                failureReason: event.error ?? t.latestVersion.failureReason,
              },
            };
          return {
            ...t,
            latestVersion: {
              ...t.latestVersion,
              steps: {
                ...t.latestVersion.steps,
                [event.step]: { state: event.state, progress: event.progress ?? 0 },
              },
            },
          };
        }),
      ),
    // Polling (no socket): read again in place, without the "Loading…" of a first read.
    () =>
      void ok(api.GET('/api/v1/me/tracks')).then(
        (r) => setTracks(() => r.items),
        () => undefined,
      ),
  );

  if (signedOut)
    return (
      <p className="container section">
        <Link href={`${routes.login}?next=/studio`}>Sign in</Link> to see your studio.
      </p>
    );
  if (!tracks)
    return (
      <p className="container section" role={error ? 'alert' : 'status'}>
        {error ?? 'Loading…'}
      </p>
    );

  const patch = async (id: string, body: TrackEdit): Promise<boolean> => {
    try {
      const { track } = await ok(api.PATCH('/api/v1/tracks/{id}', { params: { path: { id } }, body }));
      // What the API kept (album cleaned of what the text rule drops), not what was typed.
      setTracks((list) =>
        list.map((t) =>
          t.id === id
            ? {
                ...t,
                title: track.title,
                slug: track.slug,
                visibility: track.visibility,
                album: track.album,
                trackNumber: track.trackNumber,
                year: track.year,
              }
            : t,
        ),
      );
      setError(null);
      setStatus('Saved');
      return true;
    } catch (err) {
      setError(describeApiError(err));
      return false;
    }
  };
  const bulk = async (visibility: Visibility) => {
    for (const id of selected) await patch(id, { visibility });
    setStatus(`${selected.size} track${selected.size === 1 ? '' : 's'} now ${visibility}`);
  };
  const deleteTrack = (id: string, confirmBuyersKeepAccess?: boolean) =>
    ok(
      api.DELETE('/api/v1/tracks/{id}', {
        params: { path: { id }, query: confirmBuyersKeepAccess ? { confirmBuyersKeepAccess: true } : {} },
      }),
    );
  const remove = async (t: StudioTrack) => {
    if (!window.confirm(`Delete “${t.title}”? Every version and file goes; this cannot be undone.`)) return;
    try {
      try {
        await deleteTrack(t.id);
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 'track_sold')) throw err;
        if (!window.confirm(`${err.message}\n\nRetire it? Buyers keep their downloads.`)) return;
        await deleteTrack(t.id, true);
      }
    } catch (err) {
      return setError(describeApiError(err));
    }
    setTracks((list) => list.filter((x) => x.id !== t.id));
    setStatus(`Deleted “${t.title}”`);
  };
  /** Failed processing: the newest version's unfinished steps are queued again. */
  const retry = async (t: StudioTrack) => {
    setError(null);
    try {
      await ok(api.POST('/api/v1/tracks/{id}/retry', { params: { path: { id: t.id } } }));
      setTracks((list) =>
        list.map((x) =>
          x.id === t.id && x.latestVersion
            ? { ...x, latestVersion: { ...x.latestVersion, status: 'processing', failureReason: null } }
            : x,
        ),
      );
      setStatus(`Processing “${t.title}” again`);
    } catch (err) {
      setError(describeApiError(err));
    }
  };

  return (
    <section className="section container" aria-labelledby="studio-title">
      <h1 id="studio-title" className="section__title">
        Studio
      </h1>
      <div className="library-actions">
        <Link className="button button--accent" href={routes.upload} prefetch={false}>
          Upload
        </Link>
        <label>
          <span className="visually-hidden">Visibility for the selected tracks</span>
          <select
            disabled={selected.size === 0}
            value=""
            aria-label="Set visibility of the selected tracks"
            onChange={(e) => e.target.value && void bulk(e.target.value as Visibility)}
            data-testid="bulk-visibility"
          >
            <option value="">Selected: set visibility…</option>
            <option value="public">Public</option>
            <option value="unlisted">Unlisted</option>
            <option value="private">Private</option>
          </select>
        </label>
        <span role="status" aria-live="polite">
          {status}
        </span>
      </div>
      <Notice className="feed-message feed-message--error" message={error} />
      {tracks.length === 0 ? (
        <p className="feed-message">Nothing uploaded yet.</p>
      ) : (
        <table className="studio-table">
          <thead>
            <tr>
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label="Select every track"
                  checked={selected.size === tracks.length}
                  onChange={(e) => setSelected(e.target.checked ? new Set(tracks.map((t) => t.id)) : new Set())}
                />
              </th>
              {STUDIO_COLUMNS.map(([label, className]) => (
                <th key={label} scope="col" className={className}>
                  {label}
                </th>
              ))}
              <th scope="col" className="studio-cell--actions">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tracks.map((t) => {
              const v = t.latestVersion;
              const state = t.takenDown
                ? 'Taken down'
                : !v
                  ? '—'
                  : v.status === 'failed'
                    ? `Failed: ${v.failureReason ?? 'unknown reason'}`
                    : v.status === 'ready'
                      ? 'Ready'
                      : `Processing ${progressOf(t)}%`;
              return (
                <tr key={t.id} data-testid="studio-row">
                  <td className="studio-cell--check">
                    <input
                      type="checkbox"
                      aria-label={`Select ${t.title}`}
                      checked={selected.has(t.id)}
                      onChange={(e) =>
                        setSelected((s) => {
                          const n = new Set(s);
                          if (e.target.checked) n.add(t.id);
                          else n.delete(t.id);
                          return n;
                        })
                      }
                    />
                  </td>
                  <td className="studio-cell--title">
                    <input
                      type="text"
                      aria-label={`Title of ${t.title}`}
                      defaultValue={t.title}
                      maxLength={TITLE_MAX}
                      onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
                      onBlur={(e) =>
                        e.target.value.trim() &&
                        e.target.value !== t.title &&
                        void patch(t.id, { title: e.target.value })
                      }
                    />
                    {handle && (
                      <Link
                        href={`${routes.track({ id: t.id, slug: t.slug, artist: { handle } })}?edit`}
                        prefetch={false}
                        className="tracklist__artist"
                        aria-label={`Open ${t.title} to edit its description, genre, tags, price and artwork`}
                      >
                        open and edit
                      </Link>
                    )}
                  </td>
                  <td className="studio-cell--album">
                    <AlbumFields track={t} onSave={(body) => patch(t.id, body)} />
                  </td>
                  <td className="studio-cell--state">
                    {v && (v.status === 'processing' || v.status === 'uploaded') ? (
                      <progress max={100} value={progressOf(t)} aria-label={`Processing ${t.title}`}>
                        {progressOf(t)}%
                      </progress>
                    ) : null}{' '}
                    {state}
                  </td>
                  <td className="studio-cell--visibility">
                    <select
                      aria-label={`Visibility of ${t.title}`}
                      value={t.visibility}
                      onChange={(e) => void patch(t.id, { visibility: e.target.value as Visibility })}
                    >
                      <option value="public">Public</option>
                      <option value="unlisted">Unlisted</option>
                      <option value="private">Private</option>
                    </select>
                  </td>
                  <td className="studio-hide-narrow">{t.playCount}</td>
                  <td className="studio-hide-narrow">{t.likeCount}</td>
                  <td className="studio-cell--actions">
                    <div className="studio-actions">
                      {v?.status === 'failed' && !t.takenDown && (
                        <button
                          type="button"
                          className="button button--accent button--small"
                          aria-label={`Retry processing ${t.title}`}
                          onClick={() => void retry(t)}
                          data-testid="studio-retry"
                        >
                          Retry
                        </button>
                      )}
                      <button
                        type="button"
                        className="button button--ghost button--small"
                        aria-label={`Delete ${t.title}`}
                        onClick={() => void remove(t)}
                      >
                        Delete
                      </button>
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

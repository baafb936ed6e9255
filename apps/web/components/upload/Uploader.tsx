'use client';

/**
 * Upload to ready: pick or drop several masters; their tags (title, genre, track number, album, year,
 * cover) are read here and pre-fill each row; send them two at a time with a progress bar each, then
 * watch the worker's four steps live, and end on a link to the track page (or the reason it failed).
 * Title, genre, track number and visibility stay editable while a file is sent and processed: what
 * changed after its fields left with the upload is saved (`PATCH /tracks/:id`) once the track exists,
 * when the field is left. Several files are offered as one release, in track-number order.
 */
import Link from 'next/link';
import { MakeRelease } from '@/components/library/MakeRelease';
import { GENRE_MAX, TITLE_MAX, TRACK_NUMBER_MAX } from '@earshot/core/field-limits';
import { useCallback, useEffect, useReducer, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { describeApiError } from '@/lib/api';
import { api, ok, type ApiRequestBody } from '@/lib/api/client';
import { MEDIA_STEPS, type StepProgress, type TrackDetail } from '@/lib/player/track';
import { routes } from '@/lib/routes';
import { useLiveProgress, type ProcessingEvent } from './live-progress';
import { uploadErrorMessage, uploadTrack, type UploadFields, type UploadRequest } from './xhr-upload';
import { commonAlbum, inTrackOrder, readFileTags, titleFromFileName, type FormTags } from './file-tags';
import './upload.css';

const CONCURRENT_UPLOADS = 2;
const ACCEPT = 'audio/*,.flac,.wav,.aif,.aiff,.mp3,.ogg,.oga,.opus,.m4a,.alac,.wv';

type Visibility = UploadFields['visibility'];
type Phase = 'draft' | 'queued' | 'uploading' | 'processing' | 'ready' | 'failed' | 'upload-error';

/** The row's fields the artist may change, as typed. */
interface Fields {
  title: string;
  genre: string;
  /** Digits, or empty. */
  trackNumber: string;
  visibility: Visibility;
}
const FIELD_NAMES = ['title', 'genre', 'trackNumber', 'visibility'] as const;

interface Item {
  key: string;
  file: File;
  title: string;
  genre: string;
  /** As typed in the row: digits, or empty. */
  trackNumber: string;
  visibility: Visibility;
  /** The file's tags, once read (`null` while reading or when the file has none the browser knows). */
  tags: FormTags | null;
  tagsRead: boolean;
  /** Send the file's embedded cover as the track's artwork. */
  keepCover: boolean;
  /** The fields as they left with the upload (`null` before). */
  sentFields: Fields | null;
  /** The fields as the server has them, once the track exists. */
  savedFields: Fields | null;
  /** A field was left after a change the server may not have: save when the track exists. */
  unsaved: boolean;
  saving: boolean;
  /** Why the last save after the upload was refused. */
  saveError: string | null;
  phase: Phase;
  sent: number;
  total: number;
  track: TrackDetail | null;
  steps: Partial<Record<string, StepProgress>>;
  error: string | null;
}

type Action =
  | { type: 'add'; files: File[] }
  | { type: 'tags'; key: string; tags: FormTags | null }
  | {
      type: 'edit';
      key: string;
      title?: string;
      genre?: string;
      trackNumber?: string;
      visibility?: Visibility;
      keepCover?: boolean;
    }
  | { type: 'commit'; key: string }
  | { type: 'saving'; key: string }
  | { type: 'unchanged'; key: string }
  | { type: 'saved'; key: string; track: TrackDetail; sent: Fields }
  | { type: 'save-failed'; key: string; error: string }
  | { type: 'remove'; key: string }
  | { type: 'queue-all' }
  | { type: 'retry'; key: string }
  | { type: 'started'; key: string; fields: Fields }
  | { type: 'progress'; key: string; sent: number; total: number }
  | { type: 'uploaded'; key: string; track: TrackDetail }
  | { type: 'upload-failed'; key: string; error: string }
  | { type: 'snapshot'; track: TrackDetail }
  | { type: 'event'; event: ProcessingEvent };

let counter = 0;

/** The row's track number, or null when it is not one. */
function trackNumberOf(item: Item): number | null {
  const n = /^\d{1,4}$/.test(item.trackNumber.trim()) ? Number(item.trackNumber) : 0;
  return n >= 1 && n <= TRACK_NUMBER_MAX ? n : null;
}

function fieldsOf(item: Fields): Fields {
  return { title: item.title, genre: item.genre, trackNumber: item.trackNumber, visibility: item.visibility };
}

/** The fields as the server keeps them for `track`. */
function fieldsOfTrack(track: TrackDetail): Fields {
  return {
    title: track.title,
    genre: track.genre ?? '',
    trackNumber: track.trackNumber == null ? '' : String(track.trackNumber),
    visibility: track.visibility,
  };
}

/**
 * The server's values where the row still shows what was sent (the server may have filled an
 * empty title from the tags, or cleaned a genre); what the artist typed since stays.
 */
function adopt(item: Item, sent: Fields, server: Fields): Fields {
  const pick = <K extends (typeof FIELD_NAMES)[number]>(name: K): Fields[K] =>
    item[name] === sent[name] ? server[name] : item[name];
  return {
    title: pick('title'),
    genre: pick('genre'),
    trackNumber: pick('trackNumber'),
    visibility: pick('visibility'),
  };
}

/** What differs between the row and the server, as `PATCH /tracks/:id` takes it (a title is never emptied). */
function changesOf(item: Item, saved: Fields): ApiRequestBody<'/api/v1/tracks/{id}', 'patch'> {
  const body: ApiRequestBody<'/api/v1/tracks/{id}', 'patch'> = {};
  if (item.title.trim() && item.title.trim() !== saved.title) body.title = item.title.trim();
  if (item.genre.trim() !== saved.genre) body.genre = item.genre.trim() || null;
  if (item.trackNumber !== saved.trackNumber) body.trackNumber = trackNumberOf(item);
  if (item.visibility !== saved.visibility) body.visibility = item.visibility;
  return body;
}

function phaseOfTrack(track: TrackDetail): Phase {
  const status = track.latestVersion.status ?? track.status;
  return status === 'ready' ? 'ready' : status === 'failed' ? 'failed' : 'processing';
}

function reducer(items: Item[], action: Action): Item[] {
  const update = (key: string, patch: (item: Item) => Partial<Item>) =>
    items.map((i) => (i.key === key ? { ...i, ...patch(i) } : i));
  switch (action.type) {
    case 'add':
      return [
        ...items,
        ...action.files.map<Item>((file) => ({
          key: `f${++counter}`,
          file,
          // Empty until the tags are read; left empty, the server reads them, else takes the file name (the placeholder).
          title: '',
          genre: '',
          trackNumber: '',
          visibility: 'public',
          tags: null,
          tagsRead: false,
          keepCover: true,
          sentFields: null,
          savedFields: null,
          unsaved: false,
          saving: false,
          saveError: null,
          phase: 'draft',
          sent: 0,
          total: file.size,
          track: null,
          steps: {},
          error: null,
        })),
      ];
    case 'tags':
      // What the artist typed meanwhile stays.
      return update(action.key, (i) => ({
        tags: action.tags,
        tagsRead: true,
        title: i.title || (action.tags?.title ?? ''),
        genre: i.genre || (action.tags?.genre ?? ''),
        trackNumber: i.trackNumber || (action.tags?.trackNumber ? String(action.tags.trackNumber) : ''),
      }));
    case 'edit':
      // Editable in every phase; the cover goes with the upload, so only before it.
      return update(action.key, (i) => ({
        title: action.title ?? i.title,
        genre: action.genre ?? i.genre,
        trackNumber: action.trackNumber ?? i.trackNumber,
        visibility: action.visibility ?? i.visibility,
        keepCover: i.phase === 'draft' || i.phase === 'upload-error' ? (action.keepCover ?? i.keepCover) : i.keepCover,
      }));
    case 'commit':
      // Before the upload starts, the fields leave with it; after, they are saved apart.
      return update(action.key, (i) => (i.phase === 'draft' || i.phase === 'upload-error' ? {} : { unsaved: true }));
    case 'saving':
      return update(action.key, () => ({ saving: true, unsaved: false }));
    case 'unchanged':
      return update(action.key, () => ({ unsaved: false }));
    case 'saved':
      return update(action.key, (i) => {
        const server = fieldsOfTrack(action.track);
        return {
          ...adopt(i, action.sent, server),
          savedFields: server,
          track: action.track,
          saving: false,
          saveError: null,
        };
      });
    case 'save-failed':
      return update(action.key, () => ({ saving: false, saveError: action.error }));
    case 'remove':
      return items.filter((i) => i.key !== action.key || i.phase === 'uploading');
    case 'queue-all':
      return items.map((i) => (i.phase === 'draft' ? { ...i, phase: 'queued', error: null } : i));
    case 'retry':
      return update(action.key, (i) => (i.phase === 'upload-error' ? { phase: 'queued', error: null, sent: 0 } : {}));
    case 'started':
      return update(action.key, () => ({ phase: 'uploading', sent: 0, sentFields: action.fields }));
    case 'progress':
      return update(action.key, () => ({ sent: action.sent, total: action.total }));
    case 'uploaded':
      return update(action.key, (i) => ({
        ...adopt(i, i.sentFields ?? fieldsOf(i), fieldsOfTrack(action.track)),
        savedFields: fieldsOfTrack(action.track),
        track: action.track,
        phase: phaseOfTrack(action.track),
        steps: action.track.latestVersion.steps,
        sent: i.total,
        error: action.track.latestVersion.failureReason,
      }));
    case 'upload-failed':
      return update(action.key, () => ({ phase: 'upload-error', error: action.error }));
    case 'snapshot':
      return items.map((i) =>
        i.track?.id === action.track.id && i.phase !== 'ready' && i.phase !== 'failed'
          ? {
              ...i,
              track: action.track,
              phase: phaseOfTrack(action.track),
              steps: action.track.latestVersion.steps,
              error: action.track.latestVersion.failureReason,
            }
          : i,
      );
    case 'event': {
      const e = action.event;
      return items.map((i) => {
        if (
          !i.track ||
          i.track.id !== e.trackId ||
          (i.track.latestVersion.id && i.track.latestVersion.id !== e.versionId)
        )
          return i;
        if (e.type === 'version.step') {
          const previous = i.steps[e.step];
          const progress = e.state === 'done' ? 100 : (e.progress ?? previous?.progress ?? 0);
          return {
            ...i,
            steps: { ...i.steps, [e.step]: { state: e.state, progress, ...(e.error ? { error: e.error } : {}) } },
          };
        }
        if (e.status === 'ready') return { ...i, phase: 'ready', error: null };
        if (e.status === 'failed') return { ...i, phase: 'failed', error: e.error ?? 'Processing failed.' };
        return i;
      });
    }
  }
}

async function sendArtwork(trackId: string, cover: Blob): Promise<void> {
  const body = new FormData();
  body.set('artwork', cover, 'cover');
  await ok(api.PUT('/api/v1/tracks/{id}/artwork', { params: { path: { id: trackId } }, body: body as never }));
}

/**
 * `blob` as a `data:` URL while the component shows it: the site's CSP allows `data:` images, not
 * `blob:` ones (packages/security-headers).
 */
function useDataUrl(blob: Blob | null | undefined): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    setUrl(null);
    if (!blob) return;
    let live = true;
    const reader = new FileReader();
    reader.onload = () => live && typeof reader.result === 'string' && setUrl(reader.result);
    reader.readAsDataURL(blob);
    return () => {
      live = false;
      reader.abort();
    };
  }, [blob]);
  return url;
}

/** "Tides · 2019 · by Tide": what the file says beyond the row's fields (its artist is only shown). */
function fileFacts(tags: FormTags | null): string {
  if (!tags) return '';
  return [tags.album, tags.year, tags.artist ? `by ${tags.artist}` : null].filter(Boolean).join(' · ');
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

export function Uploader() {
  const [items, dispatch] = useReducer(reducer, []);
  const [dragging, setDragging] = useState(false);
  const requests = useRef(new Map<string, UploadRequest>());
  const reading = useRef(new Set<string>());
  const inputRef = useRef<HTMLInputElement>(null);
  const itemsRef = useRef(items);
  itemsRef.current = items;

  // Send queued files, two at a time.
  useEffect(() => {
    const running = items.filter((i) => i.phase === 'uploading').length;
    const next = items.filter((i) => i.phase === 'queued').slice(0, Math.max(0, CONCURRENT_UPLOADS - running));
    for (const item of next) {
      dispatch({ type: 'started', key: item.key, fields: fieldsOf(item) });
      const trackNumber = trackNumberOf(item);
      const fields: UploadFields = {
        title: item.title.trim(),
        visibility: item.visibility,
        genre: item.genre.trim(),
        ...(trackNumber ? { trackNumber: String(trackNumber) } : {}),
        ...(item.tags?.album ? { album: item.tags.album } : {}),
        ...(item.tags?.year ? { year: String(item.tags.year) } : {}),
        // Unticked: the server must not take the embedded cover either.
        ...(item.keepCover ? {} : { coverFromFile: 'false' as const }),
      };
      const request = uploadTrack(item.file, fields, (sent, total) =>
        dispatch({ type: 'progress', key: item.key, sent, total }),
      );
      requests.current.set(item.key, request);
      const cover = item.keepCover ? item.tags?.cover : null;
      request.promise
        .then(async (track) => {
          // The file's cover, kept by the artist, is the track's artwork at once (an uploaded cover wins).
          if (cover) await sendArtwork(track.id, cover).catch(() => undefined);
          return track;
        })
        .then(
          (track) => dispatch({ type: 'uploaded', key: item.key, track }),
          (err: unknown) => dispatch({ type: 'upload-failed', key: item.key, error: uploadErrorMessage(err) }),
        )
        .finally(() => requests.current.delete(item.key));
    }
  }, [items]);

  // Save what was changed after the upload's fields left, once the track exists (one request at a time per row).
  useEffect(() => {
    for (const item of items) {
      if (!item.unsaved || item.saving || !item.track || !item.savedFields) continue;
      const body = changesOf(item, item.savedFields);
      if (Object.keys(body).length === 0) {
        dispatch({ type: 'unchanged', key: item.key });
        continue;
      }
      dispatch({ type: 'saving', key: item.key });
      const sent = fieldsOf(item);
      ok(api.PATCH('/api/v1/tracks/{id}', { params: { path: { id: item.track.id } }, body })).then(
        ({ track }) => dispatch({ type: 'saved', key: item.key, track, sent }),
        (err: unknown) => dispatch({ type: 'save-failed', key: item.key, error: describeApiError(err) }),
      );
    }
  }, [items]);

  // Leaving the page cancels uploads still in flight.
  useEffect(() => {
    const pending = requests.current;
    return () => {
      for (const r of pending.values()) r.abort();
    };
  }, []);

  // A file dropped just outside the zone must not make the browser navigate away to play it.
  useEffect(() => {
    const stop = (e: globalThis.DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    };
    window.addEventListener('dragover', stop);
    window.addEventListener('drop', stop);
    return () => {
      window.removeEventListener('dragover', stop);
      window.removeEventListener('drop', stop);
    };
  }, []);

  // Warn before closing the tab mid-upload.
  const uploading = items.some((i) => i.phase === 'uploading' || i.phase === 'queued');
  useEffect(() => {
    if (!uploading) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [uploading]);

  const processing = items.some((i) => i.phase === 'processing' || i.phase === 'uploading' || i.phase === 'queued');
  const poll = useCallback(() => {
    for (const item of itemsRef.current) {
      if (item.phase !== 'processing' || !item.track) continue;
      ok(api.GET('/api/v1/tracks/{id}', { params: { path: { id: item.track.id } } })).then(
        (body) => dispatch({ type: 'snapshot', track: body.track }),
        () => {
          // Next poll tries again.
        },
      );
    }
  }, []);
  const onEvent = useCallback((event: ProcessingEvent) => dispatch({ type: 'event', event }), []);
  const live = useLiveProgress(processing, onEvent, poll);

  // Read the tags of files just added, one at a time (each parse reads only the file's head).
  useEffect(() => {
    const next = items.find((i) => !i.tagsRead && !reading.current.has(i.key));
    if (!next) return;
    reading.current.add(next.key);
    void readFileTags(next.file).then((tags) => dispatch({ type: 'tags', key: next.key, tags }));
  }, [items]);

  const addFiles = (list: FileList | null) => {
    const files = Array.from(list ?? []);
    if (files.length) dispatch({ type: 'add', files });
  };

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    addFiles(e.dataTransfer.files);
  };

  const drafts = items.filter((i) => i.phase === 'draft');
  const releaseOrder = inTrackOrder(items.map((item) => ({ item, trackNumber: trackNumberOf(item) }))).map(
    ({ item }) => item,
  );

  return (
    <div className="uploader">
      <div
        className={`dropzone${dragging ? ' dropzone--active' : ''}`}
        data-testid="dropzone"
        onDragEnter={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
        }}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={onDrop}
      >
        <svg className="dropzone__icon" viewBox="0 0 24 24" width="36" height="36" aria-hidden="true" focusable="false">
          <path d="M12 3.5 7 8.5l1.4 1.4 2.6-2.6V16h2V7.3l2.6 2.6L17 8.5zM5 18h14v2H5z" fill="currentColor" />
        </svg>
        <p className="dropzone__title">Drop your masters here</p>
        <p className="dropzone__hint">
          WAV, FLAC, AIFF, ALAC or MP3 — up to 500 MB each. Lossless is best: listeners and buyers get the most from it.
        </p>
        <button type="button" className="button button--ghost" onClick={() => inputRef.current?.click()}>
          Choose files
        </button>
        <input
          ref={inputRef}
          className="visually-hidden"
          type="file"
          accept={ACCEPT}
          multiple
          tabIndex={-1}
          aria-label="Choose audio files"
          data-testid="file-input"
          onChange={(e) => {
            addFiles(e.currentTarget.files);
            e.currentTarget.value = '';
          }}
        />
      </div>

      {items.length > 0 && (
        <>
          <ul className="upload-list" aria-label="Files">
            {items.map((item) => (
              <UploadRow key={item.key} item={item} dispatch={dispatch} />
            ))}
          </ul>
          <div className="uploader__actions">
            {drafts.length > 0 && (
              <button
                type="button"
                className="button button--accent"
                onClick={() => dispatch({ type: 'queue-all' })}
                data-testid="start-upload"
              >
                {drafts.length === 1 ? 'Upload 1 file' : `Upload ${drafts.length} files`}
              </button>
            )}
            {live !== 'off' && (
              <p className="uploader__live" data-testid="live-mode" data-mode={live}>
                {live === 'socket'
                  ? 'Live updates on'
                  : live === 'polling'
                    ? 'Checking for updates every few seconds'
                    : 'Connecting for live updates…'}
              </p>
            )}
          </div>
          <MakeRelease
            tracks={releaseOrder.map((i) => ({
              key: i.key,
              id: i.track?.id ?? null,
              title: i.title.trim() || titleFromFileName(i.file.name),
            }))}
            defaultTitle={commonAlbum(items.map((i) => i.tags?.album ?? null))}
          />
        </>
      )}
    </div>
  );
}

function UploadRow({ item, dispatch }: { item: Item; dispatch: (a: Action) => void }) {
  const editable = item.phase === 'draft' || item.phase === 'upload-error';
  const percent = item.total > 0 ? Math.min(100, Math.round((item.sent / item.total) * 100)) : 0;
  const titleId = `${item.key}-title`;
  const coverUrl = useDataUrl(item.keepCover ? item.tags?.cover : null);
  const facts = fileFacts(item.tags);
  // Leaving a field (or Enter) saves it once the track exists.
  const commitProps = {
    onBlur: () => dispatch({ type: 'commit', key: item.key }),
    onKeyDown: (e: KeyboardEvent<HTMLInputElement>) => e.key === 'Enter' && dispatch({ type: 'commit', key: item.key }),
  };
  return (
    <li className={`upload-item upload-item--${item.phase}`} data-testid="upload-item" data-phase={item.phase}>
      <div className="upload-item__head">
        <p className="upload-item__file" title={item.file.name}>
          <span className="upload-item__name">{item.file.name}</span>
          <span className="upload-item__size">{formatBytes(item.file.size)}</span>
        </p>
        {(item.phase === 'draft' || item.phase === 'upload-error') && (
          <button
            type="button"
            className="upload-item__remove"
            onClick={() => dispatch({ type: 'remove', key: item.key })}
            aria-label={`Remove ${item.file.name}`}
          >
            Remove
          </button>
        )}
      </div>

      {(coverUrl || facts) && (
        <div className="upload-item__tags">
          {coverUrl && (
            // biome-ignore lint/performance/noImgElement: a local object URL, not an optimisable image
            <img
              className="upload-item__cover"
              src={coverUrl}
              alt={`Cover of ${item.title || item.file.name}`}
              data-testid="upload-cover"
            />
          )}
          <div className="upload-item__facts">
            {facts && (
              <p data-testid="upload-facts">
                <span className="visually-hidden">From the file’s tags: </span>
                {facts}
              </p>
            )}
            {item.tags?.cover && editable && (
              <label className="upload-item__check">
                <input
                  type="checkbox"
                  checked={item.keepCover}
                  onChange={(e) => dispatch({ type: 'edit', key: item.key, keepCover: e.currentTarget.checked })}
                  data-testid="upload-keep-cover"
                />
                Use the file’s cover as artwork
              </label>
            )}
          </div>
        </div>
      )}

      <div className="upload-item__fields">
        <label className="field">
          <span className="field__label">Title</span>
          <input
            id={titleId}
            className="field__input"
            value={item.title}
            placeholder={titleFromFileName(item.file.name)}
            aria-describedby={`${titleId}-hint`}
            maxLength={TITLE_MAX}
            onChange={(e) => dispatch({ type: 'edit', key: item.key, title: e.currentTarget.value })}
            {...commitProps}
            data-testid="upload-title"
          />
          <span id={`${titleId}-hint`} className="visually-hidden">
            Read from the file’s tags; left empty, from its name.
          </span>
        </label>
        <label className="field field--narrow">
          <span className="field__label">Genre</span>
          <input
            className="field__input"
            value={item.genre}
            maxLength={GENRE_MAX}
            onChange={(e) => dispatch({ type: 'edit', key: item.key, genre: e.currentTarget.value })}
            {...commitProps}
            data-testid="upload-genre"
          />
        </label>
        <label className="field field--number">
          <span className="field__label">Track no.</span>
          <input
            className="field__input"
            value={item.trackNumber}
            inputMode="numeric"
            pattern="[0-9]*"
            maxLength={String(TRACK_NUMBER_MAX).length}
            onChange={(e) =>
              dispatch({ type: 'edit', key: item.key, trackNumber: e.currentTarget.value.replace(/\D/g, '') })
            }
            {...commitProps}
            data-testid="upload-track-number"
          />
        </label>
        <label className="field field--narrow">
          <span className="field__label">Visibility</span>
          <select
            className="field__input"
            value={item.visibility}
            onChange={(e) => {
              dispatch({ type: 'edit', key: item.key, visibility: e.currentTarget.value as Visibility });
              dispatch({ type: 'commit', key: item.key });
            }}
            data-testid="upload-visibility"
          >
            <option value="public">Public</option>
            <option value="unlisted">Unlisted (link only)</option>
            <option value="private">Private (only you)</option>
          </select>
        </label>
      </div>
      {item.saveError && (
        <p className="upload-item__error" role="alert" data-testid="upload-save-error">
          Not saved: {item.saveError}
        </p>
      )}

      {(item.phase === 'queued' || item.phase === 'uploading') && (
        <div className="upload-item__progress">
          <progress
            className="meter"
            max={100}
            value={item.phase === 'queued' ? 0 : percent}
            aria-label={`Uploading ${item.title}`}
            data-testid="upload-progress"
          />
          <span className="upload-item__percent">
            {item.phase === 'queued'
              ? 'Waiting…'
              : item.sent >= item.total
                ? 'Sent — the server is checking the file…'
                : `${percent}% · ${formatBytes(item.sent)} of ${formatBytes(item.total)}`}
          </span>
        </div>
      )}

      {item.track && (item.phase === 'processing' || item.phase === 'ready' || item.phase === 'failed') && (
        <ol className="steps" aria-label={`Processing ${item.title}`}>
          {MEDIA_STEPS.map(({ key, label }) => {
            const step = item.steps[key] ?? { state: 'pending' as const, progress: 0 };
            const state = item.phase === 'ready' ? 'done' : step.state;
            const progress = state === 'done' ? 100 : Math.round(step.progress);
            return (
              <li
                key={key}
                className={`step step--${state}`}
                data-testid="upload-step"
                data-step={key}
                data-state={state}
              >
                <span className="step__label">{label}</span>
                <progress
                  className="meter meter--thin"
                  max={100}
                  value={progress}
                  aria-label={`${label}: ${progress}%`}
                />
                <span className="step__state">
                  {state === 'done'
                    ? 'Done'
                    : state === 'failed'
                      ? 'Failed'
                      : state === 'active'
                        ? `${progress}%`
                        : 'Waiting'}
                </span>
                {state === 'failed' && step.error && <span className="step__error">{step.error}</span>}
              </li>
            );
          })}
        </ol>
      )}

      {item.phase === 'ready' && item.track && (
        <p className="upload-item__done" role="status">
          Ready to play.{' '}
          <Link href={routes.track(item.track)} className="upload-item__link" data-testid="upload-track-link">
            Open the track page
          </Link>
        </p>
      )}
      {item.phase === 'failed' && (
        <p className="upload-item__error" role="alert" data-testid="upload-failure">
          Processing failed: {item.error ?? 'the file could not be processed.'}
        </p>
      )}
      {item.phase === 'upload-error' && (
        <div className="upload-item__error" role="alert" data-testid="upload-error">
          <p>{item.error}</p>
          <button
            type="button"
            className="button button--ghost button--small"
            onClick={() => dispatch({ type: 'retry', key: item.key })}
          >
            Try again
          </button>
        </div>
      )}
    </li>
  );
}

'use client';

/**
 * Upload to ready: pick or drop several masters, name them, send them two at a time with a progress bar
 * each, then watch the worker's four steps live, and end on a link to the track page (or the reason it
 * failed).
 */
import Link from 'next/link';
import { MakeRelease } from '@/components/library/MakeRelease';
import { useCallback, useEffect, useReducer, useRef, useState, type DragEvent } from 'react';
import { api, ok } from '@/lib/api/client';
import { MEDIA_STEPS, type StepProgress, type TrackDetail } from '@/lib/player/track';
import { routes } from '@/lib/routes';
import { useLiveProgress, type ProcessingEvent } from './live-progress';
import { uploadErrorMessage, uploadTrack, type UploadFields, type UploadRequest } from './xhr-upload';
import './upload.css';

const CONCURRENT_UPLOADS = 2;
const ACCEPT = 'audio/*,.flac,.wav,.aif,.aiff,.mp3,.ogg,.oga,.opus,.m4a,.alac,.wv';

type Visibility = UploadFields['visibility'];
type Phase = 'draft' | 'queued' | 'uploading' | 'processing' | 'ready' | 'failed' | 'upload-error';

interface Item {
  key: string;
  file: File;
  title: string;
  visibility: Visibility;
  phase: Phase;
  sent: number;
  total: number;
  track: TrackDetail | null;
  steps: Partial<Record<string, StepProgress>>;
  error: string | null;
}

type Action =
  | { type: 'add'; files: File[] }
  | { type: 'edit'; key: string; title?: string; visibility?: Visibility }
  | { type: 'remove'; key: string }
  | { type: 'queue-all' }
  | { type: 'retry'; key: string }
  | { type: 'started'; key: string }
  | { type: 'progress'; key: string; sent: number; total: number }
  | { type: 'uploaded'; key: string; track: TrackDetail }
  | { type: 'upload-failed'; key: string; error: string }
  | { type: 'snapshot'; track: TrackDetail }
  | { type: 'event'; event: ProcessingEvent };

let counter = 0;

/** "03_night-drive (master).flac" → "03 night-drive (master)". */
export function titleFromFileName(name: string): string {
  const base = name.replace(/\.[a-z0-9]{1,5}$/i, '');
  const title = base.replace(/_+/g, ' ').replace(/\s+/g, ' ').trim();
  return (title || name).slice(0, 200);
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
          // Empty: the server takes the master's tags, else the file name (shown as the placeholder).
          title: '',
          visibility: 'public',
          phase: 'draft',
          sent: 0,
          total: file.size,
          track: null,
          steps: {},
          error: null,
        })),
      ];
    case 'edit':
      return update(action.key, (i) =>
        i.phase === 'draft' || i.phase === 'upload-error'
          ? { title: action.title ?? i.title, visibility: action.visibility ?? i.visibility }
          : {},
      );
    case 'remove':
      return items.filter((i) => i.key !== action.key || i.phase === 'uploading');
    case 'queue-all':
      return items.map((i) => (i.phase === 'draft' ? { ...i, phase: 'queued', error: null } : i));
    case 'retry':
      return update(action.key, (i) => (i.phase === 'upload-error' ? { phase: 'queued', error: null, sent: 0 } : {}));
    case 'started':
      return update(action.key, () => ({ phase: 'uploading', sent: 0 }));
    case 'progress':
      return update(action.key, () => ({ sent: action.sent, total: action.total }));
    case 'uploaded':
      return update(action.key, (i) => ({
        title: action.track.title,
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
  const inputRef = useRef<HTMLInputElement>(null);
  const itemsRef = useRef(items);
  itemsRef.current = items;

  // Send queued files, two at a time.
  useEffect(() => {
    const running = items.filter((i) => i.phase === 'uploading').length;
    const next = items.filter((i) => i.phase === 'queued').slice(0, Math.max(0, CONCURRENT_UPLOADS - running));
    for (const item of next) {
      dispatch({ type: 'started', key: item.key });
      const request = uploadTrack(item.file, { title: item.title.trim(), visibility: item.visibility }, (sent, total) =>
        dispatch({ type: 'progress', key: item.key, sent, total }),
      );
      requests.current.set(item.key, request);
      request.promise
        .then(
          (track) => dispatch({ type: 'uploaded', key: item.key, track }),
          (err: unknown) => dispatch({ type: 'upload-failed', key: item.key, error: uploadErrorMessage(err) }),
        )
        .finally(() => requests.current.delete(item.key));
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
          <MakeRelease trackIds={items.flatMap((i) => (i.track ? [i.track.id] : []))} />
        </>
      )}
    </div>
  );
}

function UploadRow({ item, dispatch }: { item: Item; dispatch: (a: Action) => void }) {
  const editable = item.phase === 'draft' || item.phase === 'upload-error';
  const percent = item.total > 0 ? Math.min(100, Math.round((item.sent / item.total) * 100)) : 0;
  const titleId = `${item.key}-title`;
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

      {editable ? (
        <div className="upload-item__fields">
          <label className="field">
            <span className="field__label">Title</span>
            <input
              id={titleId}
              className="field__input"
              value={item.title}
              placeholder={titleFromFileName(item.file.name)}
              aria-describedby={`${titleId}-hint`}
              maxLength={200}
              onChange={(e) => dispatch({ type: 'edit', key: item.key, title: e.currentTarget.value })}
              data-testid="upload-title"
            />
            <span id={`${titleId}-hint`} className="visually-hidden">
              Left empty, the title comes from the file’s tags, else from its name.
            </span>
          </label>
          <label className="field field--narrow">
            <span className="field__label">Visibility</span>
            <select
              className="field__input"
              value={item.visibility}
              onChange={(e) =>
                dispatch({ type: 'edit', key: item.key, visibility: e.currentTarget.value as Visibility })
              }
              data-testid="upload-visibility"
            >
              <option value="public">Public</option>
              <option value="unlisted">Unlisted (link only)</option>
              <option value="private">Private (only you)</option>
            </select>
          </label>
        </div>
      ) : (
        <p className="upload-item__title">
          {item.title}
          <span className="upload-item__visibility">
            {item.visibility === 'public' ? 'Public' : item.visibility === 'unlisted' ? 'Unlisted' : 'Private'}
          </span>
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

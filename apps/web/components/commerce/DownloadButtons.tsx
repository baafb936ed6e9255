'use client';

/**
 * One button per format. A click asks the API for a signed URL; while the format is being made
 * (202 + Retry-After) the button says so and asks again after the hinted delay; then the browser
 * follows the URL (an attachment: the page stays). A format that could not be made (409
 * `download_failed`) says so at once; its artist or an admin (`canRetry`) gets a Retry button.
 */
import { useEffect, useRef, useState } from 'react';
import { ApiError, apiErrorFrom, describeApiError } from '@/lib/api';
import { api } from '@/lib/api/client';
import { FORMAT_LABELS, type ItemType } from '@/lib/commerce';
import './commerce.css';

const MAX_WAIT_MS = 10 * 60_000;

type Format = 'flac' | 'wav' | 'mp3-320' | 'mp3-v0' | 'aac-256' | 'opus-160';

/** One request for a format's URL: the typed client, the track or the release path. */
function askDownload(type: ItemType, id: string, format: string, session: string | undefined, retry: boolean) {
  const query = { format: format as Format, ...(session ? { session } : {}), ...(retry ? { retry: true } : {}) };
  return type === 'track'
    ? api.GET('/api/v1/tracks/{id}/download', { params: { path: { id }, query } })
    : api.GET('/api/v1/releases/{id}/download', { params: { path: { id }, query } });
}

export function DownloadButtons({
  type,
  id,
  formats,
  session,
  title,
  canRetry = false,
}: {
  type: ItemType;
  id: string;
  formats: string[];
  session?: string;
  title: string;
  /** The caller is the artist or an admin: a failed format may be made again. */
  canRetry?: boolean;
}) {
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string>('');
  const [failed, setFailed] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  async function download(format: string, retry = false) {
    const label = FORMAT_LABELS[format] ?? format;
    setBusy(format);
    setFailed(null);
    setMessage(`Preparing ${label}…`);
    const started = Date.now();
    const attempt = async (again: boolean): Promise<void> => {
      try {
        const { data, error, response } = await askDownload(type, id, format, session, again);
        if (response.status === 202) {
          const wait = Math.min(30, Math.max(1, Number(response.headers.get('retry-after')) || 5)) * 1000;
          const b = data as { ready?: number; total?: number } | undefined;
          setMessage(`Preparing ${label}${b?.total && b.total > 1 ? ` (${b.ready} of ${b.total} tracks ready)` : ''}…`);
          if (Date.now() - started > MAX_WAIT_MS)
            throw new Error('This is taking longer than expected. Please try again later.');
          await new Promise<void>((resolve) => {
            timer.current = setTimeout(resolve, wait);
          });
          return attempt(false);
        }
        if (!response.ok) throw apiErrorFrom(response.status, error ?? null, response.statusText);
        setMessage(`Your ${label} download has started.`);
        window.location.assign((data as { url: string }).url);
      } catch (err) {
        if (err instanceof ApiError && err.code === 'download_failed') setFailed(format);
        setMessage(describeApiError(err));
      }
    };
    await attempt(retry);
    setBusy(null);
  }

  return (
    <div className="downloads" data-testid="download-buttons">
      <p className="downloads__label" id={`dl-${type}-${id}`}>
        Download {title}
      </p>
      <div className="downloads__formats" role="group" aria-labelledby={`dl-${type}-${id}`}>
        {formats.map((f) => (
          <button
            key={f}
            type="button"
            className="button button--ghost downloads__button"
            disabled={busy !== null}
            onClick={() => void download(f)}
            data-format={f}
          >
            {FORMAT_LABELS[f] ?? f}
          </button>
        ))}
      </div>
      <p className="downloads__status" role="status" aria-live="polite" data-failed={failed ?? undefined}>
        {message}
      </p>
      {failed && canRetry && (
        <button
          type="button"
          className="button button--accent downloads__retry"
          disabled={busy !== null}
          onClick={() => void download(failed, true)}
          data-testid="download-retry"
        >
          Retry {FORMAT_LABELS[failed] ?? failed}
        </button>
      )}
    </div>
  );
}

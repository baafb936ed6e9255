'use client';

/**
 * One button per format. A click asks the API for a signed URL; while the format is being made
 * (202 + Retry-After) the button says so and asks again after the hinted delay; then the browser
 * follows the URL (an attachment: the page stays).
 */
import { useEffect, useRef, useState } from 'react';
import { apiErrorFrom, describeApiError } from '@/lib/api';
import { commerceApi, FORMAT_LABELS, type ItemType } from '@/lib/commerce';
import './commerce.css';

const MAX_WAIT_MS = 10 * 60_000;

export function DownloadButtons({
  type,
  id,
  formats,
  session,
  title,
}: {
  type: ItemType;
  id: string;
  formats: string[];
  session?: string;
  title: string;
}) {
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string>('');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  async function download(format: string) {
    setBusy(format);
    setMessage(`Preparing ${FORMAT_LABELS[format] ?? format}…`);
    const started = Date.now();
    const attempt = async (): Promise<void> => {
      try {
        const res = await fetch(commerceApi.download(type, id, format, session), {
          credentials: 'same-origin',
          cache: 'no-store',
          headers: { accept: 'application/json' },
        });
        const body = await res.json().catch(() => null);
        if (res.status === 202) {
          const wait = Math.min(30, Math.max(1, Number(res.headers.get('retry-after')) || 5)) * 1000;
          const b = body as { ready?: number; total?: number } | null;
          setMessage(
            `Preparing ${FORMAT_LABELS[format] ?? format}${b?.total && b.total > 1 ? ` (${b.ready} of ${b.total} tracks ready)` : ''}…`,
          );
          if (Date.now() - started > MAX_WAIT_MS)
            throw new Error('This is taking longer than expected. Please try again later.');
          await new Promise<void>((resolve) => {
            timer.current = setTimeout(resolve, wait);
          });
          return attempt();
        }
        if (!res.ok) throw apiErrorFrom(res.status, body, res.statusText);
        setMessage(`Your ${FORMAT_LABELS[format] ?? format} download has started.`);
        window.location.assign((body as { url: string }).url);
      } catch (err) {
        setMessage(describeApiError(err));
      }
    };
    await attempt();
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
      <p className="downloads__status" role="status" aria-live="polite">
        {message}
      </p>
    </div>
  );
}

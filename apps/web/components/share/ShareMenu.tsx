'use client';

/**
 * The track page's share menu: copy the link, the link at the current time (`?t=1m23s`, which
 * starts playback there), or the embed code. Keyboard: Enter/Space opens it, Escape closes it.
 */
import { useState } from 'react';
import { usePlayer } from '@/components/player/PlayerProvider';
import { usePopover } from '@/lib/hooks/use-dismiss';
import { embedCode, formatStartTime } from '@/lib/share-time';
import './share.css';

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard refused (permissions, an insecure origin): the old way.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

export function ShareMenu({
  kind = 'track',
  id,
  title,
  path,
}: {
  kind?: 'track' | 'release';
  id: string;
  title: string;
  path: string;
}) {
  const engine = usePlayer();
  const { open, setOpen, ref, button } = usePopover();
  const [status, setStatus] = useState('');

  const link = () => `${window.location.origin}${path}`;
  const at = () => (engine.isCurrent(id) ? engine.position : 0);
  const act = async (what: string, text: string) => {
    setStatus((await copy(text)) ? `${what} copied.` : `Could not copy the ${what.toLowerCase()}.`);
    setOpen(false);
  };

  return (
    <div className="share-menu" ref={ref}>
      <button className="button button--ghost" {...button} data-testid="share-button">
        Share
      </button>
      {open && (
        <ul className="share-menu__list" aria-label="Share">
          <li>
            <button type="button" onClick={() => void act('Link', link())} data-testid="share-copy-link">
              Copy link
            </button>
          </li>
          {kind === 'track' && (
            <li>
              <button
                type="button"
                onClick={() => void act('Link at the current time', `${link()}?t=${formatStartTime(at())}`)}
                data-testid="share-copy-time"
              >
                Copy link at {formatStartTime(at())}
              </button>
            </li>
          )}
          <li>
            <button
              type="button"
              onClick={() => void act('Embed code', embedCode(window.location.origin, kind, id, title))}
              data-testid="share-copy-embed"
            >
              Copy embed code
            </button>
          </li>
        </ul>
      )}
      <p className="share-menu__status" role="status" aria-live="polite">
        {status}
      </p>
    </div>
  );
}

'use client';

/**
 * The header's bell: the unread count, live over the WebSocket the upload progress uses (a
 * `notification` event carries the new count), and the grouped list ("3 people liked …") on click.
 * Opening the list marks it read.
 */
import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import { describeApiError } from '@/lib/api';
import { api, ok, type ApiResponse } from '@/lib/api/client';
import { usePopover } from '@/lib/hooks/use-dismiss';
import { keepLiveSocket } from '@/lib/live-socket';
import { routes } from '@/lib/routes';
import { formatPosition } from './links';
import { useAccount } from '@/lib/hooks/use-account';
import './community.css';

type Group = ApiResponse<'/api/v1/notifications'>['items'][number];

export function describeGroup(
  g: Pick<Group, 'type' | 'count' | 'actors' | 'track'> & { release?: Group['release'] },
): string {
  // A buyer without an account has no name.
  const first = g.actors[0]?.displayName ?? 'Someone';
  const who =
    g.count <= 1
      ? first
      : g.count === 2 && g.actors[1]
        ? `${first} and ${g.actors[1].displayName}`
        : `${g.count} people`;
  const title = g.track ? `“${g.track.title}”` : g.release ? `“${g.release.title}”` : 'your track';
  switch (g.type) {
    case 'follow':
      return `${who} followed you`;
    case 'comment':
      return `${who} commented on ${title}`;
    case 'reply':
      return `${who} replied to your comment on ${title}`;
    case 'like':
      return `${who} liked ${title}`;
    case 'repost':
      return `${who} reposted ${title}`;
    default:
      return `${who} bought ${title}`;
  }
}

export function NotificationBell() {
  const user = useAccount();
  const [unread, setUnread] = useState(0);
  const { open, setOpen, ref, button } = usePopover();
  const [items, setItems] = useState<Group[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    const body = await ok(api.GET('/api/v1/notifications', { params: { query: { limit: 20 } } }));
    setItems(body.items);
    setUnread(body.unreadCount);
    return body;
  }, []);

  useEffect(() => {
    if (!user) return;
    refresh().catch(() => undefined);
    return keepLiveSocket({
      message(data) {
        try {
          const e = JSON.parse(data) as { type?: string; unreadCount?: number };
          if (e.type === 'notification' && typeof e.unreadCount === 'number') {
            setUnread(e.unreadCount);
            setItems(null);
          }
        } catch {
          // Not ours.
        }
      },
    });
  }, [user, refresh]);

  if (!user) return null;

  const toggle = async () => {
    const next = !open;
    setOpen(next);
    if (!next) return;
    setError(null);
    try {
      const body = await refresh();
      if (body.unreadCount > 0) {
        const upToId = body.items[0]?.id;
        const read = await ok(api.POST('/api/v1/notifications/read', { body: upToId ? { upToId } : {} }));
        setUnread(read.unreadCount);
      }
    } catch (err) {
      setError(describeApiError(err));
    }
  };

  return (
    <div className="bell" ref={ref}>
      <button className="bell__button" {...button} onClick={() => void toggle()} data-testid="notification-bell">
        <svg
          aria-hidden="true"
          width="18"
          height="18"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinecap="round"
          strokeLinejoin="round"
        >
          <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        <span className="visually-hidden">Notifications</span>
        {unread > 0 && (
          <span className="bell__count" data-testid="notification-count">
            {unread > 99 ? '99+' : unread}
            <span className="visually-hidden"> unread</span>
          </span>
        )}
      </button>
      {open && (
        <div className="bell__panel" role="region" aria-label="Notifications" data-testid="notification-panel">
          {error && <p role="alert">{error}</p>}
          {items === null ? (
            <p className="bell__empty">Loading…</p>
          ) : items.length === 0 ? (
            <p className="bell__empty">Nothing yet.</p>
          ) : (
            <ul className="bell__list">
              {items.map((g) => (
                <li
                  key={g.id}
                  className={g.unread ? 'bell__item bell__item--unread' : 'bell__item'}
                  data-testid="notification"
                >
                  {g.track ? (
                    <Link
                      href={routes.track({
                        id: g.track.id,
                        slug: g.track.slug,
                        artist: { handle: g.track.artistHandle },
                      })}
                      onClick={() => setOpen(false)}
                    >
                      {describeGroup(g)}
                    </Link>
                  ) : g.release ? (
                    <Link href={routes.release(g.release.id)} onClick={() => setOpen(false)}>
                      {describeGroup(g)}
                    </Link>
                  ) : g.actors[0] ? (
                    <Link href={routes.artist(g.actors[0].handle)} onClick={() => setOpen(false)}>
                      {describeGroup(g)}
                    </Link>
                  ) : (
                    describeGroup(g)
                  )}
                  {g.comment?.body && (
                    <span className="bell__quote">
                      {formatPosition(g.comment.positionMs)} · {g.comment.body}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

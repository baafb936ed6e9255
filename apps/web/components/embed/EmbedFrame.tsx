'use client';

import type { ReactNode } from 'react';
import type { Resource } from '@/lib/hooks/use-resource';

/**
 * What an embed shows around the thing it plays: an empty busy frame while it is read, one line
 * when it cannot be played (gone, private, not ready, or the read failed: a framing site has no use
 * for the reason), else `children` with it.
 */
export function EmbedFrame<T>({
  resource,
  what,
  playable = () => true,
  children,
}: {
  resource: Resource<T>;
  what: 'track' | 'release';
  playable?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}) {
  if (resource.status === 'loading') return <div className="embed" aria-busy="true" data-testid="embed-loading" />;
  if (resource.status !== 'ready' || !playable(resource.data)) {
    return (
      <div className="embed" data-testid="embed-missing">
        <p className="embed__message">This {what} is not available.</p>
      </div>
    );
  }
  return children(resource.data);
}

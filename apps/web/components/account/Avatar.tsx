import type { CSSProperties } from 'react';
import { placeholderHues } from '@/lib/tracks';
import type { PublicUser } from '@/lib/account';

/** The user's avatar (the 128 px file for small sizes), or their initial on a colour of their own. */
export function Avatar({
  user,
  size,
}: {
  user: Pick<PublicUser, 'id' | 'displayName' | 'avatarUrl' | 'avatarSmallUrl'>;
  size: number;
}) {
  const src = size <= 128 ? (user.avatarSmallUrl ?? user.avatarUrl) : user.avatarUrl;
  if (src) {
    // Served by our own origin at the stored size.
    return <img className="avatar" src={src} alt="" width={size} height={size} style={{ width: size, height: size }} />;
  }
  const [h1, h2] = placeholderHues(user.id);
  const style = {
    width: size,
    height: size,
    fontSize: Math.round(size * 0.42),
    '--h1': h1,
    '--h2': h2,
  } as CSSProperties;
  return (
    <span className="avatar avatar--placeholder" style={style} aria-hidden="true">
      {Array.from(user.displayName.trim())[0]?.toUpperCase() ?? '?'}
    </span>
  );
}

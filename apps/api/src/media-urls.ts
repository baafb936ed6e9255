/** Public (unsigned) media URLs: nginx in production and the API in embedded mode serve these paths. */
export function publicMediaUrl(bucket: 'images' | 'waveforms', key: string): string {
  return `/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** The public URL of an image (artwork, avatar), or null without one. */
export const imageUrl = (key: string | null): string | null => (key ? publicMediaUrl('images', key) : null);

/** A view with its `artworkKey` replaced by the public `artworkUrl`, as every card and page replies. */
export function withArtworkUrl<T extends { artworkKey: string | null }>({
  artworkKey,
  ...rest
}: T): Omit<T, 'artworkKey'> & { artworkUrl: string | null } {
  return { ...rest, artworkUrl: imageUrl(artworkKey) };
}

/**
 * A release's cover, square at `size` px; without one, an empty square of the same class
 * (`placeholderClassName` adds the look of a missing cover).
 */
export function ReleaseArtwork({
  release,
  size,
  className,
  placeholderClassName,
}: {
  release: { title: string; artworkUrl: string | null };
  size: number;
  className: string;
  placeholderClassName?: string;
}) {
  if (!release.artworkUrl)
    return (
      <div className={placeholderClassName ? `${className} ${placeholderClassName}` : className} aria-hidden="true" />
    );
  return (
    <img
      className={className}
      src={release.artworkUrl}
      alt={`Artwork for ${release.title}`}
      width={size}
      height={size}
    />
  );
}

/**
 * The site's public origin for absolute URLs in `<head>` (Open Graph, Twitter cards, oEmbed
 * discovery): `PUBLIC_URL` as the API has it (set by the embedded platform, and given to the web
 * container in production). Never taken from a request's Host header. Unset → null (relative URLs).
 */
export function publicOrigin(): string | null {
  const raw = process.env.PUBLIC_URL?.trim();
  if (!raw) return null;
  try {
    return new URL(raw).origin;
  } catch {
    return null;
  }
}

/** `path` made absolute on the public origin when it is known. */
export function absoluteUrl(path: string): string {
  const origin = publicOrigin();
  return origin ? new URL(path, origin).toString() : path;
}

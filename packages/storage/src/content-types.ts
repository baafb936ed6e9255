/** Content types by extension, for objects stored without one and for HTTP responses. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.m4s': 'video/iso.segment',
  '.mp4': 'audio/mp4',
  '.m4a': 'audio/mp4',
  '.json': 'application/json',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.flac': 'audio/flac',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.opus': 'audio/ogg',
};

export function contentTypeFor(key: string): string | undefined {
  const dot = key.lastIndexOf('.');
  return dot >= 0 && dot > key.lastIndexOf('/') ? CONTENT_TYPES[key.slice(dot).toLowerCase()] : undefined;
}

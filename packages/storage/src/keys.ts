/**
 * The one place that knows where things live in the buckets. Media paths use `version-<id>`
 * exactly as operations.md shows (`/media/hls/version-123/playlist.m3u8` → transcodes bucket).
 */
export const keys = {
  original: (versionId: string, ext: string) => `version-${versionId}/original${ext ? `.${ext.replace(/^\./, '')}` : ''}`,
  hlsPrefix: (versionId: string) => `version-${versionId}/`,
  hlsMaster: (versionId: string) => `version-${versionId}/playlist.m3u8`,
  waveform: (versionId: string) => `version-${versionId}.json`,
  versionArtwork: (versionId: string, size: number, ext: string) => `artwork/version-${versionId}/${size}.${ext}`,
  avatar: (userId: string, stamp: string, size: number, ext: string) => `avatars/user-${userId}/${stamp}-${size}.${ext}`,
};

export { isAdmin, ownsOrAdmin, type Actor } from './actor.ts';
export type { CoreDeps, CoreLog } from './deps.ts';
export { OWNER_RESOLVERS, resourceOwners, type OwnedResource, type OwnerResolver, type OwnerParams } from './owners.ts';
export * from './visibility.ts';
export * from './errors.ts';
export { listLatestTracks, PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX, type TrackCard } from './tracks/list-latest.ts';
export {
  getTrackView,
  getListenableTrack,
  getPlayableTrack,
  getStreamableVersion,
  findTrackIdBySlug,
  toVersionView,
  type TrackView,
  type VersionView,
} from './tracks/get-track.ts';
export {
  createTrackFromUpload,
  addVersionFromUpload,
  type UploadDeps,
  type ReceivedFile,
  type NewTrackInput,
} from './tracks/create-track.ts';
export { slugify } from './tracks/slug.ts';
export {
  normalizeTrackTitle,
  normalizeTrackDescription,
  normalizeVisibility,
  normalizeAlbum,
  normalizeTrackNumber,
  normalizeYear,
  TITLE_MAX,
  DESCRIPTION_MAX,
  ALBUM_MAX,
  TRACK_NUMBER_MAX,
  YEAR_MIN,
  YEAR_MAX,
} from './tracks/fields.ts';
export { cleanTagValue, fileTagsFrom, titleFromFilename, type FileTags } from './tracks/file-tags.ts';
export { MEDIA_STEPS, STEP_LABELS, isMediaStep, stepJobId, type MediaStep } from './media/steps.ts';
export type {
  MediaToolkit,
  HlsPublication,
  AudioInfo,
  LoudnessResult,
  ImageOutput,
  ArtworkOutput,
  StepRun,
} from './media/media-toolkit.ts';
export { MediaRejectedError, isPermanent } from './media/errors.ts';
export {
  InProcessProgressBus,
  type ProgressBus,
  type ProcessingEvent,
  type NotificationEvent,
  type LiveEvent,
} from './media/progress-bus.ts';
export type { MediaDeps } from './media/deps.ts';
export { runMediaStep, type StepJob } from './media/run-step.ts';
export { reclaimScratch, processScratchDir, removeEntries } from './media/scratch.ts';
export { queueSteps, requeueStuckVersions, type StuckVersion } from './media/start-processing.ts';
export { rekeyGuessableMedia, type RekeyedVersion } from './media/rekey-media.ts';
export { SUPERSEDED_WAVEFORM_GRACE_MS, removeSupersededWaveforms } from './media/waveform-cleanup.ts';
export { rollupDay, utcDay } from './analytics/daily-rollup.ts';
export {
  recordPlay,
  hashIp,
  requiredSeconds,
  PLAY_THRESHOLD_SECONDS,
  PLAY_DEDUPE_WINDOW_MS,
  END_TOLERANCE_SECONDS,
  OVERRUN_MARGIN_SECONDS,
  MAX_SECONDS_LISTENED,
  type PlaysDeps,
  type PlayReport,
  type PlayOutcome,
  type NotCountedReason,
  type PlayableVersion,
  type NewPlay,
} from './plays/record-play.ts';
export { createPlaysDeps, findPlayableVersion, insertUnlessRecent } from './plays/play-store.ts';
export {
  signHlsPath,
  verifyHlsRequest,
  signUrl,
  verifySignedUrl,
  secureLinkHash,
  HLS_URL_PREFIX,
  MAX_SIGNED_TTL_SECONDS,
  type SignedHlsPath,
  type HlsRequestCheck,
} from './playback/signed-media.ts';
export * from './accounts/index.ts';
export {
  RATE_LIMIT_ZONES,
  enforceRateLimit,
  rateLimited,
  type RateLimitZone,
  type ZoneRule,
} from './rate-limit/zones.ts';
export * from './text/index.ts';
export * from './commerce/index.ts';
export {
  GENRE_MAX,
  TAGS_MAX,
  TAG_MAX,
  PRICE_MAX_MINOR,
  normalizeGenre,
  normalizeTags,
  normalizePrice,
  priceOf,
  type Price,
} from './catalog/fields.ts';
export { editTrack, type TrackPatch } from './catalog/edit-track.ts';
export { deleteTrack, hasPaidOrders, versionPrefixes, type DeleteOutcome } from './catalog/delete-track.ts';
export { setArtwork, ARTWORK_UPLOAD_SIZES } from './catalog/artwork.ts';
export { setCurrentVersion } from './catalog/current-version.ts';
export { retryTrackProcessing } from './catalog/retry-processing.ts';
export { browseTracks, type BrowseCard } from './catalog/browse.ts';
export { listStudioTracks, type StudioTrack } from './catalog/studio.ts';
export type { ListedTrack } from './catalog/listed-track.ts';
export { IMAGE_MAX_BYTES } from './images/square-image.ts';
export {
  RELEASE_TITLE_MAX,
  RELEASE_DESCRIPTION_MAX,
  RELEASE_CREDITS_MAX,
  RELEASE_TRACKS_MAX,
  RELEASE_TYPES,
  normalizeReleaseDate,
} from './releases/fields.ts';
export {
  createRelease,
  getRelease,
  updateRelease,
  deleteRelease,
  listUserReleases,
  type ReleaseView,
  type ReleaseCard,
  type ReleaseInput,
} from './releases/releases.ts';
export {
  createPlaylist,
  getPlaylist,
  updatePlaylist,
  setPlaylistTracks,
  deletePlaylist,
  listMyPlaylists,
  PLAYLIST_TITLE_MAX,
  PLAYLIST_DESCRIPTION_MAX,
  PLAYLIST_TRACKS_MAX,
  PLAYLISTS_PER_USER_MAX,
  type PlaylistView,
  type PlaylistCard,
} from './playlists/playlists.ts';
export {
  search,
  normalizeSearch,
  SEARCH_TYPES,
  SEARCH_QUERY_MAX,
  SEARCH_LIMIT_MAX,
  WORD_SIMILARITY_THRESHOLD,
  type SearchHit,
  type SearchType,
} from './search/search.ts';
export * from './community/index.ts';
export * from './moderation/index.ts';
export * from './privacy/index.ts';
export {
  oembedFor,
  parseEmbeddableUrl,
  fitSize,
  OEMBED_DEFAULT_SIZE,
  OEMBED_MIN_SIZE,
  OEMBED_MAX_URL_LENGTH,
  type OEmbed,
  type EmbedTarget,
} from './embeds/oembed.ts';
export {
  runRollup,
  rollupInsightsDay,
  keepDeletedTrackEvents,
  retentionHorizon,
  type RollupDeps,
  type RollupOutcome,
} from './insights/rollup.ts';
export { MemoryListCache, type ListCache } from './insights/cache.ts';
export {
  recomputeTrending,
  getTrending,
  getTrendingJson,
  TRENDING_PERIODS,
  TRENDING_WEIGHTS,
  TRENDING_MIN_PLAY_SECONDS,
  TRENDING_MAX_LIMIT,
  TRENDING_GENRE_MAX,
  TRENDING_MAX_AGE_SECONDS,
  type TrendingPeriod,
  type TrendingDeps,
  type TrendingEntry,
  type TrendingList,
  type TrendingQuery,
} from './insights/trending.ts';
export { runAnalyticsJob, ANALYTICS_EVERY_MS } from './insights/job.ts';
export {
  checkRanges,
  heardBuckets,
  mergeBuckets,
  REACH_BUCKETS,
  MAX_HEARD_RANGES,
  MAX_RANGE_MS,
  type HeardRange,
} from './plays/heard-ranges.ts';
export {
  getArtistStats,
  getTrackStats,
  statsRange,
  MAX_STATS_DAYS,
  DEFAULT_STATS_DAYS,
  type ArtistStats,
  type TrackStats,
  type DayFigures,
  type Totals,
  type TopTrack,
  type StatsDeps,
  type StatsRange,
} from './insights/stats.ts';

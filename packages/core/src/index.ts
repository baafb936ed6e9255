export { isAdmin, ownsOrAdmin, type Actor } from './actor.ts';
export type { CoreDeps, CoreLog } from './deps.ts';
export * from './visibility.ts';
export * from './errors.ts';
export { listLatestTracks, type TrackCard } from './tracks/list-latest.ts';
export { getTrackView, getPlayableTrack, findTrackIdBySlug, canView, type TrackView, type VersionView, type Viewer } from './tracks/get-track.ts';
export { createTrackFromUpload, addVersionFromUpload, type UploadDeps, type ReceivedFile, type NewTrackInput } from './tracks/create-track.ts';
export { slugify } from './tracks/slug.ts';
export { normalizeTrackTitle, normalizeTrackDescription, normalizeVisibility, TITLE_MAX, DESCRIPTION_MAX } from './tracks/fields.ts';
export { MEDIA_STEPS, STEP_LABELS, isMediaStep, stepJobId, type MediaStep } from './media/steps.ts';
export type { MediaToolkit, AudioInfo, LoudnessResult, ImageOutput, ArtworkOutput, StepRun } from './media/media-toolkit.ts';
export { MediaRejectedError, isPermanent } from './media/errors.ts';
export { InProcessProgressBus, type ProgressBus, type ProcessingEvent } from './media/progress-bus.ts';
export type { MediaDeps } from './media/deps.ts';
export { runMediaStep, type StepJob } from './media/run-step.ts';
export { reclaimScratch, processScratchDir } from './media/scratch.ts';
export { queueSteps, requeueStuckVersions, type StuckVersion } from './media/start-processing.ts';
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
export { signHlsPath, verifyHlsRequest, signUrl, verifySignedUrl, secureLinkHash, HLS_URL_PREFIX, MAX_SIGNED_TTL_SECONDS, type SignedHlsPath, type HlsRequestCheck } from './playback/signed-media.ts';
export * from './accounts/index.ts';
export { RATE_LIMIT_ZONES, enforceRateLimit, rateLimited, type RateLimitZone, type ZoneRule } from './rate-limit/zones.ts';
export * from './text/index.ts';
export { runRollup, rollupInsightsDay, retentionHorizon, type RollupDeps, type RollupOutcome } from './insights/rollup.ts';
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
export { checkRanges, heardBuckets, mergeBuckets, REACH_BUCKETS, MAX_HEARD_RANGES, MAX_RANGE_MS, type HeardRange } from './plays/heard-ranges.ts';
export {
  getArtistStats,
  getPlatformStats,
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

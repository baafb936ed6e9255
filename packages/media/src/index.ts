export {
  FfmpegError,
  MediaRejectedError,
  type FfmpegFailure,
  type FfmpegErrorDetails,
  type RejectionCode,
} from './errors.ts';
export {
  runFfmpeg,
  runFfprobe,
  FFMPEG_GLOBAL_ARGS,
  FFPROBE_GLOBAL_ARGS,
  type RunOptions,
  type RunResult,
  type ProbeRunOptions,
  type ProbeRunResult,
} from './runner.ts';
export {
  launchBoundToParent,
  resolveExecutable,
  findOrphanedTools,
  reapOrphanedTools,
  type Launch,
  type OrphanedTool,
} from './child-lifetime.ts';
export {
  ToolSpawner,
  directLauncher,
  sharedToolLauncher,
  type ToolLauncher,
  type ToolLaunchOptions,
  type ToolProcess,
} from './tool-spawner.ts';
export { ProgressParser, type FfmpegProgress } from './progress.ts';
export { TailBuffer, reasonFromStderr } from './stderr-tail.ts';
export { inputArgs, audioMap } from './input.ts';
export { defaultTimeoutMs, type ToolOptions, type OperationOptions } from './tool-options.ts';
export {
  probe,
  buildProbeArgs,
  parseProbeOutput,
  assertAudio,
  type ProbeResult,
  type AudioProbeResult,
  type AudioStreamInfo,
  type VideoStreamInfo,
  type PictureInfo,
  type ProbeOptions,
} from './probe.ts';
export { verifyDecodes, buildDecodeCheckArgs, type DecodeCheck, type DecodeCheckOptions } from './decode-check.ts';
export { inspectAudio } from './inspect.ts';
export {
  transcodeHls,
  finishedPlaylist,
  PROVISIONAL_MASTER_SEGMENTS,
  buildHlsRenditionArgs,
  hlsSampleRate,
  hlsChannels,
  DEFAULT_RENDITIONS,
  HLS_SEGMENT_SECONDS,
  MASTER_PLAYLIST,
  MEDIA_PLAYLIST,
  INIT_SEGMENT,
  SEGMENT_PATTERN,
  type Rendition,
  type HlsRenditionArgsOptions,
  type HlsSource,
  type TranscodeHlsOptions,
  type HlsOutput,
  type HlsPublication,
} from './hls.ts';
export {
  parseMediaPlaylist,
  measureRendition,
  peakSegmentBitrate,
  averageSegmentBitrate,
  buildMasterPlaylist,
  buildProvisionalMasterPlaylist,
  isGrowingPlaylist,
  PROVISIONAL_MASTER_MARK,
  AAC_LC_CODECS,
  type ParsedMediaPlaylist,
  type MeasuredSegment,
  type RenditionMeasure,
  type MasterEntry,
} from './hls-playlist.ts';
export {
  computeWaveform,
  buildWaveformDecodeArgs,
  chooseSamplesPerPixel,
  PeakFolder,
  WAVEFORM_TARGET_POINTS,
  MIN_SAMPLES_PER_PIXEL,
  type AudiowaveformJson,
  type WaveformDecodeArgsOptions,
  type WaveformSource,
  type WaveformOptions,
  type WaveformResult,
} from './waveform.ts';
export {
  measureLoudness,
  buildLoudnessArgs,
  parseEbur128Summary,
  replayGainTrackGain,
  EBUR128_FILTER,
  REPLAYGAIN2_REFERENCE_LUFS,
  type Ebur128Summary,
  type LoudnessResult,
  type LoudnessSource,
} from './loudness.ts';
export {
  extractArtwork,
  buildArtworkArgs,
  buildCoverCopyArgs,
  fitWithin,
  coverExtension,
  ARTWORK_SIZES,
  JPEG_QSCALE,
  MAX_COVER_PIXELS,
  coverSkipReason,
  type ArtworkTarget,
  type ArtworkImage,
  type ArtworkResult,
  type ArtworkOptions,
} from './artwork.ts';
export {
  DOWNLOAD_FORMATS,
  DOWNLOAD_FORMAT_INFO,
  isDownloadFormat,
  isLosslessCodec,
  formatsFor,
  codecArgs,
  buildDownloadArgs,
  makeDownloadFile,
  type DownloadFormat,
  type DownloadFormatInfo,
  type DownloadTags,
  type DownloadArgsOptions,
} from './download-formats.ts';

import { MediaRejectedError as RejectedUpload, fileTagsFrom, type AudioInfo, type MediaToolkit } from '@earshot/core';
import {
  computeWaveform,
  extractArtwork,
  inspectAudio,
  MediaRejectedError,
  measureLoudness,
  probe,
  sharedToolLauncher,
  transcodeHls,
  type AudioProbeResult,
} from '@earshot/media';
import { sharedProbe } from './probe-cache.ts';

/** The media port wired to ffmpeg (`@earshot/media`). Rejections become the core's permanent error. */
/**
 * The waveform and artwork steps run their ffmpeg at a lower priority than the transcode and the
 * loudness pass: on a small machine the first segments of the stream (and the gain that comes
 * with it) are what a listener waits for (docs/performance.md, "Playable in seconds"); the
 * waveform still grows as soon as there is a free core.
 */
const BACKGROUND_NICENESS = 10;
/** The loudness pass between the two: its gain should come early in the first listen, after the first segments. */
const LOUDNESS_NICENESS = 5;

export function createMediaToolkit(): MediaToolkit {
  // The tool spawner (docs/performance.md, "Media pipeline") starts now rather than with the first upload's probe.
  void sharedToolLauncher();
  const rejecting = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof MediaRejectedError) throw new RejectedUpload(err.message);
      throw err;
    }
  };
  /** Steps of one version that must probe (versions stored before the row kept the audio stream or the cover) share one probe. */
  const probeOnce = sharedProbe((file) => probe(file));
  const probed = async (input: string, signal: AbortSignal) => {
    const result = await probeOnce(input, signal);
    if (!result.audio) throw new RejectedUpload('No audio stream found in this file');
    return {
      durationMs: result.durationMs ?? result.audio.durationMs ?? 0,
      sampleRate: result.audio.sampleRate,
      channels: result.audio.channels,
      audioStreamIndex: result.audio.index,
      cover: result.cover,
    };
  };
  /**
   * What an encoder needs of its input. The upload's probe put it on the version row; trusting it
   * (the original never changes) starts the encoders at once. A row without it is probed.
   */
  const source = async (input: string, info: AudioInfo, signal: AbortSignal) =>
    info.audioStreamIndex !== null && info.sampleRate > 0 && info.channels > 0 && info.durationMs > 0
      ? {
          durationMs: info.durationMs,
          sampleRate: info.sampleRate,
          channels: info.channels,
          audioStreamIndex: info.audioStreamIndex,
        }
      : probed(input, signal);

  return {
    probe: (file) =>
      rejecting(async () => {
        const r: AudioProbeResult = await inspectAudio(file);
        const info: AudioInfo = {
          durationMs: r.durationMs,
          codec: r.audio.codec,
          sampleRate: r.audio.sampleRate,
          channels: r.audio.channels,
          bitDepth: r.audio.bitDepth ?? null,
          audioStreamIndex: r.audio.index,
          formatName: r.formatName,
          cover: r.cover,
          tags: fileTagsFrom(r.tags),
        };
        return info;
      }),

    transcodeHls: (input, outDir, info, run, publish) =>
      rejecting(async () => {
        const s = await source(input, info, run.signal);
        const out = await transcodeHls(input, outDir, s, {
          signal: run.signal,
          onProgress: run.onProgress,
          ...(publish ? { onPublish: publish } : {}),
        });
        return out.files;
      }),

    waveform: (input, info, run, partial) =>
      rejecting(async () => {
        const s = await source(input, info, run.signal);
        const out = await computeWaveform(input, s, {
          signal: run.signal,
          niceness: BACKGROUND_NICENESS,
          onProgress: run.onProgress,
          ...(partial ? { onPartial: partial } : {}),
        });
        return { json: out.json, decodedDurationMs: out.decodedDurationMs };
      }),

    loudness: (input, info, run) =>
      rejecting(async () => {
        const s = await source(input, info, run.signal);
        const l = await measureLoudness(input, s, {
          signal: run.signal,
          onProgress: run.onProgress,
          niceness: LOUDNESS_NICENESS,
        });
        // Digital silence has no loudness: store a neutral gain rather than ±Infinity.
        const finite = (n: number, fallback: number) => (Number.isFinite(n) ? n : fallback);
        return {
          integratedLufs: finite(l.integratedLufs, -70),
          loudnessRange: finite(l.loudnessRange, 0),
          truePeakDbtp: finite(l.truePeakDbtp, -70),
          trackGainDb: Math.min(finite(l.trackGainDb, 0), 24),
        };
      }),

    artwork: (input, outDir, info, run) =>
      rejecting(async () => {
        // The upload's probe recorded the cover; a version from before that is probed again.
        const cover = info.cover !== undefined ? info.cover : (await probed(input, run.signal)).cover;
        if (!cover) return null;
        const out = await extractArtwork(input, outDir, {
          cover,
          signal: run.signal,
          niceness: BACKGROUND_NICENESS,
          onProgress: run.onProgress,
        });
        return out
          ? {
              images: out.images.map((i) => ({ file: i.file, size: i.size, ext: i.ext, contentType: i.contentType })),
              ...(out.skipped ? { skipped: out.skipped } : {}),
            }
          : null;
      }),
  };
}

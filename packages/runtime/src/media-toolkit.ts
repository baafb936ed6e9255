import { MediaRejectedError as RejectedUpload, type AudioInfo, type MediaToolkit } from '@earshot/core';
import { computeWaveform, extractArtwork, inspectAudio, MediaRejectedError, measureLoudness, probe, transcodeHls, type AudioProbeResult } from '@earshot/media';
import { sharedProbe } from './probe-cache.ts';

/** The media port wired to ffmpeg (`@earshot/media`). Rejections become the core's permanent error. */
export function createMediaToolkit(): MediaToolkit {
  const rejecting = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof MediaRejectedError) throw new RejectedUpload(err.message);
      throw err;
    }
  };
  /** Each step needs its input's audio stream index and duration; steps of one version share one probe. */
  const probeOnce = sharedProbe((file) => probe(file));
  const source = async (input: string, signal: AbortSignal) => {
    const result = await probeOnce(input, signal);
    if (!result.audio) throw new RejectedUpload('No audio stream found in this file');
    return { durationMs: result.durationMs ?? result.audio.durationMs ?? 0, sampleRate: result.audio.sampleRate, channels: result.audio.channels, audioStreamIndex: result.audio.index, cover: result.cover };
  };

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
          formatName: r.formatName,
          hasCover: r.cover !== null,
        };
        return info;
      }),

    transcodeHls: (input, outDir, _info, run) =>
      rejecting(async () => {
        const s = await source(input, run.signal);
        const out = await transcodeHls(input, outDir, s, { signal: run.signal, onProgress: run.onProgress });
        return out.files;
      }),

    waveform: (input, run) =>
      rejecting(async () => {
        const s = await source(input, run.signal);
        const out = await computeWaveform(input, s, { signal: run.signal, onProgress: run.onProgress });
        return { json: out.json, decodedDurationMs: out.decodedDurationMs };
      }),

    loudness: (input, _info, run) =>
      rejecting(async () => {
        const s = await source(input, run.signal);
        const l = await measureLoudness(input, s, { signal: run.signal, onProgress: run.onProgress });
        // Digital silence has no loudness: store a neutral gain rather than ±Infinity.
        const finite = (n: number, fallback: number) => (Number.isFinite(n) ? n : fallback);
        return { integratedLufs: finite(l.integratedLufs, -70), loudnessRange: finite(l.loudnessRange, 0), truePeakDbtp: finite(l.truePeakDbtp, -70), trackGainDb: Math.min(finite(l.trackGainDb, 0), 24) };
      }),

    artwork: (input, outDir, run) =>
      rejecting(async () => {
        const s = await source(input, run.signal);
        if (!s.cover) return null;
        const out = await extractArtwork(input, outDir, { cover: s.cover, signal: run.signal, onProgress: run.onProgress });
        return out ? out.images.map((i) => ({ file: i.file, size: i.size, ext: i.ext, contentType: i.contentType })) : null;
      }),
  };
}

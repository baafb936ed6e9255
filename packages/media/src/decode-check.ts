import { FfmpegError, MediaRejectedError, lowerFirst } from './errors.ts';
import { audioOnly, inputArgs, seconds } from './input.ts';
import type { AudioProbeResult } from './probe.ts';
import { runFfmpeg } from './runner.ts';
import { defaultTimeoutMs, type ToolOptions } from './tool-options.ts';

/**
 * Decodes the audio (from `startMs`) and throws the samples away; `-progress` then says how much
 * audio could really be decoded.
 */
export function buildDecodeCheckArgs(
  file: string,
  options: { audioStreamIndex?: number; startMs?: number } = {},
): string[] {
  const seek = options.startMs && options.startMs > 0 ? ['-ss', seconds(options.startMs)] : [];
  return ['-v', 'error', ...seek, ...inputArgs(file), ...audioOnly(options.audioStreamIndex), '-f', 'null', '-'];
}

export interface DecodeCheck {
  /** Best known duration: the probed one, or the decoded one when it had to be measured. */
  durationMs: number;
  /** Audio decoded by a full decode; null when checking the last seconds was enough. */
  decodedDurationMs: number | null;
}

export interface DecodeCheckOptions extends ToolOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** How much of the end is decoded in the fast check. Default 3000 ms. */
  tailMs?: number;
}

/**
 * ffprobe believes the header: a FLAC or WAV cut right after its header still "lasts" what
 * STREAMINFO says. This decodes the last few seconds (cheap: one seek); when that yields too
 * little, or the duration was only estimated from the bit rate, the whole audio is decoded
 * (≈0.5 s per 10 minutes of FLAC or MP3 here). Throws `MediaRejectedError('truncated')` when
 * nothing decodes, or when less than 90% of a duration the file declares exactly decodes.
 */
export async function verifyDecodes(
  file: string,
  probed: AudioProbeResult,
  options: DecodeCheckOptions = {},
): Promise<DecodeCheck> {
  const declared = probed.durationMs;
  const run = {
    signal: options.signal,
    binary: options.ffmpegPath,
    timeoutMs: options.timeoutMs ?? defaultTimeoutMs(declared),
  };
  const decodedFrom = async (startMs: number): Promise<number> => {
    try {
      const out = await runFfmpeg(buildDecodeCheckArgs(file, { audioStreamIndex: probed.audio.index, startMs }), run);
      return out.progress?.outTimeMs ?? 0;
    } catch (err) {
      if (err instanceof FfmpegError && err.kind === 'exit')
        throw new MediaRejectedError('unreadable', `cannot decode this file: ${lowerFirst(err.reason)}`);
      throw err;
    }
  };

  let decoded: number;
  if (probed.durationEstimated) {
    decoded = await decodedFrom(0);
  } else {
    const start = Math.max(0, declared - (options.tailMs ?? 3000));
    const got = await decodedFrom(start);
    if (start > 0 && got >= Math.min(declared - start, 1000) * 0.5)
      return { durationMs: declared, decodedDurationMs: null };
    decoded = start === 0 ? got : await decodedFrom(0);
  }
  if (!(decoded > 0))
    throw new MediaRejectedError('truncated', 'file is truncated or damaged: no audio could be decoded');
  if (!probed.durationEstimated && decoded < declared * 0.9) {
    throw new MediaRejectedError(
      'truncated',
      `file is truncated: only ${(decoded / 1000).toFixed(1)} s of its ${(declared / 1000).toFixed(1)} s could be decoded`,
    );
  }
  return { durationMs: probed.durationEstimated ? Math.round(decoded) : declared, decodedDurationMs: decoded };
}

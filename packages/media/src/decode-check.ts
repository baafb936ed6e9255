import { FfmpegError, MediaRejectedError, lowerFirst } from './errors.ts';
import { audioOnly, inputArgs, seconds } from './input.ts';
import type { AudioProbeResult } from './probe.ts';
import { runFfmpeg } from './runner.ts';
import { defaultTimeoutMs, type ToolOptions } from './tool-options.ts';

/**
 * Decodes the audio (from `startMs`, or the last `fromEndMs` of it) and throws the samples away;
 * `-progress` then says how much audio could really be decoded.
 */
export function buildDecodeCheckArgs(
  file: string,
  options: { audioStreamIndex?: number; startMs?: number; fromEndMs?: number } = {},
): string[] {
  const seek =
    options.fromEndMs && options.fromEndMs > 0
      ? ['-sseof', `-${seconds(options.fromEndMs)}`]
      : options.startMs && options.startMs > 0
        ? ['-ss', seconds(options.startMs)]
        : [];
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

const DEFAULT_TAIL_MS = 3000;

/**
 * The fast check started before the probe has answered (`startTailCheck`): the last `tailMs` of
 * the file's first audio stream, decoded while ffprobe reads the header. Both are mostly process
 * start-up, so an upload waits for one of them instead of the two in turn.
 */
export interface EarlyTailCheck {
  readonly tailMs: number;
  /** Audio decoded, in ms; rejects as the check itself would (`unreadable`, ffmpeg errors). */
  readonly decoded: Promise<number>;
  /** Stops it when its answer is not needed (the probe failed, or cannot use it). */
  cancel(): void;
}

export function startTailCheck(file: string, options: DecodeCheckOptions = {}): EarlyTailCheck {
  const tailMs = options.tailMs ?? DEFAULT_TAIL_MS;
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const decoded = decodedAudioMs(file, { fromEndMs: tailMs }, { ...options, signal });
  decoded.catch(() => {}); // awaited only when used
  return { tailMs, decoded, cancel: () => stop.abort() };
}

/** Runs one decode check; ffmpeg refusing the file is the uploader's `unreadable`. */
async function decodedAudioMs(
  file: string,
  args: Parameters<typeof buildDecodeCheckArgs>[1],
  options: DecodeCheckOptions & { declaredMs?: number },
): Promise<number> {
  try {
    const out = await runFfmpeg(buildDecodeCheckArgs(file, args), {
      signal: options.signal,
      binary: options.ffmpegPath,
      timeoutMs: options.timeoutMs ?? defaultTimeoutMs(options.declaredMs),
    });
    return out.progress?.outTimeMs ?? 0;
  } catch (err) {
    if (err instanceof FfmpegError && err.kind === 'exit')
      throw new MediaRejectedError('unreadable', `cannot decode this file: ${lowerFirst(err.reason)}`);
    throw err;
  }
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
  options: DecodeCheckOptions & { early?: EarlyTailCheck } = {},
): Promise<DecodeCheck> {
  const declared = probed.durationMs;
  const tailMs = options.tailMs ?? options.early?.tailMs ?? DEFAULT_TAIL_MS;
  const decodedFrom = (startMs: number) =>
    decodedAudioMs(file, { audioStreamIndex: probed.audio.index, startMs }, { ...options, declaredMs: declared });
  // The early tail read the first audio stream from the end the container declares: the same
  // check as below when that stream is the one chosen and the duration is declared, not estimated.
  const early =
    options.early &&
    options.early.tailMs === tailMs &&
    probed.audioStreamCount === 1 &&
    !probed.durationEstimated &&
    declared > tailMs
      ? options.early
      : null;
  if (options.early && !early) options.early.cancel();

  let decoded: number;
  if (probed.durationEstimated) {
    decoded = await decodedFrom(0);
  } else {
    const start = Math.max(0, declared - tailMs);
    const got = await (early ? early.decoded : decodedFrom(start));
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

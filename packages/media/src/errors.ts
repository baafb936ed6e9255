/** How a run of ffmpeg/ffprobe ended badly. */
export type FfmpegFailure =
  /** The binary could not be started (not installed, not executable). */
  | 'spawn'
  /** The process exited non-zero or was killed by someone else. */
  | 'exit'
  /** Our timeout fired; the child was killed. */
  | 'timeout'
  /** The caller's AbortSignal fired (e.g. shutdown); the child was killed. */
  | 'aborted'
  /** The process wrote more to stdout than we agreed to collect. */
  | 'output-limit';

export interface FfmpegErrorDetails {
  tool: string;
  kind: FfmpegFailure;
  reason: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stderrTail: string;
  cause?: unknown;
}

/**
 * A run of ffmpeg or ffprobe failed. `reason` is short and readable (the last meaningful line of
 * stderr, or "timed out after 30000 ms"); `stderrTail` holds the bounded end of stderr for logs.
 * Not permanent: a retry may help (timeouts, kills, a full disk). Problems with the *file* are
 * reported as `MediaRejectedError` instead.
 */
export class FfmpegError extends Error {
  readonly tool: string;
  readonly kind: FfmpegFailure;
  readonly reason: string;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderrTail: string;

  constructor(details: FfmpegErrorDetails) {
    super(`${details.tool}: ${details.reason}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'FfmpegError';
    this.tool = details.tool;
    this.kind = details.kind;
    this.reason = details.reason;
    this.exitCode = details.exitCode;
    this.signal = details.signal;
    this.stderrTail = details.stderrTail;
  }
}

export type RejectionCode = 'empty' | 'unreadable' | 'no-audio' | 'truncated';

/**
 * The file is not usable audio: empty, unreadable, no audio stream, truncated. Permanent (a retry
 * cannot help; `permanent` is what the pipeline's retry logic looks at) and the message is written
 * for the person who uploaded the file.
 */
export class MediaRejectedError extends Error {
  readonly permanent = true;
  readonly code: RejectionCode;

  constructor(code: RejectionCode, message: string) {
    super(message);
    this.name = 'MediaRejectedError';
    this.code = code;
  }
}

/** "Invalid data found…" → "invalid data found…", to follow a colon in a sentence; "AAC…" stays. */
export function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}

/** Where the binaries are; both default to the name, found on PATH. */
export interface ToolOptions {
  ffmpegPath?: string;
  ffprobePath?: string;
}

/** What every long-running media operation takes from its caller (a job handler). */
export interface OperationOptions extends ToolOptions {
  /** Kills ffmpeg when it fires (shutdown, a cancelled job). */
  signal?: AbortSignal;
  /** 0–100 as the work advances. */
  onProgress?: (percent: number) => void;
  /** Limit for one ffmpeg run; default `defaultTimeoutMs(duration)`. */
  timeoutMs?: number;
  /**
   * Runs ffmpeg at a lower CPU priority (a nice value, 1–19): work nobody waits for gives way to
   * what a listener waits for (docs/performance.md, "Playable in seconds").
   */
  niceness?: number;
}

/**
 * Two minutes plus real time: the budget is ≥20× faster than real time, so this only fires when
 * ffmpeg is stuck, not when a machine is slow.
 */
export function defaultTimeoutMs(durationMs: number | null | undefined): number {
  return 120_000 + Math.max(0, durationMs ?? 0);
}

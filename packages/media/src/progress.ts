/** One report of ffmpeg's `-progress` output (a block of `key=value` lines ending in `progress=`). */
export interface FfmpegProgress {
  /** 0–100 when the input duration is known, else null. 100 on the final report. */
  percent: number | null;
  /** Position reached in the output, from `out_time_us`. */
  outTimeMs: number | null;
  /** Processing speed as a multiple of real time (`speed=45.8x`), when ffmpeg knows it. */
  speed: number | null;
  /** True on the final report (`progress=end`). */
  done: boolean;
}

/**
 * Incremental parser of `-progress` output: feed it raw chunks, it calls `onReport` once per
 * finished block. Pure, so it is tested without ffmpeg.
 */
export class ProgressParser {
  private pending = '';
  private block = new Map<string, string>();
  /** The last complete report (also after the run, to know how far ffmpeg got). */
  last: FfmpegProgress | null = null;

  constructor(
    private readonly durationMs: number | undefined,
    private readonly onReport?: (p: FfmpegProgress) => void,
  ) {}

  push(chunk: string): void {
    this.pending += chunk;
    let nl: number;
    while ((nl = this.pending.indexOf('\n')) >= 0) {
      const line = this.pending.slice(0, nl).trim();
      this.pending = this.pending.slice(nl + 1);
      const eq = line.indexOf('=');
      if (eq <= 0) continue;
      const key = line.slice(0, eq);
      const value = line.slice(eq + 1).trim();
      if (key === 'progress') {
        this.emit(value === 'end');
        this.block.clear();
      } else {
        this.block.set(key, value);
      }
    }
    // A line never gets this long; guard against a stream that is not -progress output.
    if (this.pending.length > 4096) this.pending = '';
  }

  private emit(done: boolean): void {
    const us = Number(this.block.get('out_time_us'));
    const outTimeMs = Number.isFinite(us) && us >= 0 ? us / 1000 : null;
    const speedRaw = this.block.get('speed');
    const speed = speedRaw !== undefined && /^[\d.e+]+x$/.test(speedRaw) ? Number(speedRaw.slice(0, -1)) : null;
    let percent: number | null = null;
    if (done) percent = 100;
    else if (outTimeMs !== null && this.durationMs !== undefined && this.durationMs > 0) {
      percent = Math.max(0, Math.min(100, (outTimeMs / this.durationMs) * 100));
    }
    this.last = { percent, outTimeMs, speed, done };
    this.onReport?.(this.last);
  }
}

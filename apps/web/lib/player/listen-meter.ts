/**
 * Seconds actually heard of the loaded track, for play reports (docs/architecture.md, "Domain": a play counts after
 * 30 s listened, or the whole track if shorter). Fed the element's position on every `timeupdate`:
 * only small forward steps while playing count, so seeks (announced by `seeking`, and any jump
 * larger than MAX_STEP_S) and replays of a part already heard in one go add nothing.
 *
 * Mirrors the API's rule (packages/core/src/plays/record-play.ts) so the player reports once, when it
 * can count; the API decides. The player is a little stricter at the end of a short track (1 s / 5%
 * where the API allows 1.5 s / 10%): its idea of the duration (the HLS media's) may differ a little
 * from the API's (the master's), and a report sent too early would use up this load's one report.
 */

/** The listening time after which a play counts, for tracks at least this long. */
export const PLAY_THRESHOLD_S = 30;
/** A short track is reported when heard to its end, less min(1 s, 5%). */
const END_TOLERANCE_S = 1;
const END_TOLERANCE_FRACTION = 0.05;
/** `timeupdate` fires every 15–250 ms while playing; a bigger step is a jump, not listening. */
const MAX_STEP_S = 2;

/** Seconds to hear before reporting a track this long (seconds; unknown → 30 s). */
export function secondsToCount(durationS: number): number {
  if (!(durationS > 0) || !Number.isFinite(durationS)) return PLAY_THRESHOLD_S;
  return Math.min(PLAY_THRESHOLD_S, durationS - Math.min(END_TOLERANCE_S, durationS * END_TOLERANCE_FRACTION));
}

/** The most ranges a report carries (the API's limit). */
export const MAX_RANGES = 200;

export interface ListenReport {
  seconds: number;
  /** The parts of the track played, `[[startMs, endMs], …]`, merged and sorted. */
  ranges: [number, number][];
}

export class ListenMeter {
  private heard = 0;
  private last: number | null = null;
  private reported = false;
  /** Ranges played, in seconds; the last one grows while playback goes on without a jump. */
  private spans: [number, number][] = [];
  private open = false;
  /** Seconds heard when the last report left (a follow-up is sent only when more was heard). */
  private heardAtReport = 0;

  /**
   * The element's position at a `timeupdate` (or `ended`); `playing` false while paused or seeking.
   * Call it with `playing` false when playback starts (`playing`), so the first step counts.
   */
  tick(position: number, playing: boolean): void {
    if (!Number.isFinite(position)) return;
    if (playing && this.last !== null) {
      const step = position - this.last;
      if (step > 0 && step <= MAX_STEP_S) {
        this.heard += step;
        const current = this.spans[this.spans.length - 1];
        if (this.open && current && current[1] === this.last) current[1] = position;
        else this.spans.push([this.last, position]);
        this.open = true;
      } else {
        this.open = false;
      }
    }
    this.last = position;
  }

  /** A seek started: the next position is a new starting point, not time heard. */
  jumped(): void {
    this.last = null;
    this.open = false;
  }

  /** The ranges played so far in ms, merged (overlaps and touching spans), at most MAX_RANGES. */
  rangesMs(durationS = 0): [number, number][] {
    const sorted = this.spans.map(([a, b]): [number, number] => [a, b]).sort((x, y) => x[0] - y[0]);
    const merged: [number, number][] = [];
    for (const [a, b] of sorted) {
      const prev = merged[merged.length - 1];
      if (prev && a <= prev[1] + 0.001) prev[1] = Math.max(prev[1], b);
      else merged.push([a, b]);
    }
    const end = durationS > 0 ? durationS : Infinity;
    return merged
      .map(([a, b]): [number, number] => [Math.round(Math.min(a, end) * 1000), Math.round(Math.min(b, end) * 1000)])
      .sort((x, y) => y[1] - y[0] - (x[1] - x[0]))
      .slice(0, MAX_RANGES)
      .sort((x, y) => x[0] - y[0]);
  }

  get seconds(): number {
    return this.heard;
  }

  /**
   * The report to send now, once per load: when the threshold is crossed, or when the track ended
   * having been heard enough. `durationS` is the track's length as best known (0 when unknown).
   * The seconds sent never exceed the track (a part heard twice counts twice here).
   */
  takeReport(durationS: number): number | null {
    if (this.reported || this.heard < secondsToCount(durationS)) return null;
    this.reported = true;
    this.heardAtReport = this.heard;
    return this.secondsFor(durationS);
  }

  /**
   * The report with the ranges: the first one as `takeReport`; after it, a follow-up (at a pause,
   * the end, or when the page goes) whenever more was heard since, so the play's ranges reach
   * where the listener stopped. Null when there is nothing to send.
   */
  takeRangesReport(durationS: number): ListenReport | null {
    if (!this.reported) {
      const seconds = this.takeReport(durationS);
      return seconds === null ? null : { seconds, ranges: this.rangesMs(durationS) };
    }
    if (this.heard - this.heardAtReport < 1) return null;
    this.heardAtReport = this.heard;
    return { seconds: this.secondsFor(durationS), ranges: this.rangesMs(durationS) };
  }

  private secondsFor(durationS: number): number {
    return durationS > 0 ? Math.min(this.heard, durationS) : this.heard;
  }
}

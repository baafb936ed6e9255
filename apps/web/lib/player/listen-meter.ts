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

export class ListenMeter {
  private heard = 0;
  private last: number | null = null;
  private reported = false;

  /**
   * The element's position at a `timeupdate` (or `ended`); `playing` false while paused or seeking.
   * Call it with `playing` false when playback starts (`playing`), so the first step counts.
   */
  tick(position: number, playing: boolean): void {
    if (!Number.isFinite(position)) return;
    if (playing && this.last !== null) {
      const step = position - this.last;
      if (step > 0 && step <= MAX_STEP_S) this.heard += step;
    }
    this.last = position;
  }

  /** A seek started: the next position is a new starting point, not time heard. */
  jumped(): void {
    this.last = null;
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
    return durationS > 0 ? Math.min(this.heard, durationS) : this.heard;
  }
}

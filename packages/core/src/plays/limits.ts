/** A report may exceed the version's duration by this much (rounding, timer granularity). */
export const OVERRUN_MARGIN_SECONDS = 5;
/** The most a report may say when the duration is not known. */
export const MAX_SECONDS_LISTENED = 24 * 3600;

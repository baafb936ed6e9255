import type { QueueName } from '@earshot/jobs';

/** The four media jobs that run in parallel for each version (docs/architecture.md, "Media pipeline"). */
export const MEDIA_STEPS = [
  'transcode',
  'waveform',
  'artwork-extract',
  'loudness',
] as const satisfies readonly QueueName[];
export type MediaStep = (typeof MEDIA_STEPS)[number];

export function isMediaStep(queue: string): queue is MediaStep {
  return (MEDIA_STEPS as readonly string[]).includes(queue);
}

/** Job id of a step: one per version and round, so duplicates within a round are not run twice. */
export function stepJobId(step: MediaStep, versionId: string, round: number): string {
  return `${step}-version-${versionId}-r${round}`;
}

/** What a person reads when a step gave up. */
export const STEP_LABELS: Record<MediaStep, string> = {
  transcode: 'Transcoding to streaming formats',
  waveform: 'Drawing the waveform',
  'artwork-extract': 'Extracting cover art',
  loudness: 'Measuring loudness',
};

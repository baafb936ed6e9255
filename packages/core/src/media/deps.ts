import type { Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import type { JobQueue } from '@earshot/jobs';
import type { ObjectStore } from '@earshot/storage';
import type { MediaToolkit } from './media-toolkit.ts';
import type { ProgressBus } from './progress-bus.ts';

/** The ports the media rules use; built by the composition roots. */
export interface MediaDeps {
  db: Kysely<Database>;
  store: ObjectStore;
  jobs: Pick<JobQueue, 'add'>;
  media: MediaToolkit;
  progress: ProgressBus;
  /** Scratch space for inputs and outputs of ffmpeg; each run uses (and removes) its own folder. */
  tmpDir: string;
  now?: () => Date;
  /** Things worth an operator's eye that do not fail a step (a skipped cover). */
  warn?: (fields: Record<string, unknown>, message: string) => void;
}

import type { CoreDeps } from '../deps.ts';

/**
 * The ports the media steps use. `scratchDir` holds ffmpeg's inputs and outputs; `log.warn` gets
 * what is worth an operator's eye without failing a step (a skipped cover).
 */
export type MediaDeps = Pick<CoreDeps, 'db' | 'store' | 'jobs' | 'media' | 'progress' | 'scratchDir' | 'log'>;

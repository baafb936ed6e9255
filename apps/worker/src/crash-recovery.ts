import { reclaimScratch } from '@earshot/core';
import { reapOrphanedTools } from '@earshot/media';
import type { Logger } from '@earshot/runtime';

/**
 * What a worker that died without cleaning up (SIGKILL, OOM, power loss) may have left, removed
 * before this one takes jobs: ffmpeg/ffprobe still encoding into its scratch folders (possible
 * only where tools could not be bound to their parent's life) and the folders themselves. The
 * jobs it held are taken over by the queue (see `logStalledJobs`).
 */
export async function recoverAfterCrash(scratchRoot: string, logger: Logger): Promise<void> {
  const orphans = reapOrphanedTools(scratchRoot);
  if (orphans.length)
    logger.warn({ pids: orphans.map((o) => o.pid) }, 'killed media tools left running by a dead worker');
  const folders = await reclaimScratch(scratchRoot);
  if (folders.length) logger.warn({ folders }, 'removed scratch folders of dead workers');
}

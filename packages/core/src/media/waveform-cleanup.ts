import { keys } from '@earshot/storage';
import type { MediaDeps } from './deps.ts';

/**
 * How long a superseded waveform stays (docs/performance.md, "Playable in seconds"): a page that
 * read a partial waveform's URL just before the finished one replaced it still fetches it.
 */
export const SUPERSEDED_WAVEFORM_GRACE_MS = 60_000;

/**
 * Deletes every waveform of the version but the one its row names (the `waveform-cleanup` job,
 * queued `SUPERSEDED_WAVEFORM_GRACE_MS` after the waveform step stored the finished one). A version
 * that is gone keeps none. Running it twice deletes nothing more.
 */
export async function removeSupersededWaveforms(deps: Pick<MediaDeps, 'db' | 'store'>, versionId: string) {
  const row = await deps.db
    .selectFrom('track_versions')
    .select('waveform_key')
    .where('id', '=', versionId)
    .executeTakeFirst();
  const superseded: string[] = [];
  for await (const object of deps.store.list('waveforms', keys.waveformPrefix(versionId)))
    if (object.key !== row?.waveform_key) superseded.push(object.key);
  for (const key of superseded) await deps.store.delete('waveforms', key);
}

import path from 'node:path';
import type { Bucket, ObjectStore } from '@earshot/storage';

/** Objects stored at once: a 10-minute track is ~300 HLS files, one S3 round trip each. */
export const PUT_CONCURRENCY = 8;

/**
 * Stores the files `rel` (relative to `dir`) as `<prefix><rel>`, `PUT_CONCURRENCY` at a time. `last`
 * is stored only after every other file is (a player never sees a master playlist before its
 * renditions). On the first failure no further file is started, and the error is thrown once the
 * ones in flight have settled.
 */
export async function storeOutputs(
  store: ObjectStore,
  bucket: Bucket,
  prefix: string,
  dir: string,
  files: readonly string[],
  options: { last?: string; contentType?: (rel: string) => string | undefined } = {},
): Promise<void> {
  const put = (rel: string) =>
    store
      .putFile(bucket, `${prefix}${rel}`, path.join(dir, rel), { contentType: options.contentType?.(rel) })
      .then(() => undefined);
  const queue = files.filter((f) => f !== options.last);
  let failure: { err: unknown } | null = null;
  const worker = async () => {
    for (let rel = queue.shift(); rel !== undefined && !failure; rel = queue.shift()) {
      try {
        await put(rel);
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PUT_CONCURRENCY, queue.length) }, worker));
  if (failure) throw (failure as { err: unknown }).err;
  if (options.last !== undefined && files.includes(options.last)) await put(options.last);
}

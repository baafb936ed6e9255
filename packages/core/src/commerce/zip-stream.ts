import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { ZipArchive } from 'archiver';

export interface ZipEntrySource {
  /** Path inside the archive (`01 - Title.mp3`). */
  name: string;
  /** Opens the entry's bytes (a storage read); called only when the archive reaches it. */
  open(): Promise<Readable>;
}

/**
 * One ZIP streamed from its entries (docs/payments.md, "Downloads"): entries are opened one at a
 * time, as the archive reaches them, and piped through with backpressure, so a 1 GB release never
 * sits in memory or on disk (bench/release-zip measures it). Audio is already compressed: entries
 * are STOREd (no deflate: no CPU spent for nothing, and a client can see the progress). ZIP64
 * headers are written when needed (> 4 GB).
 */
export function streamZip(entries: Iterable<ZipEntrySource> | AsyncIterable<ZipEntrySource>): Readable {
  const archive = new ZipArchive({ store: true });
  const feed = async () => {
    for await (const entry of entries) {
      const source = await entry.open();
      const processed = once(archive, 'entry');
      archive.append(source, { name: entry.name });
      await processed;
    }
    await archive.finalize();
  };
  feed().catch((err: unknown) => archive.destroy(err instanceof Error ? err : new Error(String(err))));
  return archive;
}

/** A name safe inside a ZIP on every OS: no path separators, no control or reserved characters. */
export function zipSafeName(name: string, fallback = 'track'): string {
  const cleaned = name
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 120);
  return cleaned || fallback;
}

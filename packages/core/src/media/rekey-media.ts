import { sql, type Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import { isPubliclyServable, keys, unguessableToken, type ObjectStore } from '@earshot/storage';

export interface RekeyedVersion {
  versionId: string;
  waveform?: { from: string; to: string };
  artwork?: { from: string; to: string; files: number };
}

/**
 * Versions processed before waveforms and version artwork had unguessable keys (docs/security.md,
 * "Waveforms and artwork of private and unlisted tracks") keep keys such as `version-3.json` or
 * `artwork/version-3/300.jpg`, which are no longer served: their waveform and cover would vanish
 * from every page. This gives them keys of the served shape, without reprocessing: each object is
 * copied to a fresh token key, the version row is switched to it (only if it still holds the old
 * key: a reprocessing run in between wins), then the old objects are removed. Idempotent: a
 * second run finds nothing to do. Returns what it moved.
 */
export async function rekeyGuessableMedia(
  deps: { db: Kysely<Database>; store: ObjectStore },
  options: { batch?: number } = {},
): Promise<RekeyedVersion[]> {
  const rows = await deps.db
    .selectFrom('track_versions')
    .select(['id', 'waveform_key', 'artwork_key'])
    // Coarse filter (new keys have one more folder level); isPubliclyServable below is the exact rule.
    .where((eb) =>
      eb.or([eb('waveform_key', 'not like', 'version-%/%'), eb('artwork_key', 'not like', 'artwork/version-%/%/%')]),
    )
    .orderBy('id')
    .execute();
  const out: RekeyedVersion[] = [];
  for (const row of rows) {
    if (out.length >= (options.batch ?? Infinity)) break;
    const done: RekeyedVersion = { versionId: row.id };
    if (row.waveform_key && !isPubliclyServable('waveforms', row.waveform_key)) {
      const to = keys.waveform(row.id, unguessableToken());
      const obj = await deps.store.get('waveforms', row.waveform_key);
      await deps.store.put('waveforms', to, obj.body, {
        contentType: 'application/json',
        contentLength: obj.contentLength,
      });
      const switched = await deps.db
        .updateTable('track_versions')
        .set({ waveform_key: to, updated_at: sql`now()` })
        .where('id', '=', row.id)
        .where('waveform_key', '=', row.waveform_key)
        .executeTakeFirst();
      if (Number(switched.numUpdatedRows) === 1) {
        await deps.store.delete('waveforms', row.waveform_key);
        done.waveform = { from: row.waveform_key, to };
      } else await deps.store.delete('waveforms', to);
    }
    if (row.artwork_key && !isPubliclyServable('images', row.artwork_key)) {
      // Every size of the old layout sits next to the artwork key: move them all under one token.
      const token = unguessableToken();
      const folder = row.artwork_key.slice(0, row.artwork_key.lastIndexOf('/') + 1);
      const moved: Array<{ from: string; to: string }> = [];
      for await (const o of deps.store.list('images', folder)) {
        const name = o.key.slice(folder.length);
        const m = /^([0-9]{1,5})\.(jpg|png|webp)$/.exec(name);
        if (!m) continue;
        const to = keys.versionArtwork(row.id, token, Number(m[1]), m[2]!);
        const obj = await deps.store.get('images', o.key);
        await deps.store.put('images', to, obj.body, {
          contentType: obj.contentType,
          contentLength: obj.contentLength,
        });
        moved.push({ from: o.key, to });
      }
      const target = moved.find((m) => m.from === row.artwork_key);
      if (target) {
        const switched = await deps.db
          .updateTable('track_versions')
          .set({ artwork_key: target.to, updated_at: sql`now()` })
          .where('id', '=', row.id)
          .where('artwork_key', '=', row.artwork_key)
          .executeTakeFirst();
        const keep = Number(switched.numUpdatedRows) === 1;
        for (const m of moved) await deps.store.delete('images', keep ? m.from : m.to);
        if (keep) done.artwork = { from: row.artwork_key, to: target.to, files: moved.length };
      } else {
        for (const m of moved) await deps.store.delete('images', m.to);
      }
    }
    if (done.waveform || done.artwork) out.push(done);
  }
  return out;
}

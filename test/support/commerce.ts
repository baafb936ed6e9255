import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import type { Mailer, MailMessage } from '@earshot/mail';
import type { ObjectStore } from '@earshot/storage';
import { keys } from '@earshot/storage';
import { generateTone } from './audio.ts';
import { createReadyTrack } from './factories.ts';

/** Sets a price on a track (the library feature edits it through PATCH; tests write it directly). */
export async function priceTrack(
  db: Kysely<Database>,
  trackId: string,
  price: { amountMinor: number; currency: string; pwyw?: boolean } | null,
  downloadable = false,
): Promise<void> {
  await db
    .updateTable('tracks')
    .set({
      price_amount_minor: price?.amountMinor ?? null,
      price_currency: price?.currency.toUpperCase() ?? null,
      price_pwyw: price?.pwyw ?? false,
      downloadable,
    })
    .where('id', '=', trackId)
    .execute();
}

/** A release of `trackIds` in that order, with a price. */
export async function createRelease(
  db: Kysely<Database>,
  ownerId: string,
  title: string,
  trackIds: string[],
  price: { amountMinor: number; currency: string; pwyw?: boolean } | null,
): Promise<string> {
  const slug =
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'release';
  const r = await db
    .insertInto('releases')
    .values({
      owner_user_id: ownerId,
      title,
      slug,
      type: 'album',
      price_amount_minor: price?.amountMinor ?? null,
      price_currency: price?.currency.toUpperCase() ?? null,
      price_pwyw: price?.pwyw ?? false,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [position, trackId] of trackIds.entries())
    await db.insertInto('release_tracks').values({ release_id: r.id, position, track_id: trackId }).execute();
  return r.id;
}

/**
 * A ready track whose original is a real WAV tone in storage (so download formats can be made
 * from it by real ffmpeg), titled `title`.
 */
export async function createTrackWithOriginal(
  db: Kysely<Database>,
  store: ObjectStore,
  tmpDir: string,
  ownerId: string,
  title: string,
  seconds = 2,
): Promise<{ id: string; versionId: string }> {
  const slug = `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${Math.random().toString(36).slice(2, 7)}`;
  const t = await createReadyTrack(db, ownerId, slug, { durationMs: seconds * 1000 });
  const file = await generateTone(path.join(tmpDir, `${slug}.wav`), { seconds, freq: 330 });
  const key = keys.original(t.versionId, 'wav');
  await store.putFile('originals', key, file, { contentType: 'audio/wav' });
  await db
    .updateTable('track_versions')
    .set({
      original_key: key,
      codec: 'pcm_s16le',
      bit_depth: 16,
      sample_rate: 44100,
      channels: 2,
      audio_stream_index: 0,
    })
    .where('id', '=', t.versionId)
    .execute();
  await db.updateTable('tracks').set({ title }).where('id', '=', t.id).execute();
  return t;
}

/** A mailer that keeps what it is given. */
export function capturingMailer(): Mailer & { sent: MailMessage[] } {
  const sent: MailMessage[] = [];
  return { kind: 'file', sent, send: async (m) => void sent.push(m), close: async () => {} };
}

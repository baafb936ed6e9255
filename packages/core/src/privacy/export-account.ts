import { once } from 'node:events';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { sql, type Kysely, type Selectable } from 'kysely';
import { ZipArchive } from 'archiver';
import type { Database } from '@earshot/db';
import type { ObjectStore } from '@earshot/storage';
import type { Actor } from '../actor.ts';
import { notFound } from '../errors.ts';

/**
 * The account export (docs/architecture.md, "Privacy"): one ZIP of everything the account holds —
 * `profile.json`, `tracks.json` (metadata and versions), `comments.json`, `likes.json`,
 * `playlists.json`, `purchases.json`, `plays.json` — and under `originals/` every master they
 * uploaded, byte for byte (stored, not recompressed). Streamed: the rows are read first (so a
 * failure is an error reply, not a broken file), then each original is fetched only when the
 * previous one has been written, so memory stays flat however much they uploaded.
 */
export interface AccountExport {
  filename: string;
  stream: Readable;
}

const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
/** A name safe inside a ZIP on every system. */
const safeName = (name: string) =>
  name
    .replace(/[^\w.\- ]+/g, '_')
    .replace(/^\.+/, '_')
    .slice(0, 120) || 'file';

/** Every row of the account's tracks, playlists or orders (whose `column` names it), in id order. */
async function rowsOf<T extends 'tracks' | 'playlists' | 'orders'>(
  db: Kysely<Database>,
  table: T,
  column: 'owner_user_id' | 'buyer_user_id',
  userId: string,
): Promise<Selectable<Database[T]>[]> {
  const query = sql<
    Selectable<Database[T]>
  >`select * from ${sql.table(table)} where ${sql.ref(column)} = ${userId} order by id`;
  return (await query.execute(db)).rows;
}

export async function exportAccount(
  deps: { db: Kysely<Database>; store: Pick<ObjectStore, 'get'>; clock: () => Date },
  actor: Actor,
): Promise<AccountExport> {
  const db = deps.db;
  const user = await db
    .selectFrom('users')
    .select(['id', 'email', 'handle', 'display_name', 'bio', 'role', 'email_verified_at', 'created_at', 'updated_at'])
    .where('id', '=', actor.id)
    .executeTakeFirst();
  if (!user) throw notFound('User');
  const tracks = await rowsOf(db, 'tracks', 'owner_user_id', actor.id);
  const trackIds = tracks.map((t) => t.id);
  const versions = trackIds.length
    ? await db
        .selectFrom('track_versions')
        .select([
          'id',
          'track_id',
          'status',
          'original_key',
          'original_filename',
          'original_size_bytes',
          'duration_ms',
          'sample_rate',
          'channels',
          'codec',
          'bit_depth',
          'integrated_lufs',
          'loudness_range',
          'true_peak_dbtp',
          'track_gain_db',
          'created_at',
          'ready_at',
        ])
        .where('track_id', 'in', trackIds)
        .orderBy('id')
        .execute()
    : [];
  const comments = await db
    .selectFrom('comments')
    .select([
      'id',
      'track_id',
      'parent_id',
      'body',
      'position_ms',
      'created_at',
      'deleted_at',
      'taken_down_at',
      'takedown_reason',
    ])
    .where('user_id', '=', actor.id)
    .orderBy('id')
    .execute();
  const likes = await db
    .selectFrom('likes')
    .select(['track_id', 'created_at'])
    .where('user_id', '=', actor.id)
    .orderBy('created_at')
    .execute();
  const playlists = await rowsOf(db, 'playlists', 'owner_user_id', actor.id);
  const playlistTracks = playlists.length
    ? await db
        .selectFrom('playlist_tracks')
        .select(['playlist_id', 'position', 'track_id', 'added_at'])
        .where(
          'playlist_id',
          'in',
          playlists.map((p) => p.id),
        )
        .orderBy('playlist_id')
        .orderBy('position')
        .execute()
    : [];
  const purchases = await rowsOf(db, 'orders', 'buyer_user_id', actor.id);
  const plays = await db
    .selectFrom('plays')
    .select(['track_id', 'version_id', 'seconds_listened', 'created_at'])
    .where('user_id', '=', actor.id)
    .orderBy('id')
    .execute();

  const archive = new ZipArchive({ zlib: { level: 6 } });
  const exportedAt = deps.clock();
  void (async () => {
    try {
      archive.append(json({ exportedAt, user }), { name: 'profile.json' });
      archive.append(json(tracks.map((t) => ({ ...t, versions: versions.filter((v) => v.track_id === t.id) }))), {
        name: 'tracks.json',
      });
      archive.append(json(comments), { name: 'comments.json' });
      archive.append(json(likes), { name: 'likes.json' });
      archive.append(
        json(playlists.map((p) => ({ ...p, tracks: playlistTracks.filter((pt) => pt.playlist_id === p.id) }))),
        { name: 'playlists.json' },
      );
      archive.append(json(purchases), { name: 'purchases.json' });
      archive.append(json(plays), { name: 'plays.json' });
      for (const v of versions) {
        const got = await deps.store.get('originals', v.original_key).catch(() => null);
        if (!got) continue;
        const ext = path.extname(v.original_key);
        const base = safeName(path.basename(v.original_filename, path.extname(v.original_filename)));
        const written = once(archive, 'entry');
        // Audio is already compressed (or is lossless PCM that hardly shrinks): stored as is.
        archive.append(got.body, { name: `originals/track-${v.track_id}/version-${v.id}-${base}${ext}`, store: true });
        await written;
      }
      await archive.finalize();
    } catch (err) {
      archive.destroy(err as Error);
    }
  })();
  return { filename: `earshot-${user.handle}-${exportedAt.toISOString().slice(0, 10)}.zip`, stream: archive };
}

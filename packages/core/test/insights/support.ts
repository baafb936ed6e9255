import type { Kysely } from 'kysely';
import { createDatabase, migrateToLatest, type Database, type DatabaseHandle } from '@earshot/db';
import { migratedBackends } from '@earshot/db/testing';
import { addTrackVersion } from '../../../../test/support/rows.ts';

/**
 * Both database backends, migrated: the same SQL runs on each (docs/testing.md). Each starts from the
 * migrated template (docs/testing.md, "Suite time"), so a file — and each mutant of a mutation run —
 * does not run initdb and the migrations again.
 */
export const BACKENDS = migratedBackends('insights');

export async function openMigrated(open: (typeof BACKENDS)[number][1]) {
  const opened = await open();
  await migrateToLatest(opened.handle.db);
  return opened;
}

/** A clock the test moves by hand. */
export function testClock(start: string) {
  let now = new Date(start);
  return {
    now: () => new Date(now),
    set: (at: string) => {
      now = new Date(at);
    },
  };
}

let seq = 0;
export async function insertUser(
  db: Kysely<Database>,
  role: 'listener' | 'artist' | 'admin' = 'listener',
): Promise<string> {
  const handle = `u${Date.now().toString(36)}${seq++}`;
  const row = await db
    .insertInto('users')
    .values({ email: `${handle}@example.test`, handle, display_name: handle, role, password_hash: 'x' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertTrack(
  db: Kysely<Database>,
  ownerId: string,
  options: { durationMs?: number } = {},
): Promise<{ id: string; versionId: string }> {
  const slug = `t${seq++}`;
  const track = await db
    .insertInto('tracks')
    .values({ owner_user_id: ownerId, title: slug, slug, visibility: 'public' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const version = await addTrackVersion(db, track.id, {
    duration_ms: options.durationMs ?? 180_000,
    ready_at: new Date(),
    hls_key: `version-x/master.m3u8`,
  });
  await db.updateTable('tracks').set({ current_version_id: version.id }).where('id', '=', track.id).execute();
  return { id: track.id, versionId: version.id };
}

export function ipHash(n: number): string {
  return n.toString(16).padStart(64, '0');
}

/** A stored play (the rule that decides one is tested in plays/). */
export async function insertPlay(
  db: Kysely<Database>,
  track: { id: string; versionId: string },
  at: string,
  listener: { userId?: string; ip?: number },
  options: { seconds?: number; heardPct?: number[] } = {},
): Promise<void> {
  await db
    .insertInto('plays')
    .values({
      track_id: track.id,
      version_id: track.versionId,
      user_id: listener.userId ?? null,
      ip_hash: ipHash(listener.ip ?? 1),
      seconds_listened: options.seconds ?? 60,
      created_at: at,
      heard_pct: options.heardPct ?? null,
    })
    .execute();
}

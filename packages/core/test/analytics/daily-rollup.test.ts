/**
 * `rollupDay` on PGlite: one UTC day of counts from the source tables, plays included; reruns
 * replace the counts (never add to them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, migrateToLatest, type DatabaseHandle } from '@earshot/db';
import { rollupDay, utcDay } from '../../src/index.ts';
import { addTrack, addTrackVersion } from '../../../../test/support/rows.ts';

let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await createDatabase({ pgliteDir: 'memory://' });
  await migrateToLatest(handle.db);
});
afterAll(async () => {
  await handle.close();
});

describe('rollupDay', () => {
  it('counts users, artists, uploads, processing results and plays of one UTC day', async () => {
    const db = handle.db;
    const day = '2026-05-04';
    const at = (time: string) => new Date(`${day}T${time}Z`);
    const artist = await db
      .insertInto('users')
      .values({
        email: 'a@example.test',
        handle: 'artist-a',
        display_name: 'A',
        role: 'artist',
        password_hash: 'x',
        created_at: at('01:00:00'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('users')
      .values({
        email: 'l@example.test',
        handle: 'listener-l',
        display_name: 'L',
        password_hash: 'x',
        created_at: at('23:59:59'),
      })
      .execute();
    await db
      .insertInto('users')
      .values({
        email: 'y@example.test',
        handle: 'yesterday',
        display_name: 'Y',
        password_hash: 'x',
        created_at: new Date('2026-05-03T23:59:59Z'),
      })
      .execute();
    const track = await addTrack(db, artist.id, 't', { title: 'T', created_at: at('02:00:00') });
    const version = await addTrackVersion(db, track.id, {
      original_key: 'k',
      duration_ms: 60_000,
      created_at: at('02:00:00'),
      ready_at: at('02:01:00'),
    });
    await db
      .insertInto('track_versions')
      .values({
        track_id: track.id,
        status: 'failed',
        original_key: 'k2',
        original_filename: 'b.wav',
        original_size_bytes: 1,
        steps: '{}',
        created_at: at('03:00:00'),
        updated_at: at('03:01:00'),
      })
      .execute();
    const play = (time: string, ipHash: string) => ({
      track_id: track.id,
      version_id: version.id,
      user_id: null,
      ip_hash: ipHash,
      seconds_listened: 30,
      created_at: time,
    });
    await db
      .insertInto('plays')
      .values([
        play(`${day}T00:00:00Z`, 'a'.repeat(64)),
        play(`${day}T12:00:00Z`, 'b'.repeat(64)),
        play(`${day}T23:59:59.999Z`, 'c'.repeat(64)),
        play('2026-05-05T00:00:00Z', 'd'.repeat(64)),
        play('2026-05-03T23:59:59Z', 'e'.repeat(64)),
      ])
      .execute();

    await rollupDay(db, day);
    const row = await db.selectFrom('daily_stats').selectAll().where('day', '=', day).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      new_users: 2,
      new_artists: 1,
      uploads: 2,
      versions_ready: 1,
      versions_failed: 1,
      plays: 3,
    });

    // Idempotent: a rerun after one more play replaces the count.
    await db
      .insertInto('plays')
      .values(play(`${day}T13:00:00Z`, 'f'.repeat(64)))
      .execute();
    await rollupDay(db, day);
    await rollupDay(db, day);
    const again = await db.selectFrom('daily_stats').select('plays').where('day', '=', day).executeTakeFirstOrThrow();
    expect(again.plays).toBe(4);
    await rollupDay(db, '2026-05-05');
    expect(
      (await db.selectFrom('daily_stats').select('plays').where('day', '=', '2026-05-05').executeTakeFirstOrThrow())
        .plays,
    ).toBe(1);
  });

  it('refuses a malformed day', async () => {
    await expect(rollupDay(handle.db, '2026-13-45')).rejects.toMatchObject({ status: 400 });
    await expect(rollupDay(handle.db, 'yesterday')).rejects.toMatchObject({ status: 400 });
    expect(utcDay(new Date('2026-05-04T23:30:00-02:00'))).toBe('2026-05-05');
  });
});

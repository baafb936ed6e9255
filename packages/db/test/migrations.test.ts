import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase, migrateTo, migrateToLatest, migrateToZero, type DatabaseHandle } from '../src/index.ts';
import { createTestPostgresDatabase } from '../src/testing.ts';

async function tables(handle: DatabaseHandle): Promise<string[]> {
  const { rows } = await sql<{
    table_name: string;
  }>`select table_name from information_schema.tables where table_schema = 'public' and table_name not like 'schema_migrations%' order by table_name`.execute(
    handle.db,
  );
  return rows.map((r) => r.table_name);
}

async function trackColumns(handle: DatabaseHandle): Promise<string[]> {
  const { rows } = await sql<{
    column_name: string;
  }>`select column_name from information_schema.columns where table_schema = 'public' and table_name = 'tracks' order by column_name`.execute(
    handle.db,
  );
  return rows.map((r) => r.column_name);
}

const DROPPING_MIGRATION = '20261202090000_drop_unused_tables_and_columns';
const DROPPED_BY_PREDECESSOR = '20261129080000_audio_stream_index';
const UNUSED_TRACK_COLUMNS = ['currency', 'free_download', 'genre', 'min_price_minor', 'price_minor', 'tags'];

const SHARED_SCHEMA_MIGRATION = '20261202100000_catalogue_community_commerce';
const SHARED_TABLES = [
  'comments',
  'download_events',
  'follows',
  'likes',
  'orders',
  'playlist_tracks',
  'playlists',
  'release_tracks',
  'releases',
  'reposts',
];

async function upDownUp(handle: DatabaseHandle): Promise<void> {
  const first = await migrateTo(handle.db, DROPPING_MIGRATION);
  expect(first.length).toBeGreaterThanOrEqual(2);
  expect(await tables(handle)).toEqual(
    expect.arrayContaining(['daily_stats', 'jobs', 'plays', 'track_versions', 'tracks', 'users']),
  );
  // Nothing read them: the assets table and the speculative track columns are gone…
  expect(await tables(handle)).not.toContain('assets');
  expect((await trackColumns(handle)).filter((c) => UNUSED_TRACK_COLUMNS.includes(c))).toEqual([]);
  // …and come back, as the first migration made them, when the migration that dropped them is reverted.
  const reverted = await migrateTo(handle.db, DROPPED_BY_PREDECESSOR);
  expect(reverted).toContain(`↓ ${DROPPING_MIGRATION}`);
  expect(await tables(handle)).toContain('assets');
  expect(await trackColumns(handle)).toEqual(expect.arrayContaining(UNUSED_TRACK_COLUMNS));
  const latest = await migrateToLatest(handle.db);
  expect(latest).toContain(`↑ ${DROPPING_MIGRATION}`);
  expect(latest).toContain(`↑ ${SHARED_SCHEMA_MIGRATION}`);
  expect(await tables(handle)).not.toContain('assets');
  // The shared catalogue/community/commerce schema: its tables, and a price is both parts or none.
  expect(await tables(handle)).toEqual(expect.arrayContaining(SHARED_TABLES));
  expect(await trackColumns(handle)).toEqual(
    expect.arrayContaining([
      'genre',
      'tags',
      'price_amount_minor',
      'price_currency',
      'taken_down_at',
      'like_count',
      'play_count',
    ]),
  );
  // Moderation: reports and the audit log.
  expect(await tables(handle)).toEqual(expect.arrayContaining(['reports', 'audit_log']));

  const user = await handle.db
    .insertInto('users')
    .values({ email: 'A@Example.com', handle: 'alice', display_name: 'Alice', password_hash: 'x' })
    .returning('id')
    .executeTakeFirstOrThrow();
  expect(typeof user.id).toBe('string');
  await expect(
    handle.db
      .insertInto('tracks')
      .values({ owner_user_id: user.id, title: 'x', slug: 'x', price_amount_minor: 100 })
      .execute(),
  ).rejects.toThrow(/tracks_price_complete/);
  // Emails are unique regardless of case.
  await expect(
    handle.db
      .insertInto('users')
      .values({ email: 'a@example.COM', handle: 'alice2', display_name: 'A', password_hash: 'x' })
      .execute(),
  ).rejects.toThrow(/users_email_lower_key/);
  // The index of docs/architecture.md, "Domain" exists.
  const { rows } = await sql<{
    indexdef: string;
  }>`select indexdef from pg_indexes where indexname = 'idx_tracks_owner_created'`.execute(handle.db);
  expect(rows[0]?.indexdef).toMatch(/\(owner_user_id, created_at DESC\)/);

  // Commerce: a Stripe event id is stored once (the webhook's exactly-once rule rests on it).
  expect(await tables(handle)).toEqual(expect.arrayContaining(['stripe_events', 'download_files']));
  await handle.db.insertInto('stripe_events').values({ id: 'evt_1', type: 'x', payload: '{}' }).execute();
  await expect(
    handle.db.insertInto('stripe_events').values({ id: 'evt_1', type: 'x', payload: '{}' }).execute(),
  ).rejects.toThrow(/stripe_events_pkey/);

  // The library migration: accent-folded search columns kept by the database, and slug redirects.
  const folded = await handle.db
    .insertInto('tracks')
    .values({ owner_user_id: user.id, title: 'Café Été', slug: 'cafe-ete', tags: ['Ambient'] })
    .returning(['search_title', 'search_vector'])
    .executeTakeFirstOrThrow();
  expect(folded.search_title).toBe('cafe ete');
  expect(folded.search_vector).toContain("'ambient'");
  expect(await tables(handle)).toContain('track_slug_redirects');

  // Community notifications: a like (or repost, or follow) notifies its owner once, however often it is undone and redone.
  const track = await handle.db
    .insertInto('tracks')
    .values({ owner_user_id: user.id, title: 'n', slug: 'n' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const fan = await handle.db
    .insertInto('users')
    .values({ email: 'fan@example.com', handle: 'fan', display_name: 'Fan', password_hash: 'x' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const like = { user_id: user.id, actor_user_id: fan.id, type: 'like' as const, track_id: track.id };
  await handle.db.insertInto('notifications').values(like).execute();
  await expect(handle.db.insertInto('notifications').values(like).execute()).rejects.toThrow(/notifications_once_idx/);
  await handle.db
    .insertInto('notifications')
    .values({ ...like, type: 'comment' })
    .execute();
  await handle.db
    .insertInto('notifications')
    .values({ ...like, type: 'comment' })
    .execute();

  // Insights: the daily tables, and a play's heard buckets are at most 100.
  expect(await tables(handle)).toEqual(
    expect.arrayContaining(['track_daily_stats', 'artist_daily_stats', 'trending_scores', 'rollup_progress']),
  );
  await expect(
    sql`insert into track_daily_stats (day, track_id, owner_user_id, reach_buckets, reach_plays) values ('2026-01-01', 1, ${user.id}, '{1,2}', '{1}')`.execute(
      handle.db,
    ),
  ).rejects.toThrow();

  // Provisional streams: a track names the version whose provisional stream is out; deleting that
  // version clears it.
  const processing = await handle.db
    .insertInto('track_versions')
    .values({ track_id: track.id, original_key: 'k', original_filename: 'a.wav', original_size_bytes: 1, steps: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await handle.db
    .updateTable('tracks')
    .set({ provisional_version_id: processing.id })
    .where('id', '=', track.id)
    .execute();
  await handle.db.deleteFrom('track_versions').where('id', '=', processing.id).execute();
  const cleared = await handle.db
    .selectFrom('tracks')
    .select('provisional_version_id')
    .where('id', '=', track.id)
    .executeTakeFirstOrThrow();
  expect(cleared.provisional_version_id).toBeNull();

  const down = await migrateToZero(handle.db);
  // Everything applied comes down: what `first` applied, less what was reverted, plus what `latest` re-applied and added.
  expect(down.length).toBe(first.length - reverted.length + latest.length);
  expect(await tables(handle)).toEqual([]);

  await migrateToLatest(handle.db);
  expect(await tables(handle)).toEqual(
    expect.arrayContaining(['daily_stats', 'jobs', 'plays', 'track_versions', 'tracks', 'users']),
  );
  expect(await migrateToLatest(handle.db)).toEqual([]);
}

describe('migrations up → down → up', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('on PGlite, and the data survives a restart', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-pglite-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const handle = await createDatabase({ pgliteDir: dir });
    await upDownUp(handle);
    await handle.db
      .insertInto('users')
      .values({ email: 'keep@example.com', handle: 'keeper', display_name: 'K', password_hash: 'x' })
      .execute();
    await handle.close();

    const reopened = await createDatabase({ pgliteDir: dir });
    const kept = await reopened.db.selectFrom('users').select('handle').execute();
    expect(kept.map((r) => r.handle)).toEqual(['keeper']);
    await reopened.close();
  });

  it('on PostgreSQL', async () => {
    const testDb = await createTestPostgresDatabase('migrations');
    cleanups.push(testDb.drop);
    const handle = await createDatabase({ url: testDb.url, poolMin: 0, poolMax: 4, pgliteDir: '' });
    expect(handle.kind).toBe('postgres');
    try {
      await upDownUp(handle);
    } finally {
      await handle.close();
    }
  });
});

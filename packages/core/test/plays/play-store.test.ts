/**
 * `recordPlay` with its SQL ports, on PGlite and on PostgreSQL: concurrent identical reports count
 * once, the stream's visibility rule applies, versions must be this track's, the raw IP is stored
 * nowhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { createDatabase, migrateToLatest, type Database, type DatabaseHandle } from '@earshot/db';
import { migratedBackends } from '@earshot/db/testing';
import { addTrackVersion, createReadyTrack } from '../../../../test/support/factories.ts';
import { createPlaysDeps, hashIp, recordPlay, type PlaysDeps, type Actor } from '../../src/index.ts';

const SALT = 'play-store-test-salt-0123456789abcdef';

async function insertUser(
  db: Kysely<Database>,
  handle: string,
  role: 'listener' | 'artist' | 'admin' = 'listener',
): Promise<Actor> {
  const row = await db
    .insertInto('users')
    .values({ email: `${handle}@example.test`, handle, display_name: handle, role, password_hash: 'x' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, role };
}

// Both from a migrated template (this file reruns per mutant in mutation testing).
const backends = migratedBackends('plays', 8);

describe.each(backends)('plays on %s', (_name, open) => {
  let handle: DatabaseHandle;
  let drop: (() => Promise<void>) | undefined;
  let db: Kysely<Database>;
  let deps: PlaysDeps;
  let owner: Actor;
  let listener: Actor;
  let admin: Actor;
  let pub: { id: string; versionId: string };

  beforeAll(async () => {
    ({ handle, drop } = await open());
    db = handle.db;
    await migrateToLatest(db);
    deps = createPlaysDeps(db, { ipHashSalt: SALT });
    owner = await insertUser(db, 'owner', 'artist');
    listener = await insertUser(db, 'listener');
    admin = await insertUser(db, 'admin', 'admin');
    pub = await createReadyTrack(db, owner.id, 'public-one');
  });
  afterAll(async () => {
    await handle?.close();
    await drop?.();
  });

  it('counts a play and stores it with the salted IP hash only', async () => {
    await expect(recordPlay(deps, { trackId: pub.id, secondsListened: 31.5, ip: '192.0.2.44' })).resolves.toEqual({
      counted: true,
    });
    const rows = await db.selectFrom('plays').selectAll().where('track_id', '=', pub.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      version_id: pub.versionId,
      user_id: null,
      ip_hash: hashIp('192.0.2.44', SALT),
      seconds_listened: 31.5,
    });
    const dump = await sql<{ t: string }>`select plays::text as t from plays`.execute(db);
    expect(dump.rows.map((r) => r.t).join('\n')).not.toContain('192.0.2.44');
  });

  it('concurrent identical reports count once', async () => {
    const track = await createReadyTrack(db, owner.id, 'busy-one');
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () =>
        recordPlay(deps, { trackId: track.id, secondsListened: 40, actor: listener, ip: '192.0.2.1' }),
      ),
    );
    expect(outcomes.filter((o) => o.counted)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.counted && o.reason === 'already_counted')).toHaveLength(7);
    const anonymous = await Promise.all(
      Array.from({ length: 8 }, () => recordPlay(deps, { trackId: track.id, secondsListened: 40, ip: '192.0.2.1' })),
    );
    expect(anonymous.filter((o) => o.counted)).toHaveLength(1);
    const { count } = await db
      .selectFrom('plays')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('track_id', '=', track.id)
      .executeTakeFirstOrThrow();
    expect(Number(count)).toBe(2);
    // The track's play count moved with each counted play, in the same transaction.
    const { play_count } = await db
      .selectFrom('tracks')
      .select('play_count')
      .where('id', '=', track.id)
      .executeTakeFirstOrThrow();
    expect(play_count).toBe(2);
  });

  it('30 minutes after the counted play, the listener counts again', async () => {
    let now = Date.parse('2026-04-01T10:00:00Z');
    const timed = createPlaysDeps(db, { ipHashSalt: SALT, clock: () => new Date(now) });
    const track = await createReadyTrack(db, owner.id, 'timed-one');
    const play = () => recordPlay(timed, { trackId: track.id, secondsListened: 30, actor: listener, ip: '192.0.2.2' });
    await expect(play()).resolves.toEqual({ counted: true });
    now += 30 * 60_000 - 1;
    await expect(play()).resolves.toEqual({ counted: false, reason: 'already_counted' });
    now += 1;
    await expect(play()).resolves.toEqual({ counted: true });
  });

  it('follows the stream visibility rule', async () => {
    const priv = await createReadyTrack(db, owner.id, 'private-one', { visibility: 'private' });
    const report = (actor?: Actor) =>
      recordPlay(deps, { trackId: priv.id, secondsListened: 30, actor, ip: '192.0.2.3' });
    await expect(report()).rejects.toMatchObject({ status: 404 });
    await expect(report(listener)).rejects.toMatchObject({ status: 404 });
    await expect(report(owner)).resolves.toEqual({ counted: true });
    await expect(report(admin)).resolves.toEqual({ counted: true });
    // Not playable yet (still processing): 404 like the stream.
    const processing = await createReadyTrack(db, owner.id, 'processing-one', { ready: false });
    await expect(
      recordPlay(deps, { trackId: processing.id, secondsListened: 30, actor: owner, ip: '192.0.2.3' }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      recordPlay(deps, { trackId: '999999999', secondsListened: 30, ip: '192.0.2.3' }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('a version must be a ready version of this track', async () => {
    const other = await createReadyTrack(db, owner.id, 'other-one');
    const track = await createReadyTrack(db, owner.id, 'versioned-one', { durationMs: 10_000 });
    const report = (versionId: string, secondsListened = 10) =>
      recordPlay(deps, { trackId: track.id, versionId, secondsListened, actor: listener, ip: '192.0.2.4' });
    await expect(report(other.versionId)).rejects.toMatchObject({ status: 400, details: { field: 'versionId' } });
    await expect(report('not-a-number')).rejects.toMatchObject({ status: 400 });
    // The version's own duration is the one that counts: 10 s, so 60 s is a lie.
    await expect(report(track.versionId, 60)).rejects.toMatchObject({
      status: 400,
      details: { field: 'secondsListened' },
    });
    await expect(report(track.versionId)).resolves.toEqual({ counted: true });
  });

  it('an older ready version of the track counts with its own length; one not ready, without a stream or unknown does not', async () => {
    const track = await createReadyTrack(db, owner.id, 'replaced-one', { durationMs: 200_000 });
    // The master the player loaded before the owner replaced it: ready, streamed, 40 s long.
    const older = await addTrackVersion(db, track.id, { duration_ms: 40_000, hls_key: 'hls/older/master.m3u8' });
    const report = (versionId: string, secondsListened: number, ip = '192.0.2.60') =>
      recordPlay(deps, { trackId: track.id, versionId, secondsListened, actor: null, ip });
    // 90 s is more than the older version lasts: its own length is the one checked, not the current one's.
    await expect(report(older.id, 90)).rejects.toMatchObject({ status: 400, details: { field: 'secondsListened' } });
    await expect(report(older.id, 35)).resolves.toEqual({ counted: true });
    const row = await db
      .selectFrom('plays')
      .select(['version_id'])
      .where('track_id', '=', track.id)
      .executeTakeFirstOrThrow();
    expect(row.version_id).toBe(older.id);

    const refusal = {
      status: 400,
      message: 'versionId is not a playable version of this track',
      details: { field: 'versionId' },
    };
    const processing = await addTrackVersion(db, track.id, { status: 'processing', duration_ms: 40_000 });
    const unstreamed = await addTrackVersion(db, track.id, { duration_ms: 40_000 });
    for (const versionId of [
      processing.id,
      unstreamed.id,
      '999999999',
      `x${older.id}`,
      `${older.id}x`,
      '0',
      '1'.repeat(19),
    ])
      await expect(report(versionId, 35, '192.0.2.61'), versionId).rejects.toMatchObject(refusal);
  });

  it('ranges reported again within the window are added to the counted play, which is not counted twice', async () => {
    const track = await createReadyTrack(db, owner.id, 'ranged-one', { durationMs: 100_000 });
    const report = (ranges: number[][]) =>
      recordPlay(deps, { trackId: track.id, secondsListened: 31, actor: listener, ip: '192.0.2.70', ranges });
    await expect(report([[0, 31_000]])).resolves.toEqual({ counted: true });
    await expect(report([[50_000, 81_000]])).resolves.toMatchObject({ counted: false });
    const rows = await db.selectFrom('plays').select(['heard_pct']).where('track_id', '=', track.id).execute();
    expect(rows).toHaveLength(1);
    const heard = rows[0]!.heard_pct!.map(Number);
    expect(heard).toContain(0);
    expect(heard).toContain(30);
    expect(heard).toContain(50);
    expect(heard).toContain(80);
    expect(heard).not.toContain(40);
    const { play_count } = await db
      .selectFrom('tracks')
      .select('play_count')
      .where('id', '=', track.id)
      .executeTakeFirstOrThrow();
    expect(Number(play_count)).toBe(1);
  });

  it('a play of a first upload still being processed, naming its version, counts against it', async () => {
    // Its provisional stream is out (what makes it playable while processing).
    const track = await createReadyTrack(db, owner.id, 'first-upload-processing', {
      ready: false,
      provisional: true,
      durationMs: 100_000,
    });
    await expect(
      recordPlay(deps, {
        trackId: track.id,
        versionId: track.versionId,
        secondsListened: 31,
        actor: listener,
        ip: '192.0.2.80',
      }),
    ).resolves.toEqual({ counted: true });
    const row = await db
      .selectFrom('plays')
      .select('version_id')
      .where('track_id', '=', track.id)
      .executeTakeFirstOrThrow();
    expect(row.version_id).toBe(track.versionId);
  });

  it('one account reporting at once from several addresses counts once', async () => {
    const track = await createReadyTrack(db, owner.id, 'roaming-one');
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        recordPlay(deps, { trackId: track.id, secondsListened: 40, actor: listener, ip: `198.51.100.${i + 1}` }),
      ),
    );
    expect(outcomes.filter((o) => o.counted)).toHaveLength(1);
    const rows = await db.selectFrom('plays').select('id').where('track_id', '=', track.id).execute();
    expect(rows).toHaveLength(1);
  });
});

/**
 * The visibility rule (packages/core/src/visibility.ts) as SQL and as a row check, on PGlite:
 * for every combination of visibility, playability, takedown and a disabled owner, and for each
 * kind of caller, the query helpers and the row checks agree, and they say what the rule says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import {
  createDatabase,
  migrateToLatest,
  type Database,
  type DatabaseHandle,
  type Role,
  type Visibility,
} from '@earshot/db';
import {
  canSeeRelease,
  canSeeTrack,
  isTrackListed,
  releaseListed,
  releaseVisibleTo,
  trackListed,
  trackVisibleTo,
  type Actor,
} from '../src/index.ts';
import { addTrackVersion } from '../../../test/support/rows.ts';

let handle: DatabaseHandle;
let db: Kysely<Database>;
const actors: Record<string, Actor | null> = {};

async function user(handleName: string, role: Role, disabled = false): Promise<Actor> {
  const row = await db
    .insertInto('users')
    .values({
      email: `${handleName}@example.test`,
      handle: handleName,
      display_name: handleName,
      role,
      password_hash: 'x',
      disabled_at: disabled ? new Date() : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, role };
}

interface Case {
  id: string;
  ownerUserId: string;
  visibility: Visibility;
  currentVersionId: string | null;
  provisionalVersionId: string | null;
  takenDownAt: Date | null;
  ownerDisabledAt: Date | null;
}
const trackCases: Case[] = [];

beforeAll(async () => {
  handle = await createDatabase({ pgliteDir: 'memory://' });
  db = handle.db;
  await migrateToLatest(db);
  const owner = await user('owner', 'artist');
  const gone = await user('gone', 'artist', true);
  actors.anonymous = null;
  actors.owner = owner;
  actors.listener = await user('listener', 'listener');
  actors.otherArtist = await user('other', 'artist');
  actors.admin = await user('admin', 'admin');
  let n = 0;
  for (const ownerRow of [
    { actor: owner, disabledAt: null },
    { actor: gone, disabledAt: new Date() },
  ]) {
    for (const visibility of ['public', 'unlisted', 'private'] as const) {
      // A ready current version; a first upload still processing whose provisional stream is out; neither.
      for (const playable of ['current', 'provisional', false] as const) {
        for (const takenDown of [false, true]) {
          n += 1;
          const track = await db
            .insertInto('tracks')
            .values({
              owner_user_id: ownerRow.actor.id,
              title: `t${n}`,
              slug: `t${n}`,
              visibility,
              taken_down_at: takenDown ? new Date() : null,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          let currentVersionId: string | null = null;
          let provisionalVersionId: string | null = null;
          if (playable) {
            const version = await db
              .insertInto('track_versions')
              .values({
                track_id: track.id,
                status: playable === 'current' ? 'ready' : 'processing',
                original_key: 'x',
                original_filename: 'a.wav',
                original_size_bytes: 1,
                steps: '{}',
              })
              .returning('id')
              .executeTakeFirstOrThrow();
            if (playable === 'current') currentVersionId = version.id;
            else provisionalVersionId = version.id;
            await db
              .updateTable('tracks')
              .set({ current_version_id: currentVersionId, provisional_version_id: provisionalVersionId })
              .where('id', '=', track.id)
              .execute();
          }
          trackCases.push({
            id: track.id,
            ownerUserId: ownerRow.actor.id,
            visibility,
            currentVersionId,
            provisionalVersionId,
            takenDownAt: takenDown ? new Date() : null,
            ownerDisabledAt: ownerRow.disabledAt,
          });
        }
      }
    }
  }
});

afterAll(async () => {
  await handle?.close();
});

describe('tracks', () => {
  it('the SQL helpers and the row checks agree for every caller', async () => {
    for (const [name, actor] of Object.entries(actors)) {
      const visible = await db
        .selectFrom('tracks as t')
        .select('t.id')
        .where((eb) => trackVisibleTo(eb, actor, 't'))
        .execute();
      const expected = trackCases.filter((c) => canSeeTrack(actor, c)).map((c) => c.id);
      expect(visible.map((r) => r.id).sort(), name).toEqual(expected.sort());
    }
    const listed = await db
      .selectFrom('tracks as t')
      .select('t.id')
      .where((eb) => trackListed(eb, 't'))
      .execute();
    expect(listed.map((r) => r.id).sort()).toEqual(
      trackCases
        .filter(isTrackListed)
        .map((c) => c.id)
        .sort(),
    );
  });

  it('says what the rule says', () => {
    const live = trackCases.find(
      (c) => c.visibility === 'public' && c.currentVersionId && !c.takenDownAt && !c.ownerDisabledAt,
    )!;
    const unlisted = trackCases.find(
      (c) => c.visibility === 'unlisted' && c.currentVersionId && !c.takenDownAt && !c.ownerDisabledAt,
    )!;
    const privateOne = trackCases.find(
      (c) => c.visibility === 'private' && c.currentVersionId && !c.takenDownAt && !c.ownerDisabledAt,
    )!;
    const takenDown = trackCases.find(
      (c) => c.visibility === 'public' && c.currentVersionId && c.takenDownAt && !c.ownerDisabledAt,
    )!;
    const processing = trackCases.find(
      (c) =>
        c.visibility === 'public' &&
        !c.currentVersionId &&
        !c.provisionalVersionId &&
        !c.takenDownAt &&
        !c.ownerDisabledAt,
    )!;
    const streaming = (visibility: Visibility) =>
      trackCases.find(
        (c) => c.visibility === visibility && c.provisionalVersionId && !c.takenDownAt && !c.ownerDisabledAt,
      )!;
    const ownerDisabled = trackCases.find(
      (c) => c.visibility === 'public' && c.currentVersionId && !c.takenDownAt && c.ownerDisabledAt,
    )!;
    expect(isTrackListed(live)).toBe(true);
    expect(isTrackListed(unlisted)).toBe(false);
    expect(canSeeTrack(null, unlisted)).toBe(true);
    for (const hidden of [privateOne, takenDown, processing, ownerDisabled]) {
      expect(canSeeTrack(null, hidden)).toBe(false);
      expect(canSeeTrack(actors.listener, hidden)).toBe(false);
      expect(canSeeTrack(actors.admin, hidden)).toBe(true);
    }
    for (const own of [privateOne, takenDown, processing]) expect(canSeeTrack(actors.owner, own)).toBe(true);
    // Playable while processing (docs/performance.md, "Playable in seconds"): anyone may open a
    // public or unlisted one, a private one stays its owner's; lists wait until it is ready.
    expect(isTrackListed(streaming('public'))).toBe(false);
    expect(canSeeTrack(null, streaming('public'))).toBe(true);
    expect(isTrackListed(streaming('unlisted'))).toBe(false);
    expect(canSeeTrack(null, streaming('unlisted'))).toBe(true);
    expect(canSeeTrack(actors.listener, streaming('private'))).toBe(false);
    expect(canSeeTrack(actors.owner, streaming('private'))).toBe(true);
  });
});

describe('releases', () => {
  it('a scheduled release is its owner’s until its date, in SQL and in the row check', async () => {
    const owner = actors.owner!;
    const now = new Date('2026-12-02T12:00:00Z');
    const future = new Date('2027-01-01T00:00:00Z');
    const past = new Date('2026-01-01T00:00:00Z');
    const rows = [];
    for (const [slug, releaseDate] of [
      ['out', past],
      ['soon', future],
      ['undated', null],
    ] as const) {
      const row = await db
        .insertInto('releases')
        .values({ owner_user_id: owner.id, title: slug, slug, type: 'album', release_date: releaseDate })
        .returning('id')
        .executeTakeFirstOrThrow();
      rows.push({ id: row.id, slug, releaseDate });
    }
    const listed = await db
      .selectFrom('releases as r')
      .select('r.slug')
      .where((eb) => releaseListed(eb, now, 'r'))
      .orderBy('r.slug')
      .execute();
    expect(listed.map((r) => r.slug)).toEqual(['out', 'undated']);
    const asOwner = await db
      .selectFrom('releases as r')
      .select('r.slug')
      .where((eb) => releaseVisibleTo(eb, owner, now, 'r'))
      .orderBy('r.slug')
      .execute();
    expect(asOwner.map((r) => r.slug)).toEqual(['out', 'soon', 'undated']);
    for (const r of rows) {
      const facts = {
        ownerUserId: owner.id,
        visibility: 'public' as const,
        releaseDate: r.releaseDate,
        takenDownAt: null,
        ownerDisabledAt: null,
      };
      expect(canSeeRelease(null, facts, now)).toBe(r.slug !== 'soon');
      expect(canSeeRelease(owner, facts, now)).toBe(true);
    }
  });
});

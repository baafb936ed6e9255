/**
 * Notification delivery on PGlite (docs/architecture.md, "Community"): a committed notification
 * pushes the unread count on the live bus and queues one `email` job per user, kind, track and
 * hour (a burst of likes is one job); the job sends one email summing them up with a one-click
 * unsubscribe link that turns that kind off; nothing is sent for a kind turned off.
 * The mailer and the queue are fakes of their ports; the database is real.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { createDatabase, migrateToLatest, type Database, type DatabaseHandle } from '@earshot/db';
import type { MailMessage, Mailer } from '@earshot/mail';
import {
  createNotificationDelivery,
  getEmailPreferences,
  InProcessProgressBus,
  sendNotificationEmail,
  toggleTrack,
  unsubscribe,
  type EmailJob,
  type LiveEvent,
} from '../../src/index.ts';
import { addTrack, addTrackVersion } from '../../../../test/support/rows.ts';

const SECRET = 'unsubscribe-test-secret';
let handle: DatabaseHandle;
let db: Kysely<Database>;
let owner: { id: string; role: 'listener' | 'artist' };
let trackId: string;

async function user(handle: string, role: 'listener' | 'artist' = 'listener') {
  const row = await db
    .insertInto('users')
    .values({ email: `${handle}@example.test`, handle, display_name: handle.toUpperCase(), role, password_hash: 'x' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, role } as const;
}

beforeAll(async () => {
  handle = await createDatabase({ pgliteDir: 'memory://' });
  db = handle.db;
  await migrateToLatest(db);
  owner = await user('owner', 'artist');
  const track = await addTrack(db, owner.id, 'loved', { title: 'Loved' });
  const version = await addTrackVersion(db, track.id, { duration_ms: 60_000, hls_key: 'version-1/playlist.m3u8' });
  await db.updateTable('tracks').set({ current_version_id: version.id }).where('id', '=', track.id).execute();
  trackId = track.id;
});
afterAll(async () => {
  await handle?.close();
});

describe('delivery', () => {
  it('a burst of likes: live counts for the owner, one email job, one email naming them', async () => {
    const live = new InProcessProgressBus();
    const events: LiveEvent[] = [];
    live.subscribe((e) => events.push(e));
    const jobs = new Map<string, EmailJob>();
    const queue = {
      add: async (_q: 'email', data: EmailJob, o: { jobId: string }) =>
        void (jobs.has(o.jobId) || jobs.set(o.jobId, data)),
    };
    const delivered: Array<Promise<void>> = [];
    const delivery = createNotificationDelivery({
      db,
      live,
      jobs: queue,
      clock: () => new Date('2026-12-02T10:00:00Z'),
    });
    const deps = {
      db,
      delivery: {
        deliver: (l: Parameters<typeof delivery.deliver>[0]) => {
          const p = delivery.deliver(l);
          delivered.push(p);
          return p;
        },
      },
    };
    // Likes are off by email by default: turn them on for this owner.
    await db.insertInto('notification_settings').values({ user_id: owner.id, email_like: true }).execute();
    for (const name of ['ann', 'ben', 'cy']) await toggleTrack(deps, await user(name), 'like', trackId, true);
    await Promise.all(delivered);
    expect(
      events.filter((e) => e.type === 'notification').map((e) => (e as { unreadCount: number }).unreadCount),
    ).toEqual([1, 2, 3]);
    expect([...jobs.values()]).toEqual([{ userId: owner.id, type: 'like', trackId }]);

    const sent: MailMessage[] = [];
    const mailer: Mailer = { kind: 'file', send: async (m) => void sent.push(m), close: async () => {} };
    const result = await sendNotificationEmail(
      { db, mailer, publicUrl: 'https://earshot.test', unsubscribeSecret: SECRET },
      [...jobs.values()][0]!,
    );
    expect(result).toEqual({ sent: true });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toBe('owner@example.test');
    expect(sent[0]!.subject).toBe('CY and 2 others liked "Loved"');
    const link = /https:\/\/earshot\.test\/unsubscribe\?token=(\S+)/.exec(sent[0]!.text);
    expect(link).not.toBeNull();

    // One click: likes by email are off, nothing else changes; the next job sends nothing.
    await expect(unsubscribe({ db }, SECRET, decodeURIComponent(link![1]!))).resolves.toEqual({ type: 'like' });
    expect(await getEmailPreferences({ db }, owner.id)).toMatchObject({ like: false, comment: true, follow: true });
    await expect(
      sendNotificationEmail(
        { db, mailer, publicUrl: 'https://earshot.test', unsubscribeSecret: SECRET },
        { userId: owner.id, type: 'like', trackId },
      ),
    ).resolves.toEqual({ sent: false });
    expect(sent).toHaveLength(1);
    // A token signed with another key, or for another kind, does nothing.
    await expect(unsubscribe({ db }, 'other', decodeURIComponent(link![1]!))).rejects.toThrow(/not valid/);
    await expect(
      unsubscribe({ db }, SECRET, decodeURIComponent(link![1]!).replace('.like.', '.follow.')),
    ).rejects.toThrow(/not valid/);
  });
});

/**
 * The studio's "Retry" (`POST /tracks/:id/retry`), on PGlite and PostgreSQL with the real jobs
 * port: a failed newest version goes back to processing and its unfinished steps are queued again
 * (the done ones are not); anything else — a ready track, one still processing, another artist's
 * track, an unknown or absurd id, a retry twice in a row — is refused and queues nothing.
 */
import type { Kysely } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@earshot/db';
import { MEDIA_STEPS } from '@earshot/core';
import type { JobQueue } from '@earshot/jobs';
import { createReadyTrack } from '../../../test/support/factories.ts';
import { useTestApi } from '../../../test/support/use-test-api.ts';
import { cookieHeaders, createUser, sessionFor, type TestUser } from './support/accounts.ts';

describe.each(['pglite', 'postgres'] as const)('retrying failed processing on %s', (database) => {
  const api = useTestApi({ infra: { database } });
  let db: Kysely<Database>;
  let jobs: JobQueue;
  let owner: TestUser;
  let other: TestUser;
  let listener: TestUser;
  const as = async (user: TestUser) => cookieHeaders(await sessionFor(db, api.t.config, user.id));
  const waiting = async () => {
    let n = 0;
    for (const step of MEDIA_STEPS) n += (await jobs.getJobCounts(step)).waiting;
    return n;
  };
  const retry = async (id: string, user: TestUser | null) =>
    api.app.inject({ method: 'POST', url: `/api/v1/tracks/${id}/retry`, headers: user ? await as(user) : {} });

  async function failedTrack(slug: string) {
    const t = await createReadyTrack(db, owner.id, slug, { ready: false });
    await db
      .updateTable('track_versions')
      .set({
        status: 'failed',
        failure_reason: 'Transcoding to streaming formats: the worker ran out of time',
        steps: JSON.stringify({
          transcode: { state: 'failed', progress: 0, error: 'timeout' },
          waveform: { state: 'done', progress: 100 },
          'artwork-extract': { state: 'done', progress: 100 },
          loudness: { state: 'pending', progress: 0 },
        }),
      })
      .where('id', '=', t.versionId)
      .execute();
    return t;
  }

  beforeAll(async () => {
    db = api.db;
    jobs = api.t.infra.jobs;
    owner = await createUser(db, 'artist');
    other = await createUser(db, 'artist');
    listener = await createUser(db, 'listener');
  }, 60_000);

  it('queues the unfinished steps of a failed version again and shows it processing', async () => {
    const t = await failedTrack('failed-once');
    const before = await waiting();
    const res = await retry(t.id, owner);
    expect(res.statusCode, res.body).toBe(202);
    const version = await db
      .selectFrom('track_versions')
      .select(['status', 'failure_reason', 'steps'])
      .where('id', '=', t.versionId)
      .executeTakeFirstOrThrow();
    expect(version.status).toBe('processing');
    expect(version.failure_reason).toBeNull();
    const steps = version.steps as unknown as Record<string, { state: string }>;
    expect(steps.transcode?.state).toBe('pending');
    expect(steps.waveform?.state).toBe('done');
    expect(steps.loudness?.state).toBe('pending');
    // transcode and loudness, not the two steps already done.
    expect((await waiting()) - before).toBe(2);
    expect((await jobs.getJobCounts('transcode')).waiting).toBeGreaterThanOrEqual(1);
    expect((await jobs.getJobCounts('waveform')).waiting).toBe(0);

    // A second retry while it processes: nothing to retry, nothing queued.
    const again = await retry(t.id, owner);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('nothing_to_retry');
    expect((await waiting()) - before).toBe(2);
  });

  it('refuses what is not the owner’s failed track and changes nothing', async () => {
    const t = await failedTrack('not-yours');
    const ready = await createReadyTrack(db, owner.id, 'all-fine');
    const before = await waiting();
    const cases: Array<[string, TestUser | null, number, string]> = [
      [t.id, null, 401, 'unauthorized'],
      [t.id, listener, 403, 'forbidden'],
      [t.id, other, 403, 'forbidden'],
      [ready.id, owner, 409, 'nothing_to_retry'],
      ['999999999', owner, 404, 'not_found'],
      // An id that cannot exist: the owner check finds no such track.
      ['1 or 1=1', owner, 404, 'not_found'],
      ['-1', owner, 404, 'not_found'],
      ['99999999999999999999999', owner, 404, 'not_found'],
    ];
    for (const [id, user, status, code] of cases) {
      const res = await api.app.inject({
        method: 'POST',
        url: `/api/v1/tracks/${encodeURIComponent(id)}/retry`,
        headers: user ? await as(user) : {},
      });
      expect(res.statusCode, `${id} as ${user?.role ?? 'anonymous'}: ${res.body}`).toBe(status);
      expect(res.json().error.code).toBe(code);
    }
    const version = await db
      .selectFrom('track_versions')
      .select('status')
      .where('id', '=', t.versionId)
      .executeTakeFirstOrThrow();
    expect(version.status).toBe('failed');
    expect(await waiting()).toBe(before);
  });
});

/**
 * Fault: the object store unavailable while uploads arrive and the worker processes them. s3rver
 * (the S3 API the platform speaks to MinIO with) is stopped, every connection cut, then started
 * again at the same address with the same data: a minute in production, a few seconds here, and
 * the retry window of the media steps is checked to cover well over a minute.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MEDIA_STEPS } from '@earshot/core';
import { QUEUE_OPTIONS } from '@earshot/jobs';
import { Client, health, tone, waitForTracks } from './support/platform.ts';
import { faultSuite } from './support/suite.ts';
import { waitUntil } from './support/services.ts';

const f = faultSuite({ name: 's3' });

/** Sum of the waits between the attempts of a queue: how long an outage it rides out. */
const retryWindowMs = (q: keyof typeof QUEUE_OPTIONS) => {
  const { attempts, backoffMs } = QUEUE_OPTIONS[q];
  let total = 0;
  for (let a = 1; a < attempts; a++) total += backoffMs * 2 ** (a - 1);
  return total;
};

describe('the object store unavailable', () => {
  it('media steps retry for longer than a minute-long outage', () => {
    // 4 attempts (the former setting) gave 35 s: a minute without storage failed every upload in processing.
    for (const step of MEDIA_STEPS) expect(retryWindowMs(step), step).toBeGreaterThanOrEqual(5 * 60_000);
  });

  it('refuses uploads cleanly while it lasts, then processes every accepted upload once', async () => {
    const api = f.platform.apis[0]!;
    const artist = await Client.register(api.url);
    const file = await tone(f.tmp, 'tone.wav', 4);
    const accepted: string[] = [];
    const up = async (title: string) => {
      const r = await artist.upload(file, title);
      if (r.status === 201) accepted.push(r.json.track.id);
      return r;
    };
    const baseline = await up('Before');
    expect(baseline.status, baseline.text).toBe(201);
    expect([...(await waitForTracks(f.platform.db, accepted)).values()]).toEqual(['ready']);

    // Two uploads accepted, and the store goes away as their processing starts.
    const [a, b] = await Promise.all([up('Processing 1'), up('Processing 2')]);
    expect([a.status, b.status]).toEqual([201, 201]);
    await f.s3.stop();
    const down = await health(api.url);
    expect(down.status).toBe(503);
    expect(down.body.checks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ service: 'storage', healthy: false }),
        expect.objectContaining({ service: 'database', healthy: true }),
      ]),
    );
    // An upload cannot be stored: a JSON 503, nothing written, no temp file left.
    const refused = await up('During');
    expect(refused.status, refused.text).toBe(503);
    expect(refused.json.error.code).toBe('service_unavailable');
    expect(await readdir(path.join(f.platform.dataDir, 'tmp', 'uploads')).catch(() => [])).toEqual([]);
    const { rows } = await f.platform.db.query(`select count(*)::int as n from tracks where title = 'During'`);
    expect(rows[0].n).toBe(0);
    // Reads that need only the database still work.
    expect((await artist.req('GET', `/api/v1/tracks/${accepted[0]}`)).status).toBe(200);
    // Until a media step has failed an attempt on the missing store and been set to retry (5 s to the
    // first retry): the outage is then one the queue must ride out, whatever the machine's speed.
    await waitUntil(
      'a media step attempt to fail while the store is away',
      async () => f.platform.logs().some((l) => l.msg === 'job attempt failed' && l.willRetry === true),
      600,
      100,
    );

    await f.s3.start();
    await waitUntil('health to recover', async () => (await health(api.url)).status === 200, 300, 200);
    const after = await up('After');
    expect(after.status, after.text).toBe(201);

    const statuses = await waitForTracks(f.platform.db, accepted);
    expect([...statuses.values()]).toEqual(accepted.map(() => 'ready'));
    const logs = f.platform.logs();
    const perJob = new Map<string, number>();
    for (const l of logs.filter((l) => l.msg === 'job completed'))
      perJob.set(`${l.queue}/${l.jobId}`, (perJob.get(`${l.queue}/${l.jobId}`) ?? 0) + 1);
    for (const [job, n] of perJob) expect(n, job).toBe(1);
    // The outage was felt by the worker (attempts failed and were retried), and by nothing else.
    const failedAttempts = logs.filter((l) => l.msg === 'job attempt failed');
    expect(failedAttempts.every((l) => l.willRetry === true)).toBe(true);
    expect(
      logs.filter(
        (l) =>
          (l.proc.startsWith('api') && l.level === 'error') ||
          (typeof l.level === 'number' && l.level >= 50 && l.proc.startsWith('api')),
      ),
    ).toEqual([]);
    for (const h of [...f.platform.apis, ...f.platform.workers])
      expect(h.proc.child.exitCode, h.proc.output().slice(-3000)).toBeNull();
    console.log(`object store outage: ${failedAttempts.length} step attempts failed and were retried`);
  });
});

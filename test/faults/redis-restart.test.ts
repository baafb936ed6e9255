import { describe, expect, it } from 'vitest';
import { Client, health, tone, waitForTracks } from './support/platform.ts';
import { faultSuite } from './support/suite.ts';
import { waitUntil } from './support/services.ts';

const f = faultSuite({
  name: 'redis',
  privateRedis: true,
  // A version with no progress for 3 s counts as stuck (production: 30 min), so an upload whose
  // jobs could not be queued during the outage is re-queued within the test.
  platform: { env: { PROCESSING_STUCK_AFTER: '3s' } },
});

describe('Redis restarted during jobs and rate limiting', () => {
  it('keeps limiting, loses no accepted upload, runs each job once, and health says so while it lasts', async () => {
    const api = f.platform.apis[0]!;
    const artist = await Client.register(api.url);
    const file = await tone(f.tmp);
    const accepted: string[] = [];
    const up = async (title: string) => {
      const r = await artist.upload(file, title);
      if (r.status === 201) accepted.push(r.json.track.id);
      return r;
    };
    expect((await up('Before')).status).toBe(201);
    expect(await waitForTracks(f.platform.db, accepted)).toEqual(new Map([[accepted[0]!, 'ready']]));
    // Queued just before the outage: its jobs are in Redis when it stops.
    expect((await up('Queued')).status).toBe(201);

    // Failed sign-ins from one address count in the `auth` zone (5 a minute).
    const victim = await Client.register(api.url, 'listener');
    const badLogin = (ip: string) =>
      new Client(api.url).req(
        'POST',
        '/api/v1/auth/login',
        { email: victim.email, password: 'wrong-password-1' },
        { 'x-forwarded-for': ip },
      );
    for (let i = 0; i < 3; i++) expect((await badLogin('10.9.0.1')).status).toBe(401);

    await f.redis.stop();
    const down = await health(api.url);
    expect(down.status, JSON.stringify(down.body)).toBe(503);
    expect(down.body.checks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ service: 'redis', healthy: false }),
        expect.objectContaining({ service: 'database', healthy: true }),
      ]),
    );

    // During the outage: reads and uploads are served (the jobs of an upload are queued once Redis
    // is back), and the rate limits still hold, per process.
    const read = await artist.req('GET', `/api/v1/tracks/${accepted[0]}`);
    expect(read.status, read.text).toBe(200);
    const during = await up('During');
    expect(during.status, during.text).toBe(201);
    const limited: number[] = [];
    for (let i = 0; i < 7; i++) limited.push((await badLogin('10.9.0.2')).status);
    expect(limited.filter((s) => s === 429).length, limited.join(',')).toBeGreaterThan(0);
    expect(
      limited.filter((s) => s >= 500),
      limited.join(','),
    ).toEqual([]);

    await f.redis.start();
    await waitUntil('health to recover', async () => (await health(api.url)).status === 200, 300, 200);
    // The counter kept in Redis across the restart (append-only file): 3 failures + 3 more = limited.
    const after: number[] = [];
    for (let i = 0; i < 3; i++) after.push((await badLogin('10.9.0.1')).status);
    expect(after).toContain(429);
    expect((await up('After')).status).toBe(201);

    const statuses = await waitForTracks(f.platform.db, accepted);
    expect([...statuses.values()]).toEqual(accepted.map(() => 'ready'));
    // Each processing job ran to completion once per version: one transcode, one waveform.
    const steps = await f.platform.db.query<{ steps: Record<string, { state: string; attempts?: number }> }>(
      'select steps from track_versions where track_id = any($1::bigint[])',
      [accepted],
    );
    for (const row of steps.rows) for (const s of Object.values(row.steps)) expect(s.state).toBe('done');
    const completions = f.platform.logs().filter((l) => l.msg === 'job completed');
    const perJob = new Map<string, number>();
    for (const l of completions) perJob.set(`${l.queue}/${l.jobId}`, (perJob.get(`${l.queue}/${l.jobId}`) ?? 0) + 1);
    expect(perJob.size).toBeGreaterThan(0);
    for (const [job, n] of perJob) expect(n, job).toBe(1);
    for (const h of [...f.platform.apis, ...f.platform.workers])
      expect(h.proc.child.exitCode, h.proc.output().slice(-3000)).toBeNull();
  });
});

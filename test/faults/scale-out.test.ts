import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { LOCKOUT, MEDIA_STEPS } from '@earshot/core';
import { Client, tone, waitForTracks } from './support/platform.ts';
import { faultSuite } from './support/suite.ts';
import { edgeClient } from './support/edge.ts';
import { waitUntil } from './support/services.ts';

const f = faultSuite({ name: 'scale-out', edge: true, platform: { apis: 2, workers: 2 } });

describe('two APIs and two workers', () => {
  it('relay upload progress to a socket on the other API, and run each job once', async () => {
    const [api1, api2] = f.platform.apis as [(typeof f.platform.apis)[0], (typeof f.platform.apis)[0]];
    const artist = await Client.register(api1.url);
    const events: Array<{ type: string; trackId?: string; status?: string; step?: string }> = [];
    const ws = new WebSocket(`ws://127.0.0.1:${api2.port}/api/v1/ws`, {
      headers: { authorization: `Bearer ${artist.token}` },
    });
    ws.on('message', (data) => events.push(JSON.parse(data.toString())));
    await waitUntil('the socket hello', () => events.some((e) => e.type === 'hello'), 200, 50);

    // Uploads through both APIs: the workers share the queue.
    const file = await tone(f.tmp);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await new Client(f.platform.apis[i % 2]!.url, artist.token).upload(file, `Scaled ${i}`);
      expect(r.status, r.text).toBe(201);
      ids.push(r.json.track.id);
    }
    expect([...(await waitForTracks(f.platform.db, ids)).values()]).toEqual(ids.map(() => 'ready'));
    // The socket on API 2 heard every track, those uploaded through API 1 included, turn ready.
    await waitUntil(
      'ready events on the other API',
      () =>
        ids.every((id) => events.some((e) => e.type === 'version.status' && e.trackId === id && e.status === 'ready')),
      200,
      50,
    );
    expect(events.some((e) => e.type === 'version.step' && e.trackId === ids[0])).toBe(true);
    ws.close();

    const logs = f.platform.logs();
    const perJob = new Map<string, string[]>();
    for (const l of logs.filter((l) => l.msg === 'job completed'))
      perJob.set(`${l.queue}/${l.jobId}`, [...(perJob.get(`${l.queue}/${l.jobId}`) ?? []), l.proc]);
    // Each step of each version completed exactly once, on one of the two workers.
    const versions = (
      await f.platform.db.query<{ id: string }>(
        'select id::text from track_versions where track_id = any($1::bigint[])',
        [ids],
      )
    ).rows;
    expect(versions).toHaveLength(ids.length);
    for (const { id } of versions) {
      for (const step of MEDIA_STEPS) {
        const runs = [...perJob.entries()]
          .filter(([k]) => k.startsWith(`${step}/${step}-version-${id}-`))
          .flatMap(([, procs]) => procs);
        expect(runs, `${step} of version ${id}`).toHaveLength(1);
      }
    }
    for (const [job, procs] of perJob) expect(procs, job).toHaveLength(1);
    expect(logs.filter((l) => l.msg === 'job completed').every((l) => l.proc.startsWith('worker'))).toBe(true);
  });

  it('share rate limits and lockouts between the APIs', async () => {
    const [api1, api2] = f.platform.apis as [(typeof f.platform.apis)[0], (typeof f.platform.apis)[0]];
    const user = await Client.register(api1.url, 'listener');
    // The `auth` zone: 5 sign-in attempts a minute per address, whichever API they reach.
    const attempt = (api: typeof api1, ip: string, password = 'wrong-password-1') =>
      new Client(api.url).req('POST', '/api/v1/auth/login', { email: user.email, password }, { 'x-forwarded-for': ip });
    const zone: number[] = [];
    for (let i = 0; i < 6; i++) zone.push((await attempt(i % 2 ? api2 : api1, '10.77.0.1')).status);
    // 3 + 3 per process would pass; counted together the sixth is over the limit.
    expect(zone).toEqual([401, 401, 401, 401, 401, 429]);

    // The account lockout: failures from many addresses, alternating APIs, lock it on both.
    const other = await Client.register(api2.url, 'listener');
    const fail = (api: typeof api1, i: number, password = 'wrong-password-1') =>
      new Client(api.url).req(
        'POST',
        '/api/v1/auth/login',
        { email: other.email, password },
        { 'x-forwarded-for': `10.78.0.${i}` },
      );
    for (let i = 0; i < LOCKOUT.freeFailures; i++) expect((await fail(i % 2 ? api2 : api1, i)).status).toBe(401);
    for (const api of [api1, api2]) {
      const locked = await fail(api, 100 + (api.port % 100), other.password);
      expect(locked.status, locked.text).toBe(429);
      expect(locked.json.error.code).toBe('account_locked');
    }
  });

  it('lose only in-flight requests when one API is killed under load', async () => {
    const artist = await Client.register(f.platform.apis[0]!.url);
    const up = await artist.upload(await tone(f.tmp, 'load.wav', 3), 'Under load');
    expect(up.status).toBe(201);
    const trackId: string = up.json.track.id;
    expect([...(await waitForTracks(f.platform.db, [trackId])).values()]).toEqual(['ready']);

    const CLIENTS = 12;
    let deadAt = 0;
    let done = false;
    const perClient = Array.from({ length: CLIENTS }, () => ({
      failures: [] as Array<{ what: string; error: string; startedBeforeKill: boolean }>,
      ok: 0,
      okAfterKill: 0,
    }));
    const run = async (i: number) => {
      const c = edgeClient(f.edge, { localAddress: `127.0.1.${10 + i}`, maxSockets: 1 });
      const stat = perClient[i]!;
      try {
        for (let n = 0; n < 400 && !(done && stat.okAfterKill >= 5); n++) {
          // Each client stays within production nginx's `api` zone (100 requests a minute per
          // address, burst 20) as a real player does: a burst of 15, then one request per 650 ms.
          // Unpaced, a fast client spent its burst before the slowest had 3 answers and every
          // request after the kill was a 429 from nginx, which is not what this test is about.
          if (n >= 15) await new Promise((resolve) => setTimeout(resolve, 650));
          const startedAt = Date.now();
          // In flight at the death: sent before the API's exit was seen (SIGKILL is not instant).
          const before = deadAt === 0;
          const [what, p] =
            n % 3 === 2
              ? ([
                  'play',
                  c.send('POST', `/api/v1/tracks/${trackId}/plays`, JSON.stringify({ secondsListened: 3 })),
                ] as const)
              : (['read', c.get(n % 3 ? `/api/v1/tracks/${trackId}/stream` : `/api/v1/tracks/${trackId}`)] as const);
          try {
            const r = await p;
            if (r.status >= 500 || r.status === 429)
              stat.failures.push({
                what,
                error: `${r.status} ${r.body.toString().slice(0, 120)}`,
                startedBeforeKill: before,
              });
            else {
              stat.ok++;
              if (deadAt && startedAt > deadAt) stat.okAfterKill++;
            }
          } catch (err) {
            stat.failures.push({ what, error: (err as Error).message, startedBeforeKill: before });
          }
        }
      } finally {
        c.close();
      }
    };
    const running = Promise.all(perClient.map((_, i) => run(i)));
    await waitUntil('load to build up', () => perClient.every((s) => s.ok >= 3), 600, 50);
    await f.platform.kill(f.platform.apis[0]!, 'SIGKILL');
    deadAt = Date.now();
    done = true;
    await running;

    // No client lost more than the one request it had in flight when the API died, and every
    // request sent after the kill was answered by the other API.
    for (const [i, s] of perClient.entries()) {
      expect(s.failures.length, `client ${i}: ${JSON.stringify(s.failures)}`).toBeLessThanOrEqual(1);
      expect(
        s.failures.filter((f) => !f.startedBeforeKill),
        `client ${i}`,
      ).toEqual([]);
      expect(s.okAfterKill).toBeGreaterThanOrEqual(5);
    }
    console.log(
      `scale-out kill: ${perClient.reduce((n, s) => n + s.ok, 0)} answered, ${perClient.reduce((n, s) => n + s.failures.length, 0)} lost in flight`,
    );
  });
});

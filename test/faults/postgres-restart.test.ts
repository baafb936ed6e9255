import { describe, expect, it } from 'vitest';
import { Client, health, tone, waitForTracks } from './support/platform.ts';
import { faultSuite } from './support/suite.ts';
import { waitUntil } from './support/services.ts';

const f = faultSuite({ name: 'pg', privatePostgres: true });

describe('PostgreSQL restarted during uploads and plays', () => {
  it('loses no acknowledged upload or play, health says so while it lasts, and all serve again after', async () => {
    const api = f.platform.apis[0]!;
    const artist = await Client.register(api.url);
    const file = await tone(f.tmp);
    const first = await artist.upload(file, 'Before');
    expect(first.status, first.text).toBe(201);
    const trackId: string = first.json.track.id;
    expect(await waitForTracks(f.platform.db, [trackId])).toEqual(new Map([[trackId, 'ready']]));

    let listener = 0;
    const play = () =>
      new Client(api.url).req(
        'POST',
        `/api/v1/tracks/${trackId}/plays`,
        { secondsListened: 3 },
        { 'x-forwarded-for': `10.0.${Math.floor(++listener / 250)}.${listener % 250}` },
      );
    const accepted: string[] = [trackId];
    const playsAcked: number[] = [];
    const outcomes: Array<{ what: string; status: number; code?: string }> = [];
    const record = (what: string, r: { status: number; json: any }) =>
      outcomes.push({ what, status: r.status, code: r.json?.error?.code });

    // Before: all is well.
    expect((await health(api.url)).status).toBe(200);
    for (let i = 0; i < 3; i++) {
      const r = await play();
      record('play', r);
      if (r.status === 201) playsAcked.push(listener);
    }

    await f.postgres.stop();
    // During the outage: health says the database is down; writes are refused with a JSON error
    // (never a hang, never a 201 that did not happen).
    const down = await health(api.url);
    expect(down.status).toBe(503);
    expect(down.body.checks.find((c: { service: string }) => c.service === 'database')).toMatchObject({
      healthy: false,
    });
    const duringUpload = await artist.upload(file, 'During');
    record('upload', duringUpload);
    if (duringUpload.status === 201) accepted.push(duringUpload.json.track.id);
    for (let i = 0; i < 3; i++) {
      const r = await play();
      record('play', r);
      if (r.status === 201) playsAcked.push(listener);
    }
    for (const o of outcomes.slice(3)) {
      expect(o.status, JSON.stringify(o)).toBe(503);
      expect(o.code, JSON.stringify(o)).toBe('service_unavailable');
    }

    await f.postgres.start();
    // After: health turns healthy by itself (no process restarted), uploads and plays go through.
    await waitUntil('health to recover', async () => (await health(api.url)).status === 200, 300, 200);
    for (let i = 0; i < 2; i++) {
      const r = await artist.upload(file, `After ${i}`);
      record('upload', r);
      expect(r.status, r.text).toBe(201);
      accepted.push(r.json.track.id);
    }
    for (let i = 0; i < 3; i++) {
      const r = await play();
      record('play', r);
      expect(r.status, r.text).toBe(201);
      playsAcked.push(listener);
    }

    // Every accepted upload is ready; every acknowledged play is stored exactly once.
    const statuses = await waitForTracks(f.platform.db, accepted);
    expect([...statuses.values()]).toEqual(accepted.map(() => 'ready'));
    const { rows } = await f.platform.db.query('select count(*)::int as n from plays where track_id = $1', [trackId]);
    expect(rows[0].n).toBe(playsAcked.length);
    // The worker, too, came back: no job failed for good.
    const failed = await f.platform.db.query(`select count(*)::int as n from track_versions where status = 'failed'`);
    expect(failed.rows[0].n).toBe(0);
    // Nothing crashed.
    for (const h of [...f.platform.apis, ...f.platform.workers])
      expect(h.proc.child.exitCode, h.proc.output().slice(-3000)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { Client, tone, waitForTracks } from './support/platform.ts';
import { faultSuite } from './support/suite.ts';
import { edgeClient, playlistEntries } from './support/edge.ts';

const f = faultSuite({ name: 'nginx', edge: true });

const LISTENERS = 8;
const RELOADS = 3;

describe('nginx reloaded under load', () => {
  it('every request of every listener succeeds across reloads', async () => {
    const artist = await Client.register(f.platform.apis[0]!.url);
    const up = await artist.upload(await tone(f.tmp, 'tone.wav', 8), 'Reloaded');
    expect(up.status, up.text).toBe(201);
    const trackId: string = up.json.track.id;
    expect([...(await waitForTracks(f.platform.db, [trackId])).values()]).toEqual(['ready']);

    const failures: string[] = [];
    let requests = 0;
    let stop = false;
    let reloadsDone = 0;
    let staleRetries = 0;
    const cyclesAfterLastReload = new Array<number>(LISTENERS).fill(0);
    const listener = async (i: number) => {
      const client = edgeClient(f.edge, { localAddress: `127.0.0.${10 + i}` });
      const check = async (what: string, p: Promise<{ status: number; body: Buffer }>, ok: number[] = [200]) => {
        requests++;
        try {
          const r = await p;
          if (!ok.includes(r.status)) failures.push(`${what}: ${r.status} ${r.body.toString().slice(0, 200)}`);
          return r;
        } catch (err) {
          failures.push(`${what}: ${(err as Error).message}`);
          return undefined;
        }
      };
      try {
        const stream = await check('stream', client.get(`/api/v1/tracks/${trackId}/stream`));
        if (!stream) return;
        const master: string = JSON.parse(stream.body.toString()).hls;
        const base = master.slice(0, master.lastIndexOf('/') + 1);
        // Bounded: until the reloads are over and this listener has streamed the track once more.
        for (let cycle = 0; cycle < 200 && !(stop && cyclesAfterLastReload[i]! >= 1); cycle++) {
          const after = reloadsDone === RELOADS;
          const m = await check('master', client.get(master));
          if (!m) continue;
          for (const variant of playlistEntries(m.body.toString())) {
            const v = await check('variant', client.get(base + variant));
            if (!v) continue;
            const dir = base + variant.slice(0, variant.lastIndexOf('/') + 1);
            for (const file of playlistEntries(v.body.toString())) await check('segment', client.get(dir + file));
          }
          if (after) cyclesAfterLastReload[i]!++;
        }
        await check(
          'play',
          client.send('POST', `/api/v1/tracks/${trackId}/plays`, JSON.stringify({ secondsListened: 8 })),
          [201, 200],
        );
      } finally {
        staleRetries += client.stats.staleRetries;
        client.close();
      }
    };
    const running = Promise.all(Array.from({ length: LISTENERS }, (_, i) => listener(i)));
    for (let r = 0; r < RELOADS; r++) {
      // Let traffic flow (keep-alive connections open on the old workers), then reload.
      const before = requests;
      while (requests < before + 40 && failures.length === 0) await new Promise((res) => setTimeout(res, 20));
      f.edge.reload();
      reloadsDone++;
    }
    stop = true;
    await running;

    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(RELOADS * 40);
    console.log(
      `nginx reload: ${requests} requests, ${RELOADS} reloads, ${staleRetries} GETs sent again after a keep-alive connection closed under them`,
    );
    // Every listener's play was stored (one per address).
    const { rows } = await f.platform.db.query('select count(*)::int as n from plays where track_id = $1', [trackId]);
    expect(rows[0].n).toBe(LISTENERS);
    expect(await f.edge.nginx.errorLog()).not.toMatch(/\[(emerg|alert|crit)\]/);
  });
});

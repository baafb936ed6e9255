/**
 * Soak (bounded): the production platform (API and worker processes, PostgreSQL, Redis, S3 via
 * s3rver, the production nginx) on loopback, with BENCH_LISTENERS simulated listeners (500 by
 * default), each on its own loopback address and keep-alive TLS connection through nginx: it asks
 * for a track's signed stream, fetches the master and variant playlists, the init segment and every
 * segment at a listener's pace (BENCH_THINK_MS between requests), reports its play, and moves to the
 * next track. Meanwhile a writer registers accounts and uploads masters.
 *
 *   npm run bench:soak        (BENCH_SECONDS=120 BENCH_LISTENERS=500 BENCH_THINK_MS=3000 by default)
 *
 * Every BENCH_SAMPLE_SECONDS the resident memory and open file descriptors of the API, the worker
 * and nginx are read from /proc. Prints requests, errors, latencies per kind, the samples, and the
 * growth of memory and fds from the first to the last third of the run (after a warm-up third).
 * Exits 1 on any error (a non-2xx answer or a failed request), on an upload not ready at the end,
 * or when fds grow by more than BENCH_FD_GROWTH (default 20 %) or memory by more than
 * BENCH_RSS_GROWTH (default 25 %) between the middle and the last third.
 *
 * Databases and Redis: BENCH_PG_ADMIN_URL (default the local PostgreSQL; a fresh database is made and
 * dropped) and BENCH_REDIS_URL (default redis://127.0.0.1:6379, own key prefix).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TEST_PG_ADMIN_URL } from '../../packages/db/src/testing.ts';
import { Client, startPlatform, tone, waitForTracks, type Platform } from '../../test/faults/support/platform.ts';
import { edgeClient, playlistEntries, startEdge, type Edge } from '../../test/faults/support/edge.ts';
import { startS3, type RestartableS3 } from '../../test/faults/support/services.ts';
import { ensureBenchPrerequisites } from '../lib/prerequisites.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 120);
const LISTENERS = Number(process.env.BENCH_LISTENERS ?? 500);
// A player fetches one 6 s segment every 6 s once its buffer is full; 3 s on average is twice that pace.
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 3000);
const SAMPLE_SECONDS = Number(process.env.BENCH_SAMPLE_SECONDS ?? 5);
const FD_GROWTH = Number(process.env.BENCH_FD_GROWTH ?? 0.2);
const RSS_GROWTH = Number(process.env.BENCH_RSS_GROWTH ?? 0.25);
const TRACKS = 3;

interface Sample {
  t: number;
  rssMb: Record<string, number>;
  fds: Record<string, number>;
}

function procStats(pids: number[]): { rssMb: number; fds: number } {
  let rss = 0;
  let fds = 0;
  for (const pid of pids) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      rss += m ? Number(m[1]) / 1024 : 0;
      fds += readdirSync(`/proc/${pid}/fd`).length;
    } catch {
      // gone
    }
  }
  return { rssMb: Math.round(rss), fds };
}

/** The process and its descendants (tsx runs the entry point in a child). */
function tree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(e)]);
    } catch {
      // gone
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(root);
  return out;
}

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

async function main(): Promise<void> {
  ensureBenchPrerequisites('soak');
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'earshot-soak-'));
  let s3: RestartableS3 | undefined;
  let platform: Platform | undefined;
  let edge: Edge | undefined;
  try {
    s3 = await startS3();
    platform = await startPlatform({
      pgAdminUrl: process.env.BENCH_PG_ADMIN_URL ?? TEST_PG_ADMIN_URL,
      redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
      s3Endpoint: s3.endpoint,
      // Production's pool sizes and rate limit (the test harness keeps pools small).
      env: { LOG_LEVEL: 'warn', RATE_LIMIT_API_PER_MINUTE: '100', DATABASE_POOL_MIN: '5', DATABASE_POOL_MAX: '20' },
    });
    edge = await startEdge({ apis: [`127.0.0.1:${platform.apis[0]!.port}`], s3Port: s3.port });
    const api = platform.apis[0]!;
    const artist = await Client.register(api.url);
    const master = await tone(tmp, 'track.wav', 20);
    const small = await tone(tmp, 'small.wav', 3);
    const trackIds: string[] = [];
    for (let i = 0; i < TRACKS; i++) {
      const r = await artist.upload(master, `Soak ${i}`);
      if (r.status !== 201) throw new Error(`setup upload: ${r.status} ${r.text}`);
      trackIds.push(r.json.track.id);
    }
    const ready = await waitForTracks(platform.db, trackIds);
    if ([...ready.values()].some((s) => s !== 'ready'))
      throw new Error(`setup tracks not ready: ${[...ready.values()]}`);
    console.log(
      `[soak] ${LISTENERS} listeners, ${SECONDS} s, ${THINK_MS} ms between a listener's requests; ${TRACKS} tracks of 20 s`,
    );

    const latencies = new Map<string, number[]>();
    const errors: string[] = [];
    let requests = 0;
    const deadline = Date.now() + SECONDS * 1000;
    const timed = async <T extends { status: number; body: Buffer }>(
      kind: string,
      p: Promise<T>,
      ok = (s: number) => s >= 200 && s < 300,
    ): Promise<T | undefined> => {
      const t0 = performance.now();
      requests++;
      try {
        const r = await p;
        (latencies.get(kind) ?? latencies.set(kind, []).get(kind)!).push(performance.now() - t0);
        if (!ok(r.status)) errors.push(`${kind}: ${r.status} ${r.body.toString().slice(0, 160)}`);
        return r;
      } catch (err) {
        errors.push(`${kind}: ${(err as Error).message}`);
        return undefined;
      }
    };
    const think = () => new Promise((r) => setTimeout(r, THINK_MS * (0.5 + Math.random())));
    let staleRetries = 0;

    const listener = async (i: number) => {
      const address = `127.1.${Math.floor((i + 1) / 250)}.${((i + 1) % 250) + 1}`;
      const c = edgeClient(edge!, { localAddress: address, maxSockets: 1 });
      try {
        // Spread the starts over the first THINK_MS × 5.
        await new Promise((r) => setTimeout(r, Math.random() * THINK_MS * 5));
        for (let n = i; Date.now() < deadline; n++) {
          const trackId = trackIds[n % trackIds.length]!;
          const stream = await timed('stream (api)', c.get(`/api/v1/tracks/${trackId}/stream`));
          // A failure is counted (and fails the run); the listener tries the next track after a pause.
          if (!stream || stream.status !== 200) {
            await think();
            continue;
          }
          const hls: string = JSON.parse(stream.body.toString()).hls;
          const base = hls.slice(0, hls.lastIndexOf('/') + 1);
          const m = await timed('playlist', c.get(hls));
          if (!m || m.status !== 200) continue;
          for (const variant of playlistEntries(m.body.toString())) {
            const v = await timed('playlist', c.get(base + variant));
            if (!v || v.status !== 200) break;
            const dir = base + variant.slice(0, variant.lastIndexOf('/') + 1);
            for (const file of playlistEntries(v.body.toString())) {
              if (Date.now() >= deadline) break;
              await think();
              await timed('segment', c.get(dir + file));
            }
          }
          await timed(
            'play (api)',
            c.send('POST', `/api/v1/tracks/${trackId}/plays`, JSON.stringify({ secondsListened: 20 })),
          );
          await think();
        }
      } finally {
        staleRetries += c.stats.staleRetries;
        c.close();
      }
    };

    const uploaded: string[] = [];
    const writer = async () => {
      const author = new Client(api.url, artist.token);
      for (let n = 0; Date.now() < deadline; n++) {
        const ip = `127.2.${Math.floor(n / 250)}.${(n % 250) + 1}`;
        const c = edgeClient(edge!, { localAddress: ip });
        await timed(
          'register (api)',
          c.send(
            'POST',
            '/api/v1/auth/register',
            JSON.stringify({
              email: `soak${n}-${Date.now()}@example.com`,
              password: `Tr0ub4dor&3-horse-soak-${n}`,
              handle: `soak${n}x${Date.now().toString(36)}`,
              role: 'listener',
            }),
          ),
        );
        c.close();
        if (n % 10 === 0) {
          const r = await author.upload(small, `Written ${n}`);
          requests++;
          if (r.status === 201) uploaded.push(r.json.track.id);
          else errors.push(`upload (api): ${r.status} ${r.text.slice(0, 160)}`);
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
    };

    const samples: Sample[] = [];
    const roles: Record<string, () => number[]> = {
      api: () => tree(api.proc.child.pid!),
      worker: () => tree(platform!.workers[0]!.proc.child.pid!),
      nginx: () => tree(edge!.nginx.child.pid!),
    };
    const t0 = Date.now();
    const sample = () => {
      const s: Sample = { t: Math.round((Date.now() - t0) / 1000), rssMb: {}, fds: {} };
      for (const [role, pids] of Object.entries(roles)) {
        const st = procStats(pids());
        s.rssMb[role] = st.rssMb;
        s.fds[role] = st.fds;
      }
      samples.push(s);
    };
    sample();
    const sampler = setInterval(sample, SAMPLE_SECONDS * 1000);
    await Promise.all([...Array.from({ length: LISTENERS }, (_, i) => listener(i)), writer()]);
    clearInterval(sampler);
    sample();
    const elapsed = (Date.now() - t0) / 1000;

    const statuses = await waitForTracks(platform.db, uploaded, 1200);
    const notReady = [...statuses.entries()].filter(([, s]) => s !== 'ready');
    const plays = (await platform.db.query('select count(*)::int as n from plays')).rows[0].n as number;

    console.log(
      `[soak] ${requests} requests in ${elapsed.toFixed(0)} s (${(requests / elapsed).toFixed(0)}/s), ${errors.length} errors, ${staleRetries} GETs resent on a closed keep-alive connection`,
    );
    for (const [kind, xs] of latencies)
      console.log(
        `[soak]   ${kind.padEnd(16)} ${String(xs.length).padStart(7)} requests  p50 ${pct(xs, 50).toFixed(1)} ms  p99 ${pct(xs, 99).toFixed(1)} ms  max ${pct(xs, 100).toFixed(0)} ms`,
      );
    console.log(
      `[soak] ${plays} plays stored; ${uploaded.length} uploads during the run, ${uploaded.length - notReady.length} ready`,
    );
    console.log(
      '[soak] samples (s: rss MB / open fds): ' +
        samples
          .map(
            (s) =>
              `${s.t}s api ${s.rssMb.api}/${s.fds.api} worker ${s.rssMb.worker}/${s.fds.worker} nginx ${s.rssMb.nginx}/${s.fds.nginx}`,
          )
          .join('\n[soak]   '),
    );
    // Growth from the middle third (warmed up) to the last third.
    const third = Math.max(1, Math.floor(samples.length / 3));
    const mid = samples.slice(third, 2 * third);
    const last = samples.slice(-third);
    let flat = true;
    for (const role of Object.keys(roles)) {
      const rssGrowth = mean(last.map((s) => s.rssMb[role]!)) / Math.max(1, mean(mid.map((s) => s.rssMb[role]!))) - 1;
      const fdGrowth = mean(last.map((s) => s.fds[role]!)) / Math.max(1, mean(mid.map((s) => s.fds[role]!))) - 1;
      const ok = rssGrowth <= RSS_GROWTH && fdGrowth <= FD_GROWTH;
      flat &&= ok;
      console.log(
        `[soak] ${role.padEnd(6)} memory ${(rssGrowth * 100).toFixed(1)} %, fds ${(fdGrowth * 100).toFixed(1)} % from the middle to the last third ${ok ? '(flat)' : '(GROWING)'}`,
      );
    }
    for (const e of errors.slice(0, 20)) console.log(`[soak]   error: ${e}`);
    const pass = errors.length === 0 && notReady.length === 0 && flat;
    console.log(
      `[soak] ${pass ? 'PASS' : 'FAIL'}: ${errors.length} errors, ${notReady.length} uploads not ready, memory and fds ${flat ? 'flat' : 'growing'}`,
    );
    process.exitCode = pass ? 0 : 1;
  } finally {
    await edge?.stop().catch(() => {});
    await platform?.close().catch(() => {});
    await s3?.destroy().catch(() => {});
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();

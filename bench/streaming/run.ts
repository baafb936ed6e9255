/**
 * Streaming benchmark (docs/architecture.md, "Performance budgets"): segment serving in embedded mode must reach ≥ 50% of
 * nginx serving the same files.
 *
 *   npm run bench:streaming     (BENCH_SECONDS=10 BENCH_ROUNDS=3 BENCH_CONNECTIONS=32 by default)
 *
 * 1. ffmpeg writes ~200 KB fMP4 segments (white noise, AAC 320k, 6.5 s, one rendition).
 * 2. (a) the real API (buildApi in embedded mode, local store) serves them at
 *    `/media/hls/<sig>/<expires>/version-1/320k/seg_NNNNN.m4s`, in its own process;
 *    (b) nginx serves the same files from the local store's folder on disk, behind the same
 *    signed-path check (`secure_link` as in nginx/templates/nginx.conf.template) and `alias`
 *    instead of the proxy to MinIO — the work nginx does per segment in production once its
 *    cache is warm. Same URLs, same signature work on both sides.
 * 3. The load generator loads each for BENCH_SECONDS after a 2 s warm-up, same connections,
 *    cycling over the segments, in turn for BENCH_ROUNDS rounds; prints each round, then the
 *    median requests/s, p50/p99 per server and the ratio.
 *
 * Load generator: wrk (one thread, a Lua script cycling over the URLs) by default.
 * BENCH_CLIENT=autocannon uses autocannon's programmatic API instead, but for these bodies it
 * measures itself: autocannon 8 appends every response chunk to a JS string
 * (`req.body += data` in lib/pipelinedRequestsQueue.js; mcollina/autocannon#485), which caps it
 * at ~300 req/s for 200 KB files here whatever the server (wrk: ~8,700 req/s from the same nginx).
 *
 * Each run says the load average before and after it and how many cores other processes used
 * meanwhile (machine busy time from /proc/stat less the server's, wrk's and this process's). When
 * others used more than BENCH_BUSY_CORES (0.25) in any run, the budget is not judged: exit 2.
 * Exits 1 when the API is below the budget on an idle machine. Everything runs on loopback and is removed after.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon, { type Result } from 'autocannon';
import { signHlsPath } from '../../packages/core/src/playback/signed-media.ts';
import { makeHlsTree } from '../../test/edge/support/hls-fixture.ts';
import { findNginx, startNginx, type NginxProcess } from '../../test/edge/support/nginx-process.ts';
import { freePort } from '../../test/support/process.ts';
import { ensureBenchPrerequisites } from '../lib/prerequisites.ts';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
/** Servers are loaded in turn, round after round; the median of the rounds is reported (shared machines drift). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const NGINX_WORKERS = process.env.BENCH_NGINX_WORKERS ?? 'auto';
const CLIENT = process.env.BENCH_CLIENT === 'autocannon' ? 'autocannon' : 'wrk';
const BUDGET = 0.5;
const SECRET = randomBytes(24).toString('hex');
const HERE = path.dirname(fileURLToPath(import.meta.url));

interface Row {
  name: string;
  rps: number;
  /** CPU time the server used per request (all its processes and threads); NaN where /proc is missing. */
  cpuUs: number;
  p50: number;
  p99: number;
  mbps: number;
  non2xx: number;
  errors: number;
}

/** The local store's folder holding `version-1/…` of the transcodes bucket, found by content. */
async function findStoredTree(dataDir: string, playlist: Buffer): Promise<string | undefined> {
  const queue = [dataDir];
  while (queue.length) {
    const dir = queue.shift()!;
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (!e.isDirectory()) continue;
      if (e.name === 'version-1') {
        const candidate = path.join(p, 'playlist.m3u8');
        if ((await readFile(candidate).catch(() => undefined))?.equals(playlist)) return dir;
      }
      queue.push(p);
    }
  }
  return undefined;
}

function nginxConf(prefix: string, port: number, root: string): string {
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((k) => `    ${k}_temp_path ${prefix}/tmp/${k};`)
    .join('\n');
  return `${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes ${NGINX_WORKERS};
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 4096; }
http {
${temp}
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    # Node keeps a connection for any number of requests; nginx would close it every 1000.
    keepalive_requests 1000000;
    types { application/vnd.apple.mpegurl m3u8; video/iso.segment m4s; audio/mp4 mp4; }
    default_type application/octet-stream;
    map $host $secure_link_secret { default "${SECRET}"; }
    server {
        listen 127.0.0.1:${port};
        location ~ "^/media/hls/(?<hls_sig>[^/]*)/(?<hls_expires>[^/]*)/version-(?<hls_version>[1-9][0-9]{0,18})/(?<hls_file>playlist\\.m3u8|[a-z0-9_-]{1,16}/(?:index\\.m3u8|init\\.mp4|seg_[0-9]{1,9}\\.m4s))$" {
            secure_link $hls_sig,$hls_expires;
            secure_link_md5 "$secure_link_expires/version-$hls_version $secure_link_secret";
            if ($secure_link = "") { return 403; }
            if ($secure_link = "0") { return 410; }
            add_header Cache-Control "private, max-age=3600, immutable";
            alias ${root}/version-$hls_version/$hls_file;
        }
    }
}
`;
}

interface Load {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  bytesPerSec: number;
  non2xx: number;
  errors: number;
}

/** wrk, one thread, cycling over `paths`; its Lua `done` hook prints the figures as JSON. */
/** CPU ticks of the last wrk run (approximate: sampled every 100 ms). */
let clientTicks = 0;

async function wrk(port: number, paths: string[], seconds: number, scriptDir: string): Promise<Load> {
  clientTicks = 0;
  const script = path.join(scriptDir, 'cycle.lua');
  await writeFile(
    script,
    `local paths = { ${paths.map((p) => JSON.stringify(p)).join(', ')} }
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('\\nRESULT {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p99_us":%d,"errors":%d,"non2xx":%d}\\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
`,
  );
  const out = await new Promise<string>((resolve, reject) => {
    const c = spawn('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '-s', script, `http://127.0.0.1:${port}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    // wrk's own CPU, sampled while it runs (gone from /proc once it exits): the machine's load less
    // the server's and the client's is what others used (see othersCores).
    const sampler = setInterval(() => {
      void procStat(c.pid!).then((st) => {
        if (st) clientTicks = st[1];
      });
    }, 100);
    c.stdout!.on('data', (d: Buffer) => (text += d.toString()));
    c.stderr!.on('data', (d: Buffer) => (text += d.toString()));
    c.on('error', (err) => {
      clearInterval(sampler);
      reject(err);
    });
    c.on('exit', (code) => {
      clearInterval(sampler);
      code === 0 ? resolve(text) : reject(new Error(`wrk exited with ${code}: ${text}`));
    });
  });
  const json = /RESULT (\{.*\})/.exec(out)?.[1];
  if (!json) throw new Error(`no result from wrk: ${out}`);
  const r = JSON.parse(json) as {
    requests: number;
    duration_us: number;
    bytes: number;
    p50_us: number;
    p99_us: number;
    errors: number;
    non2xx: number;
  };
  const secs = r.duration_us / 1e6;
  return {
    requests: r.requests,
    rps: r.requests / secs,
    p50: r.p50_us / 1000,
    p99: r.p99_us / 1000,
    bytesPerSec: r.bytes / secs,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

async function autocannonLoad(port: number, paths: string[], seconds: number): Promise<Load> {
  const r: Result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: paths.map((p) => ({ method: 'GET', path: p })),
  });
  return {
    requests: r.requests.total ?? r.requests.sent,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    bytesPerSec: r.throughput.average,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

const load = (port: number, paths: string[], seconds: number, scriptDir: string) =>
  CLIENT === 'wrk' ? wrk(port, paths, seconds, scriptDir) : autocannonLoad(port, paths, seconds);
const toRow = (name: string, r: Load, cpuSeconds: number): Row => ({
  name,
  rps: r.rps,
  cpuUs: (cpuSeconds / r.requests) * 1e6,
  p50: r.p50,
  p99: r.p99,
  mbps: r.bytesPerSec / 1e6,
  non2xx: r.non2xx,
  errors: r.errors,
});

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;

/** `[ppid, utime + stime in ticks]` of a process, from /proc (Linux); undefined elsewhere. */
async function procStat(pid: number): Promise<[number, number] | undefined> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (!text) return undefined;
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return [Number(f[1]), Number(f[11]) + Number(f[12])];
}

/** CPU seconds the whole machine has spent busy so far (all cores, /proc/stat); NaN without /proc. */
async function machineBusySeconds(): Promise<number> {
  const text = await readFile('/proc/stat', 'utf8').catch(() => undefined);
  if (!text) return Number.NaN;
  const f = text.slice(0, text.indexOf('\n')).trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy = user + nice + system, the columns the
  // processes' own utime + stime add up to (loopback's softirq work is left out on both sides).
  return (f[0]! + f[1]! + f[2]!) / CLK_TCK;
}

/**
 * Cores the rest of the machine used on average during a run: the machine's busy CPU less the
 * server's, the load generator's and this process's. Above BUSY_CORES the run is not an idle run.
 */
const BUSY_CORES = Number(process.env.BENCH_BUSY_CORES ?? 0.25);

/** CPU seconds used so far by `pid` and its direct children (nginx's workers). NaN without /proc. */
async function cpuSeconds(pid: number): Promise<number> {
  const own = await procStat(pid);
  if (!own) return Number.NaN;
  let ticks = own[1];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === pid) continue;
    const st = await procStat(Number(entry));
    if (st && st[0] === pid) ticks += st[1];
  }
  return ticks / CLK_TCK;
}

async function main(): Promise<void> {
  ensureBenchPrerequisites('streaming');
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'earshot-bench-streaming-'));
  let nginx: NginxProcess | undefined;
  const apiChildren: Array<ReturnType<typeof spawn>> = [];
  try {
    const tree = await makeHlsTree(path.join(tmp, 'src', 'version-1'), {
      seconds: 65,
      segmentSeconds: 6.5,
      source: 'noise',
      renditions: { '320k': '320k' },
    });
    const segments = tree.files.filter((f) => f.endsWith('.m4s'));
    const sizes = await Promise.all(segments.map(async (f) => (await stat(path.join(tree.root, f))).size));
    const meanKb = sizes.reduce((a, b) => a + b, 0) / sizes.length / 1024;

    // (a) the API, in its own process: as embedded mode runs it, and with its file cache off.
    const startApi = async (extraEnv: Record<string, string>) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, 'serve-api.ts'), tree.root], {
        env: { ...process.env, SECURE_LINK_SECRET: SECRET, ...extraEnv },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      apiChildren.push(child);
      return new Promise<{ port: number; dataDir: string }>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const nl = out.indexOf('\n');
          if (nl !== -1) resolve(JSON.parse(out.slice(0, nl)) as { port: number; dataDir: string });
        });
        child.once('exit', (code) => reject(new Error(`API process exited with ${code}`)));
      });
    };
    const info = await startApi({});
    const uncached = await startApi({ HLS_CACHE_BYTES: '0' });
    const [cachedPid, uncachedPid] = apiChildren.map((c) => c.pid!);

    // (b) nginx, reading the files the API's local store wrote.
    const stored = await findStoredTree(info.dataDir, await readFile(path.join(tree.root, 'playlist.m3u8')));
    const root = stored ?? path.dirname(tree.root);
    const prefix = path.join(tmp, 'nginx');
    for (const d of ['logs', 'tmp']) await mkdir(path.join(prefix, d), { recursive: true });
    const nginxPort = await freePort();
    const confPath = path.join(prefix, 'nginx.conf');
    await writeFile(confPath, nginxConf(prefix, nginxPort, root));
    nginx = await startNginx({ confPath, prefix, readyPort: nginxPort });

    const signed = signHlsPath('1', 3600, SECRET, Date.now()).path;
    const base = signed.slice(0, signed.indexOf('/version-') + 1);
    const paths = segments.map((f) => `${base}version-1/${f}`);

    // Both serve the same bytes before anything is measured.
    for (const [i, p] of paths.entries()) {
      for (const port of [info.port, uncached.port, nginxPort]) {
        const res = await fetch(`http://127.0.0.1:${port}${p}`);
        const body = Buffer.from(await res.arrayBuffer());
        if (res.status !== 200 || body.length !== sizes[i])
          throw new Error(`port ${port} ${p}: ${res.status}, ${body.length} bytes (expected ${sizes[i]})`);
      }
    }
    await access(path.join(root, 'version-1', segments[0]!));

    const nginxVersion = await new Promise<string>((resolve) => {
      const c = spawn(findNginx(), ['-v'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let s = '';
      c.stderr!.on('data', (d: Buffer) => (s += d.toString()));
      c.on('exit', () => resolve(s.trim().replace(/^nginx version: /, '')));
    });
    console.log(
      `segments: ${segments.length} × ~${meanKb.toFixed(0)} KB; client ${CLIENT}, ${CONNECTIONS} connections; ${DURATION} s per run after a 2 s warm-up, ${ROUNDS} rounds`,
    );
    console.log(
      `load average before: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    console.log(
      `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}; node ${process.version}; ${nginxVersion} (worker_processes ${NGINX_WORKERS}); nginx reads ${stored ? "the local store's folder" : 'the source folder'}`,
    );

    await load(nginxPort, paths, 2, tmp);
    await load(info.port, paths, 2, tmp);
    await load(uncached.port, paths, 2, tmp);
    const servers = [
      { name: 'nginx (secure_link + alias, sendfile)', port: nginxPort, pid: nginx.child.pid! },
      { name: 'api, embedded /media/hls/ route', port: info.port, pid: cachedPid! },
      {
        name: 'api, same route with its file cache off (streams every file from the store)',
        port: uncached.port,
        pid: uncachedPid!,
      },
    ];
    const runs: Row[][] = servers.map(() => []);
    let othersPeak = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [i, server] of servers.entries()) {
        const loadBefore = os.loadavg()[0]!;
        const cpuBefore = await cpuSeconds(server.pid);
        const machineBefore = await machineBusySeconds();
        const selfBefore = process.cpuUsage();
        const started = performance.now();
        const result = await load(server.port, paths, DURATION, tmp);
        const elapsed = (performance.now() - started) / 1000;
        const serverCpu = (await cpuSeconds(server.pid)) - cpuBefore;
        const self = process.cpuUsage(selfBefore);
        const others =
          ((await machineBusySeconds()) -
            machineBefore -
            serverCpu -
            (CLIENT === 'wrk' ? clientTicks / CLK_TCK : 0) -
            (self.user + self.system) / 1e6) /
          elapsed;
        othersPeak = Math.max(othersPeak, others);
        const row = toRow(server.name, result, serverCpu);
        runs[i]!.push(row);
        console.log(
          `round ${round}: ${server.name}: ${row.rps.toFixed(0)} req/s, p99 ${row.p99.toFixed(1)} ms, ${row.cpuUs.toFixed(0)} µs CPU/request; load average ${loadBefore.toFixed(2)} → ${os.loadavg()[0]!.toFixed(2)}, others used ${others.toFixed(2)} cores`,
        );
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
    const rows: Row[] = runs.map((r) => ({
      name: r[0]!.name,
      rps: median(r.map((x) => x.rps)),
      cpuUs: median(r.map((x) => x.cpuUs)),
      p50: median(r.map((x) => x.p50)),
      p99: median(r.map((x) => x.p99)),
      mbps: median(r.map((x) => x.mbps)),
      non2xx: r.reduce((a, x) => a + x.non2xx, 0),
      errors: r.reduce((a, x) => a + x.errors, 0),
    }));
    console.log(
      '\nmedians of the rounds:\n| server | req/s | p50 ms | p99 ms | MB/s | CPU µs/request | non-2xx | errors |\n|---|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const r of rows)
      console.log(
        `| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.mbps.toFixed(0)} | ${r.cpuUs.toFixed(0)} | ${r.non2xx} | ${r.errors} |`,
      );
    const ratio = rows[1]!.rps / rows[0]!.rps;
    const met = ratio >= BUDGET && rows.every((r) => r.non2xx === 0 && r.errors === 0);
    // Other work slows one server more than the other (nginx's two workers compete for both cores):
    // a ratio from a busy machine says nothing about the budget either way.
    const busy = !(othersPeak <= BUSY_CORES);
    const verdict = busy
      ? `NOT JUDGED: the machine was busy (other processes used up to ${Number.isNaN(othersPeak) ? '? (no /proc)' : othersPeak.toFixed(2)} cores during a run, limit ${BUSY_CORES}); rerun on an idle machine`
      : met
        ? 'met'
        : 'MISSED';
    console.log(`\napi / nginx = ${(ratio * 100).toFixed(1)}% (budget ≥ ${BUDGET * 100}%): ${verdict}`);
    console.log(`api without its file cache / nginx = ${((rows[2]!.rps / rows[0]!.rps) * 100).toFixed(1)}%`);
    // Less sensitive to other load on the machine than requests/s: work per request.
    console.log(
      `CPU per request, nginx / api = ${((rows[0]!.cpuUs / rows[1]!.cpuUs) * 100).toFixed(1)}% (cache off: ${((rows[0]!.cpuUs / rows[2]!.cpuUs) * 100).toFixed(1)}%)`,
    );
    if (busy) process.exitCode = 2;
    else if (!met) process.exitCode = 1;
  } finally {
    await nginx?.stop();
    for (const child of apiChildren) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();

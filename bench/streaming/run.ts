/**
 * Streaming benchmark (platform.md §8): segment serving in embedded mode must reach ≥ 50% of
 * nginx serving the same files.
 *
 *   npm run bench:streaming            (BENCH_SECONDS=10 BENCH_CONNECTIONS=32 by default)
 *
 * 1. ffmpeg writes ~200 KB fMP4 segments (white noise, AAC 320k, 6.5 s, one rendition).
 * 2. (a) the real API (buildApi in embedded mode, local store) serves them at
 *    `/media/hls/<sig>/<expires>/version-1/320k/seg_NNNNN.m4s`, in its own process;
 *    (b) nginx serves the same files from the local store's folder on disk, behind the same
 *    signed-path check (`secure_link` as in nginx/templates/nginx.conf.template) and `alias`
 *    instead of the proxy to MinIO — the work nginx does per segment in production once its
 *    cache is warm. Same URLs, same signature work on both sides.
 * 3. autocannon (in this process; loopback) loads each for BENCH_SECONDS after a 2 s warm-up,
 *    same connections, cycling over the segments; prints requests/s, p99 and the ratio.
 *
 * Exits 1 when the API is below the budget. Everything runs on loopback and is removed after.
 */
import { spawn } from 'node:child_process';
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

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const NGINX_WORKERS = process.env.BENCH_NGINX_WORKERS ?? 'auto';
const BUDGET = 0.5;
const SECRET = randomBytes(24).toString('hex');
const HERE = path.dirname(fileURLToPath(import.meta.url));

interface Row {
  name: string;
  rps: number;
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
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((k) => `    ${k}_temp_path ${prefix}/tmp/${k};`).join('\n');
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

async function load(name: string, port: number, paths: string[], seconds: number): Promise<Result> {
  return autocannon({ url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, duration: seconds, requests: paths.map((p) => ({ method: 'GET', path: p })) });
}

const toRow = (name: string, r: Result): Row => ({ name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, mbps: r.throughput.average / 1e6, non2xx: r.non2xx, errors: r.errors + r.timeouts });

async function main(): Promise<void> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'earshot-bench-streaming-'));
  let nginx: NginxProcess | undefined;
  let apiChild: ReturnType<typeof spawn> | undefined;
  try {
    const tree = await makeHlsTree(path.join(tmp, 'src', 'version-1'), { seconds: 65, segmentSeconds: 6.5, source: 'noise', renditions: { '320k': '320k' } });
    const segments = tree.files.filter((f) => f.endsWith('.m4s'));
    const sizes = await Promise.all(segments.map(async (f) => (await stat(path.join(tree.root, f))).size));
    const meanKb = sizes.reduce((a, b) => a + b, 0) / sizes.length / 1024;

    // (a) the API, in its own process.
    apiChild = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, 'serve-api.ts'), tree.root], { env: { ...process.env, SECURE_LINK_SECRET: SECRET }, stdio: ['ignore', 'pipe', 'inherit'] });
    const info = await new Promise<{ port: number; dataDir: string }>((resolve, reject) => {
      let out = '';
      apiChild!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const nl = out.indexOf('\n');
        if (nl !== -1) resolve(JSON.parse(out.slice(0, nl)) as { port: number; dataDir: string });
      });
      apiChild!.once('exit', (code) => reject(new Error(`API process exited with ${code}`)));
    });

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
      for (const port of [info.port, nginxPort]) {
        const res = await fetch(`http://127.0.0.1:${port}${p}`);
        const body = Buffer.from(await res.arrayBuffer());
        if (res.status !== 200 || body.length !== sizes[i]) throw new Error(`port ${port} ${p}: ${res.status}, ${body.length} bytes (expected ${sizes[i]})`);
      }
    }
    await access(path.join(root, 'version-1', segments[0]!));

    const nginxVersion = await new Promise<string>((resolve) => {
      const c = spawn(findNginx(), ['-v'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let s = '';
      c.stderr!.on('data', (d: Buffer) => (s += d.toString()));
      c.on('exit', () => resolve(s.trim().replace(/^nginx version: /, '')));
    });
    console.log(`segments: ${segments.length} × ~${meanKb.toFixed(0)} KB; ${CONNECTIONS} connections; ${DURATION} s each after a 2 s warm-up`);
    console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}; node ${process.version}; ${nginxVersion} (worker_processes ${NGINX_WORKERS}); nginx reads ${stored ? "the local store's folder" : 'the source folder'}`);

    await load('nginx warm-up', nginxPort, paths, 2);
    await load('api warm-up', info.port, paths, 2);
    const rows = [toRow('nginx (secure_link + alias, sendfile)', await load('nginx', nginxPort, paths, DURATION)), toRow('api (embedded /media/hls/ route)', await load('api', info.port, paths, DURATION))];

    console.log('\n| server | req/s | p50 ms | p99 ms | MB/s | non-2xx | errors |\n|---|---:|---:|---:|---:|---:|---:|');
    for (const r of rows) console.log(`| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.mbps.toFixed(0)} | ${r.non2xx} | ${r.errors} |`);
    const ratio = rows[1]!.rps / rows[0]!.rps;
    const met = ratio >= BUDGET && rows.every((r) => r.non2xx === 0 && r.errors === 0);
    console.log(`\napi / nginx = ${(ratio * 100).toFixed(1)}% (budget ≥ ${BUDGET * 100}%): ${met ? 'met' : 'MISSED'}`);
    if (!met) process.exitCode = 1;
  } finally {
    await nginx?.stop();
    if (apiChild && apiChild.exitCode === null) {
      const exited = new Promise((r) => apiChild!.once('exit', r));
      apiChild.kill('SIGTERM');
      await exited;
    }
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();

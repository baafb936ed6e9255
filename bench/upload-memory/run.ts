/**
 * Upload memory benchmark (docs/architecture.md, "Performance budgets"): the server's resident memory while a large master
 * streams in, sampled from /proc every 20 ms. Budgets: < 64 MB growth to local storage, < 128 MB
 * to S3 (s3rver on loopback, in a process of its own, stands in for MinIO).
 *
 *   npm run bench:upload-memory                      # 500 MB, local storage then S3
 *   UPLOAD_MB=100 UPLOAD_STORES=s3 npm run bench:upload-memory
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort, spawnTs, waitForHttp } from '../../test/support/process.ts';
import { startS3rver } from '../../packages/storage/test/s3rver.ts';
import { ffmpeg, lavfi } from '../lib/ffmpeg.ts';
import { ensureBenchPrerequisites } from '../lib/prerequisites.ts';

const targetMb = Number(process.env.UPLOAD_MB ?? 500);

async function rssKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

/** The server's process: `tsx` runs the entry in a child of the spawned node. */
async function serverPid(rootPid: number): Promise<number> {
  const children = (await readFile(`/proc/${rootPid}/task/${rootPid}/children`, 'utf8').catch(() => ''))
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  return children.length ? Number(children[children.length - 1]) : rootPid;
}

interface Store {
  name: 'local' | 's3';
  label: string;
  budgetMb: number;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** s3rver in its own process (as the S3 adapter's tests run it), so its memory is not the server's. */
async function startS3(dir: string): Promise<Store> {
  const s3 = await startS3rver(path.join(dir, 's3rver'));
  return {
    name: 's3',
    label: 'S3 (s3rver on loopback)',
    budgetMb: 128,
    env: { MINIO_ENDPOINT: new URL(s3.endpoint).host, MINIO_ACCESS_KEY: 'S3RVER', MINIO_SECRET_KEY: 'S3RVER' },
    stop: () => s3.stop(),
  };
}

async function measure(dir: string, store: Store, file: string, size: number): Promise<string> {
  const port = await freePort();
  const proc = spawnTs('test/fixtures/serve-embedded.ts', {
    DATA_DIR: path.join(dir, `data-${store.name}`),
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    UPLOAD_MAX_BYTES: String(600 * 1024 * 1024),
    ...store.env,
  });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/api/v1/health`, proc);
    const handle = `bench${randomBytes(4).toString('hex')}`;
    const reg = await fetch(`http://127.0.0.1:${port}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: `${handle}@example.com`,
        password: `bench-${randomBytes(8).toString('hex')}`,
        handle,
        role: 'artist',
      }),
    });
    const { token } = (await reg.json()) as { token: string };

    const pid = await serverPid(proc.child.pid!);
    const baseline = await rssKb(pid);
    let peak = baseline;
    const sampler = setInterval(
      () =>
        void rssKb(pid).then(
          (kb) => (peak = Math.max(peak, kb)),
          () => {},
        ),
      20,
    );

    const boundary = `----bench${randomBytes(8).toString('hex')}`;
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nBench\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="master.wav"\r\nContent-Type: audio/wav\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const t0 = performance.now();
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path: '/api/v1/tracks',
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': `multipart/form-data; boundary=${boundary}`,
            'content-length': head.length + size + tail.length,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.write(head);
      const body = createReadStream(file);
      body.on('end', () => req.end(tail));
      body.pipe(req, { end: false });
    });
    const took = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    const growthMb = (peak - baseline) / 1024;
    console.log(
      `${store.label}: upload of ${(size / 1024 / 1024).toFixed(0)} MB → HTTP ${status} in ${took.toFixed(1)} s`,
    );
    return `| ${store.label} | ${(size / 1024 / 1024).toFixed(0)} MB | ${(baseline / 1024).toFixed(0)} MB | ${(peak / 1024).toFixed(0)} MB | ${growthMb.toFixed(0)} MB | < ${store.budgetMb} MB |`;
  } finally {
    proc.child.kill('SIGKILL');
    await proc.exited;
  }
}

async function main(): Promise<void> {
  ensureBenchPrerequisites('upload-memory');
  const stores = (process.env.UPLOAD_STORES ?? 'local,s3').split(',').map((s) => s.trim());
  const dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-bench-upload-'));
  const rows: string[] = [];
  try {
    // A WAV of the target size: 16-bit stereo 44.1 kHz is 176,400 bytes a second.
    const seconds = Math.ceil((targetMb * 1024 * 1024) / 176_400);
    const file = path.join(dir, 'master.wav');
    await ffmpeg([
      ...lavfi(`anoisesrc=color=pink:amplitude=0.2:sample_rate=44100:duration=${seconds}`),
      ...['-ac', '2', '-c:a', 'pcm_s16le', file],
    ]);
    const size = (await stat(file)).size;
    for (const name of stores) {
      const store: Store =
        name === 's3'
          ? await startS3(dir)
          : { name: 'local', label: 'local storage', budgetMb: 64, env: {}, stop: async () => {} };
      try {
        rows.push(await measure(dir, store, file, size));
      } finally {
        await store.stop();
      }
    }
    console.log(`\n| upload | size | server RSS before | peak | growth | budget |\n|---|---|---|---|---|---|`);
    for (const row of rows) console.log(row);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();

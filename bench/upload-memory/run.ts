/**
 * Upload memory benchmark (platform.md §8): the server's resident memory while a large master
 * streams in, sampled from /proc every 20 ms. Budget: < 64 MB growth to local storage.
 *
 *   npm run bench:upload-memory            # 500 MB
 *   UPLOAD_MB=100 npm run bench:upload-memory
 */
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort, spawnTs, waitForHttp } from '../../test/support/process.ts';

const targetMb = Number(process.env.UPLOAD_MB ?? 500);

async function rssKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

/** The server's process: `tsx` runs the entry in a child of the spawned node. */
async function serverPid(rootPid: number): Promise<number> {
  const children = (await readFile(`/proc/${rootPid}/task/${rootPid}/children`, 'utf8').catch(() => '')).trim().split(/\s+/).filter(Boolean);
  return children.length ? Number(children[children.length - 1]) : rootPid;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-bench-upload-'));
  const port = await freePort();
  const proc = spawnTs('test/fixtures/serve-embedded.ts', { DATA_DIR: path.join(dir, 'data'), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', UPLOAD_MAX_BYTES: String(600 * 1024 * 1024) });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/api/v1/health`, proc);
    // A WAV of the target size: 16-bit stereo 44.1 kHz is 176,400 bytes a second.
    const seconds = Math.ceil((targetMb * 1024 * 1024) / 176_400);
    const file = path.join(dir, 'master.wav');
    await new Promise<void>((resolve, reject) => {
      const ff = spawn('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', `anoisesrc=color=pink:amplitude=0.2:sample_rate=44100:duration=${seconds}`, '-ac', '2', '-c:a', 'pcm_s16le', file]);
      ff.on('exit', (c) => (c === 0 ? resolve() : reject(new Error(`ffmpeg ${c}`))));
    });
    const size = (await stat(file)).size;

    const handle = `bench${randomBytes(4).toString('hex')}`;
    const reg = await fetch(`http://127.0.0.1:${port}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `${handle}@example.com`, password: `bench-${randomBytes(8).toString('hex')}`, handle, role: 'artist' }),
    });
    const { token } = (await reg.json()) as { token: string };

    const pid = await serverPid(proc.child.pid!);
    const baseline = await rssKb(pid);
    let peak = baseline;
    const sampler = setInterval(() => void rssKb(pid).then((kb) => (peak = Math.max(peak, kb)), () => {}), 20);

    const boundary = `----bench${randomBytes(8).toString('hex')}`;
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nBench\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="master.wav"\r\nContent-Type: audio/wav\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const t0 = performance.now();
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/api/v1/tracks', method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + size + tail.length } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.write(head);
      const body = createReadStream(file);
      body.on('end', () => req.end(tail));
      body.pipe(req, { end: false });
    });
    const seconds_ = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    const growthMb = (peak - baseline) / 1024;
    console.log(`upload of ${(size / 1024 / 1024).toFixed(0)} MB → HTTP ${status} in ${seconds_.toFixed(1)} s`);
    console.log(`| upload | size | server RSS before | peak | growth | budget |\n|---|---|---|---|---|---|`);
    console.log(`| local storage | ${(size / 1024 / 1024).toFixed(0)} MB | ${(baseline / 1024).toFixed(0)} MB | ${(peak / 1024).toFixed(0)} MB | ${growthMb.toFixed(0)} MB | < 64 MB |`);
  } finally {
    proc.child.kill('SIGKILL');
    await proc.exited;
    await rm(dir, { recursive: true, force: true });
  }
}

await main();

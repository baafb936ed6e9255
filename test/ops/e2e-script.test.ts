// scripts/e2e.sh against a real embedded platform (the one process of `npm start`, without the
// web app) on a free loopback port: health of api and worker, registration, upload of a
// generated FLAC, processing by the in-process worker, signed HLS playback down to a segment.
// The script is the check; this test runs it and passes only if the script does.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@earshot/config';
import { createLogger } from '@earshot/runtime';
import { startEmbeddedPlatform, type EmbeddedPlatform } from '../../apps/embedded/src/platform.ts';
import { freePort } from '../support/process.ts';
import { runScript } from './support/scripts.ts';

let platform: EmbeddedPlatform | undefined;
let dataDir: string;
let base: string;
const logs: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-e2e-'));
  const port = await freePort();
  const config = loadConfig(
    { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'test' },
    { persistDevSecrets: false },
  );
  const sink = new Writable({ write: (chunk: Buffer, _e, cb) => (logs.push(chunk.toString()), cb()) });
  platform = await startEmbeddedPlatform(config, createLogger(config, 'embedded', sink), { web: false });
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await platform?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('scripts/e2e.sh', () => {
  it(
    'passes against the embedded platform: health, register, upload, processing, HLS segment',
    async () => {
      // E2E_TIMEOUT=0: the script waits for processing as long as it takes (no wall-clock limit
      // here); a failed processing step still fails it at once.
      const r = await runScript('e2e.sh', [base], { E2E_TIMEOUT: '0', E2E_POLL_INTERVAL: '1' });
      const report = `e2e.sh exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}\n--- server warnings/errors\n${logs.join('').slice(-4000)}`;
      expect(r.code, report).toBe(0);
      for (const step of [
        '1/7 API health',
        '2/7 worker health',
        '3/7 register',
        '4/7 upload',
        '5/7 wait for processing',
        '6/7 stream URL',
        '7/7 HLS',
      ])
        expect(r.stdout).toContain(step);
      expect(r.stdout).toContain(`${base}/api/v1/worker/health: healthy`);
      expect(r.stdout).toMatch(/first segment \S+: [1-9]\d* bytes/);
      expect(r.stdout).toMatch(/\[e2e\] OK: /);
    },
    30 * 60_000,
  );

  it('fails with the step and the answer when something is wrong', async () => {
    const r = await runScript('e2e.sh', [base], { WORKER_HEALTH_URL: `${base}/api/v1/no-such-worker-health` });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('FAILED at: 2/7 worker health');
    expect(r.stderr).toMatch(/answered HTTP 404/);
  });

  it('explains its usage', async () => {
    const r = await runScript('e2e.sh', ['not-a-url'], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/base URL must be scheme:\/\/host\[:port\]/);
    const down = await runScript('e2e.sh', ['http://127.0.0.1:9'], {});
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/FAILED at: 1\/7 API health[\s\S]*no answer/);
  });
});

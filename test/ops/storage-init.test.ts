// docker/storage-init.sh (compose one-shot `minio-init`): the S3 calls it makes, recorded by a
// stand-in for the AWS CLI on PATH — what is checked is the script's own logic: buckets created
// only when missing, versioning on each, originals' policy removed only when there is one, and
// the policy documents of the public buckets being valid JSON that grants s3:GetObject on the
// bucket's objects to everyone and nothing else. The store's side (Versity S3 Gateway) is covered
// by docs/decisions/0002-versity-s3-gateway.md; the bucket names are those nginx proxies.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/process.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-storage-init-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs the script with an `aws` that appends its arguments (one JSON array a line) to a log and
 * answers head-bucket / get-bucket-policy with exit 0 for the names in EXISTING / HAS_POLICY.
 */
function run(env: Record<string, string>): {
  status: number | null;
  stdout: string;
  stderr: string;
  calls: string[][];
} {
  const bin = mkdtempSync(path.join(dir, 'bin-'));
  const log = path.join(bin, 'calls.log');
  writeFileSync(
    path.join(bin, 'aws'),
    `#!/usr/bin/env node
const fs = require('node:fs');
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ args, env: { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY, region: process.env.AWS_DEFAULT_REGION } }) + '\\n');
const bucket = args[args.indexOf('--bucket') + 1];
const has = (v) => (process.env[v] || '').split(' ').includes(bucket);
if (args.includes('head-bucket')) process.exit(has('EXISTING') ? 0 : 254);
if (process.env.FAIL_CREATE === bucket && args.includes('create-bucket')) process.exit(254);
if (args.includes('get-bucket-policy')) process.exit(has('HAS_POLICY') ? 0 : 254);
`,
  );
  chmodSync(path.join(bin, 'aws'), 0o755);
  const r = spawnSync('sh', [path.join(REPO_ROOT, 'docker/storage-init.sh')], {
    env: { PATH: `${bin}:/usr/bin:/bin`, ...env },
    encoding: 'utf8',
  });
  let lines: string[] = [];
  try {
    lines = readFileSync(log, 'utf8').trim().split('\n');
  } catch {
    // no call made
  }
  const calls = lines.filter(Boolean).map((l) => {
    const c = JSON.parse(l) as { args: string[]; env: Record<string, string> };
    expect(c.env).toEqual({
      id: 'earshot-root',
      secret: env.MINIO_ROOT_PASSWORD ?? 'from-the-file',
      region: 'us-east-1',
    });
    return c.args;
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls };
}

const s3api = (calls: string[][], op: string) =>
  calls.filter((c) => c.slice(0, 4).join(' ') === `--endpoint-url http://minio:9000 s3api ${op}`);
const bucketOf = (c: string[]) => c[c.indexOf('--bucket') + 1];

/** The MinIO root credentials the script signs in with, given in the environment. */
const ROOT = { MINIO_ROOT_USER: 'earshot-root', MINIO_ROOT_PASSWORD: 'pw' };

describe('docker/storage-init.sh', () => {
  it('creates the four buckets, turns versioning on, and makes transcodes, images, waveforms readable by anyone', () => {
    const r = run(ROOT);
    expect(r.status, r.stderr).toBe(0);
    expect(s3api(r.calls, 'create-bucket').map(bucketOf)).toEqual(['originals', 'transcodes', 'images', 'waveforms']);
    const versioning = s3api(r.calls, 'put-bucket-versioning');
    expect(versioning.map(bucketOf)).toEqual(['originals', 'transcodes', 'images', 'waveforms']);
    for (const c of versioning) expect(c.slice(-2)).toEqual(['--versioning-configuration', 'Status=Enabled']);

    const policies = s3api(r.calls, 'put-bucket-policy');
    expect(policies.map(bucketOf)).toEqual(['transcodes', 'images', 'waveforms']);
    for (const c of policies) {
      const bucket = bucketOf(c)!;
      const policy = JSON.parse(c[c.indexOf('--policy') + 1]!) as unknown;
      expect(policy).toEqual({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${bucket}/*`] },
        ],
      });
    }
    // originals: no policy to remove, none set.
    expect(s3api(r.calls, 'delete-bucket-policy')).toEqual([]);
    expect(r.stdout).toContain('versioning on');
  });

  it('is safe to rerun: existing buckets are kept, and a policy found on originals is removed', () => {
    const r = run({
      ...ROOT,
      EXISTING: 'originals transcodes images waveforms',
      HAS_POLICY: 'originals',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(s3api(r.calls, 'create-bucket')).toEqual([]);
    expect(s3api(r.calls, 'put-bucket-versioning')).toHaveLength(4);
    expect(s3api(r.calls, 'delete-bucket-policy').map(bucketOf)).toEqual(['originals']);
  });

  it('reads the password from MINIO_ROOT_PASSWORD_FILE (Docker secret), and stops at the first failing call', () => {
    writeFileSync(path.join(dir, 'pw'), 'from-the-file');
    const r = run({ MINIO_ROOT_USER: 'earshot-root', MINIO_ROOT_PASSWORD_FILE: path.join(dir, 'pw') });
    expect(r.status, r.stderr).toBe(0);

    const missing = run({ MINIO_ROOT_USER: 'earshot-root' });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/MINIO_ROOT_PASSWORD \(or MINIO_ROOT_PASSWORD_FILE\) is not set/);
    expect(missing.calls).toEqual([]);

    const failing = run({ ...ROOT, FAIL_CREATE: 'images' });
    expect(failing.status).not.toBe(0);
    expect(s3api(failing.calls, 'create-bucket').map(bucketOf)).toEqual(['originals', 'transcodes', 'images']);
    expect(s3api(failing.calls, 'put-bucket-policy')).toEqual([]);
    expect(failing.stdout).not.toContain('versioning on');
  });
});

// scripts/backup-minio.sh: natively, a local-storage install's DATA_DIR/storage is archived with
// tar, and an S3 install's buckets are copied with rclone; in compose mode the same rclone copy
// runs inside a minio-backup container. The S3 paths run the real rclone (Debian package) against
// an S3 server on loopback (s3rver) holding objects put with the AWS SDK; the compose path goes
// through a stand-in for `docker compose run` that runs the container's command here. Checked:
// one dated folder per bucket with every object byte for byte, written under a .partial name
// first. Retention goes by the date in the names and never touches anything else.
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from './support/scripts.ts';

const scratch: string[] = [];
function tempDir(label: string): string {
  const d = mkdtempSync(path.join(os.tmpdir(), `earshot-${label}-`));
  scratch.push(d);
  return d;
}

const BUCKETS = ['originals', 'transcodes', 'images', 'waveforms'];
/** key → body of every object put in the S3 server, per bucket. */
const objects: Record<string, Record<string, Buffer>> = {
  originals: {
    'version-7/original.flac': Buffer.from('fLaC-master\u0000\u00ff'),
    'version-8/original.wav': Buffer.alloc(300_000, 7),
  },
  transcodes: {
    'version-7/playlist.m3u8': Buffer.from('#EXTM3U\n'),
    'version-7/aac_128/seg_0.m4s': Buffer.from('segment'),
  },
  images: { 'artwork/version-7/300.webp': Buffer.from('RIFF-webp') },
  waveforms: {},
};
let s3: S3rver;
let s3Url: string;

beforeAll(async () => {
  s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: tempDir('s3rver'), vhostBuckets: false });
  s3Url = `http://127.0.0.1:${(await s3.run()).port}`;
  const client = new S3Client({
    endpoint: s3Url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  for (const b of BUCKETS) {
    await client.send(new CreateBucketCommand({ Bucket: b }));
    for (const [key, body] of Object.entries(objects[b]!))
      await client.send(new PutObjectCommand({ Bucket: b, Key: key, Body: body }));
  }
  client.destroy();
});

afterAll(async () => {
  await s3?.close();
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

/** Every file under `dir`, relative, with its bytes. */
function filesUnder(dir: string, base = dir): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) Object.assign(out, filesUnder(full, base));
    else out[path.relative(base, full)] = readFileSync(full);
  }
  return out;
}

function expectCopies(backups: string, date: string): void {
  expect(
    readdirSync(backups)
      .filter((f) => !f.startsWith('.'))
      .sort(),
  ).toEqual(BUCKETS.map((b) => `${b}-${date}`).sort());
  for (const b of BUCKETS) expect(filesUnder(path.join(backups, `${b}-${date}`)), b).toEqual(objects[b]);
  expect(readdirSync(backups).filter((f) => f.endsWith('.partial'))).toEqual([]);
}

/** YYYYmmdd of today minus `days`, as `date +%Y%m%d` prints it (local time). */
function day(daysAgo: number): string {
  return execFileSync('date', ['-d', `-${daysAgo} days`, '+%Y%m%d'])
    .toString()
    .trim();
}

function write(file: string, content: string | Buffer): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

describe('backup-minio.sh --native (local storage)', () => {
  it('archives DATA_DIR/storage into storage-<date>.tar.gz', async () => {
    const data = tempDir('data');
    const backups = path.join(tempDir('minio-backups'), 'nested', 'minio');
    write(path.join(data, 'storage/originals/version-1/original.flac'), Buffer.from('fLaC-master'));
    write(path.join(data, 'storage/images/artwork/1.webp'), 'RIFF-webp');
    write(path.join(data, 'storage/transcodes/version-1/playlist.m3u8'), '#EXTM3U\n');
    const dates = [day(0)];
    const r = await runScript('backup-minio.sh', ['--native'], { DATA_DIR: data, BACKUP_DIR: backups });
    dates.push(day(0)); // the run may cross midnight
    expect(r.code, r.stderr).toBe(0);
    const files = readdirSync(backups).filter((f) => !f.startsWith('.'));
    expect(files).toHaveLength(1);
    const archive = files[0]!;
    expect(dates.map((d) => `storage-${d}.tar.gz`)).toContain(archive);
    const listing = execFileSync('tar', ['-tzf', path.join(backups, archive)])
      .toString()
      .split('\n');
    expect(listing).toEqual(
      expect.arrayContaining([
        'storage/originals/version-1/original.flac',
        'storage/images/artwork/1.webp',
        'storage/transcodes/version-1/playlist.m3u8',
      ]),
    );
    const restored = tempDir('restored');
    execFileSync('tar', ['-xzf', path.join(backups, archive), '-C', restored]);
    expect(readFileSync(path.join(restored, 'storage/originals/version-1/original.flac'), 'utf8')).toBe('fLaC-master');
    expect(statSync(path.join(backups, archive)).mode & 0o077).toBe(0);
    expect(r.stdout).toContain(`archived storage -> ${archive}`);
  });

  it('deletes only its own copies dated more than RETENTION_DAYS (default 28) ago', async () => {
    const data = tempDir('data');
    write(path.join(data, 'storage/images/a.webp'), 'x');
    const backups = tempDir('minio-retention');
    const keepDir = (n: string) => mkdirSync(path.join(backups, n, 'inner'), { recursive: true });
    keepDir(`originals-${day(40)}`);
    keepDir(`transcodes-${day(29)}`);
    keepDir(`images-${day(27)}`);
    keepDir(`originals-${day(1)}`);
    keepDir(`somebucket-${day(40)}`); // not one of MINIO_BUCKETS
    keepDir('originals-latest');
    write(path.join(backups, `storage-${day(35)}.tar.gz`), 'old');
    write(path.join(backups, `storage-${day(3)}.tar.gz`), 'recent');
    write(path.join(backups, 'notes.txt'), 'keep me');
    // mtime plays no part: a fresh copy of old objects (rclone keeps their modification times) must survive.
    execFileSync('touch', ['-d', '400 days ago', path.join(backups, `originals-${day(1)}`)]);

    const r = await runScript('backup-minio.sh', ['--native'], { DATA_DIR: data, BACKUP_DIR: backups });
    expect(r.code, r.stderr).toBe(0);
    const left = readdirSync(backups)
      .filter((f) => !f.startsWith('.'))
      .sort();
    expect(left.filter((f) => !/^storage-\d{8}\.tar\.gz$/.test(f) || f === `storage-${day(3)}.tar.gz`)).toEqual(
      [
        `images-${day(27)}`,
        `originals-${day(1)}`,
        `somebucket-${day(40)}`,
        'originals-latest',
        `storage-${day(3)}.tar.gz`,
        'notes.txt',
      ].sort(),
    );
    expect(left.filter((f) => /^storage-\d{8}\.tar\.gz$/.test(f))).toHaveLength(2); // day(3)'s and today's
    expect(r.stdout).toContain(`removed old copy originals-${day(40)}`);

    const custom = await runScript('backup-minio.sh', ['--native'], {
      DATA_DIR: data,
      BACKUP_DIR: backups,
      RETENTION_DAYS: '2',
    });
    expect(custom.code, custom.stderr).toBe(0);
    expect(readdirSync(backups)).not.toContain(`storage-${day(3)}.tar.gz`);
    expect(readdirSync(backups)).toContain(`originals-${day(1)}`);
  });

  it('says what is missing', async () => {
    const empty = tempDir('nodata');
    const noStorage = await runScript('backup-minio.sh', ['--native'], { DATA_DIR: empty, BACKUP_DIR: tempDir('b') });
    expect(noStorage.code).toBe(1);
    expect(noStorage.stderr).toMatch(/no local storage at .*\/storage/);
    const s3NoKeys = await runScript('backup-minio.sh', ['--native'], {
      MINIO_ENDPOINT: 'minio.example:9000',
      BACKUP_DIR: tempDir('b'),
    });
    expect(s3NoKeys.code).toBe(1);
    expect(s3NoKeys.stderr).toMatch(/set MINIO_ACCESS_KEY and MINIO_SECRET_KEY/);
    const flag = await runScript('backup-minio.sh', ['--nope'], {});
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/usage: scripts\/backup-minio.sh/);
  });
});

describe('backup-minio.sh --native (S3 storage, rclone)', () => {
  it("copies every bucket of MINIO_ENDPOINT into <bucket>-<date>/ with the app's credentials", async () => {
    const backups = tempDir('s3-backups');
    const dates = [day(0)];
    const r = await runScript('backup-minio.sh', ['--native'], {
      MINIO_ENDPOINT: s3Url.replace('http://', ''),
      MINIO_ROOT_USER: 'S3RVER',
      MINIO_ROOT_PASSWORD: 'S3RVER',
      BACKUP_DIR: backups,
    });
    dates.push(day(0));
    expect(r.code, r.stderr).toBe(0);
    const date = readdirSync(backups)
      .find((f) => f.startsWith('originals-'))!
      .slice('originals-'.length);
    expect(dates).toContain(date);
    expectCopies(backups, date);
    expect(r.stdout).toContain(`copied originals -> originals-${date}`);
    expect(statSync(path.join(backups, `originals-${date}`)).mode & 0o077).toBe(0);
  });

  it('reads the secret from MINIO_SECRET_KEY_FILE; a bucket it cannot copy fails the run and leaves no dated copy of it', async () => {
    const dir = tempDir('s3-keys');
    write(path.join(dir, 'secret'), 'S3RVER\n');
    const env = { MINIO_ENDPOINT: s3Url, MINIO_ACCESS_KEY: 'S3RVER', MINIO_SECRET_KEY_FILE: path.join(dir, 'secret') };
    const good = await runScript('backup-minio.sh', ['--native'], { ...env, BACKUP_DIR: path.join(dir, 'good') });
    expect(good.code, good.stderr).toBe(0);
    expect(readdirSync(path.join(dir, 'good')).filter((f) => !f.startsWith('.'))).toHaveLength(4);

    const both = await runScript('backup-minio.sh', ['--native'], {
      ...env,
      MINIO_SECRET_KEY: 'S3RVER',
      BACKUP_DIR: path.join(dir, 'both'),
    });
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/set MINIO_SECRET_KEY or MINIO_SECRET_KEY_FILE, not both/);

    const bad = await runScript('backup-minio.sh', ['--native'], {
      ...env,
      MINIO_BUCKETS: 'images no-such-bucket',
      BACKUP_DIR: path.join(dir, 'bad'),
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/rclone copy failed; incomplete copies are left as \.<bucket>-\d{8}\.partial/);
    const left = readdirSync(path.join(dir, 'bad'));
    expect(left.filter((f) => f.startsWith('no-such-bucket-'))).toEqual([]);
    expect(left.filter((f) => /^\.no-such-bucket-\d{8}\.partial$/.test(f))).toHaveLength(1);
    expect(left.filter((f) => f.startsWith('images-'))).toHaveLength(1);
  });
});

describe('backup-minio.sh off-site copy (OFFSITE_TARGET, rclone)', () => {
  it('copies BACKUP_DIR to the target after the backup, without hidden entries', async () => {
    const dir = tempDir('offsite');
    const backups = path.join(dir, 'backups');
    // An unfinished copy of an earlier run: never sent off-site.
    write(path.join(backups, `.images-${day(7)}.partial`, 'half.webp'), 'half');
    // rclone destinations are remote:path or a local path; a local one keeps the test on this machine.
    const offsite = path.join(dir, 'offsite');
    const r = await runScript('backup-minio.sh', ['--native'], {
      MINIO_ENDPOINT: s3Url,
      MINIO_ROOT_USER: 'S3RVER',
      MINIO_ROOT_PASSWORD: 'S3RVER',
      BACKUP_DIR: backups,
      OFFSITE_TARGET: offsite,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`copying ${backups} to ${offsite}`);
    const date = readdirSync(backups)
      .find((f) => f.startsWith('originals-'))!
      .slice('originals-'.length);
    expectCopies(offsite, date);
    expect(readdirSync(offsite).filter((f) => f.startsWith('.'))).toEqual([]);

    const nowhere = await runScript('backup-minio.sh', ['--native'], {
      MINIO_ENDPOINT: s3Url,
      MINIO_ROOT_USER: 'S3RVER',
      MINIO_ROOT_PASSWORD: 'S3RVER',
      BACKUP_DIR: backups,
      OFFSITE_TARGET: 'undefined-remote:bucket',
    });
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toMatch(/offsite copy failed/);
  });
});

describe('backup-minio.sh compose mode, through a stand-in for docker compose', () => {
  it('copies every bucket into <bucket>-<date>/ in a minio-backup container, via a .partial folder', async () => {
    const dir = tempDir('minio-compose');
    const log = path.join(dir, 'calls.log');
    // docker compose: `ps -q minio` runs; `run … -v HOST:/backups -e K=V … --entrypoint /bin/sh
    // minio-backup -c SCRIPT -- /backups` runs SCRIPT here, with /backups mapped to HOST and the
    // service's environment (the store's address and credentials) — rclone is this machine's.
    writeFileSync(
      path.join(dir, 'compose'),
      `#!/usr/bin/env bash
set -euo pipefail
echo "compose $*" >> ${JSON.stringify(log)}
cmd="$1"; shift
case "$cmd" in
  ps) echo "shim-container" ;;
  run)
    envs=(S3_URL=${JSON.stringify(s3Url)} S3_ACCESS_KEY=S3RVER S3_SECRET_KEY=S3RVER PATH=/usr/bin:/bin); host=""
    while [ $# -gt 0 ]; do
      case "$1" in
        -v) host="\${2%%:*}"; shift 2 ;;
        -e) envs+=("$2"); shift 2 ;;
        --entrypoint) shift 2 ;;
        -c) script="$2"; shift 2; break ;;
        *) shift ;;
      esac
    done
    args=(); for a in "$@"; do args+=("\${a//\\/backups/$host}"); done
    exec env "\${envs[@]}" sh -c "$script" "\${args[@]}"
    ;;
  *) exit 1 ;;
esac
`,
    );
    chmodSync(path.join(dir, 'compose'), 0o755);
    const backups = path.join(dir, 'backups');
    mkdirSync(backups);
    mkdirSync(path.join(backups, `originals-${day(60)}`));

    const r = await runScript('backup-minio.sh', [], {
      COMPOSE: path.join(dir, 'compose'),
      BACKUP_DIR: backups,
      PATH: '/usr/bin:/bin',
    });
    expect(r.code, r.stderr).toBe(0);
    const today = /DATE=(\d{8})/.exec(readFileSync(log, 'utf8'))![1]!;
    expect([day(0), day(1)]).toContain(today);
    expectCopies(backups, today); // and the 60-day-old copy is gone
    const calls = readFileSync(log, 'utf8');
    expect(calls).toMatch(
      /^compose run --rm --no-deps -T -v .*:\/backups -e BUCKETS=originals transcodes images waveforms -e DATE=\d{8} --entrypoint \/bin\/sh minio-backup -c /m,
    );
    expect(calls).not.toMatch(/\bmc\b/);
  });
});

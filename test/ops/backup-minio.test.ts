// scripts/backup-minio.sh: natively, a local-storage install's DATA_DIR/storage is archived with
// tar; in compose mode each bucket is copied with `mc mirror` inside a minio-init container. The
// compose path runs here through a stand-in for `docker compose run` and for `mc mirror` (a copy
// of a local folder): what is checked is the script's own logic — one dated folder per bucket,
// written under a .partial name first — not MinIO. Retention goes by the date in the names and
// never touches anything else.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScript } from './support/scripts.ts';

const scratch: string[] = [];
function tempDir(label: string): string {
  const d = mkdtempSync(path.join(os.tmpdir(), `earshot-${label}-`));
  scratch.push(d);
  return d;
}
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

/** YYYYmmdd of today minus `days`, as `date +%Y%m%d` prints it (local time). */
function day(daysAgo: number): string {
  return execFileSync('date', ['-d', `-${daysAgo} days`, '+%Y%m%d']).toString().trim();
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
    const listing = execFileSync('tar', ['-tzf', path.join(backups, archive)]).toString().split('\n');
    expect(listing).toEqual(expect.arrayContaining(['storage/originals/version-1/original.flac', 'storage/images/artwork/1.webp', 'storage/transcodes/version-1/playlist.m3u8']));
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
    // mtime plays no part: a fresh copy of old objects (mc mirror --preserve) must survive.
    execFileSync('touch', ['-d', '400 days ago', path.join(backups, `originals-${day(1)}`)]);

    const r = await runScript('backup-minio.sh', ['--native'], { DATA_DIR: data, BACKUP_DIR: backups });
    expect(r.code, r.stderr).toBe(0);
    const left = readdirSync(backups).filter((f) => !f.startsWith('.')).sort();
    expect(left.filter((f) => !/^storage-\d{8}\.tar\.gz$/.test(f) || f === `storage-${day(3)}.tar.gz`)).toEqual(
      [`images-${day(27)}`, `originals-${day(1)}`, `somebucket-${day(40)}`, 'originals-latest', `storage-${day(3)}.tar.gz`, 'notes.txt'].sort(),
    );
    expect(left.filter((f) => /^storage-\d{8}\.tar\.gz$/.test(f))).toHaveLength(2); // day(3)'s and today's
    expect(r.stdout).toContain(`removed old copy originals-${day(40)}`);

    const custom = await runScript('backup-minio.sh', ['--native'], { DATA_DIR: data, BACKUP_DIR: backups, RETENTION_DAYS: '2' });
    expect(custom.code, custom.stderr).toBe(0);
    expect(readdirSync(backups)).not.toContain(`storage-${day(3)}.tar.gz`);
    expect(readdirSync(backups)).toContain(`originals-${day(1)}`);
  });

  it('says what is missing', async () => {
    const empty = tempDir('nodata');
    const noStorage = await runScript('backup-minio.sh', ['--native'], { DATA_DIR: empty, BACKUP_DIR: tempDir('b') });
    expect(noStorage.code).toBe(1);
    expect(noStorage.stderr).toMatch(/no local storage at .*\/storage/);
    const s3 = await runScript('backup-minio.sh', ['--native'], { MINIO_ENDPOINT: 'minio.example:9000', BACKUP_DIR: tempDir('b') });
    expect(s3.code).toBe(1);
    expect(s3.stderr).toMatch(/set MC_ALIAS/);
    const flag = await runScript('backup-minio.sh', ['--nope'], {});
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/usage: scripts\/backup-minio.sh/);
  });
});

describe('backup-minio.sh compose mode, through stand-ins for docker compose and mc', () => {
  it('mirrors every bucket into <bucket>-<date>/ with the minio-init image, via a .partial folder', async () => {
    const dir = tempDir('minio-compose');
    const fakeS3 = path.join(dir, 's3');
    for (const b of ['originals', 'transcodes', 'images', 'waveforms']) write(path.join(fakeS3, b, 'version-7', `${b}.bin`), b);
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    const log = path.join(dir, 'calls.log');
    // mc: `alias set` is a no-op; `mirror … <alias>/<bucket> <dst>/` copies the fake bucket.
    writeFileSync(
      path.join(bin, 'mc'),
      `#!/usr/bin/env bash
set -euo pipefail
echo "mc $*" >> ${JSON.stringify(log)}
case "$1" in
  alias) exit 0 ;;
  mirror) src="\${@: -2:1}"; dst="\${@: -1}"; mkdir -p "$dst"; cp -a ${JSON.stringify(fakeS3)}/"\${src#*/}"/. "$dst" ;;
  *) exit 1 ;;
esac
`,
    );
    // docker compose: `ps -q minio` runs; `run … -v HOST:/backups -e K=V … minio-init -c SCRIPT -- alias /backups`
    // runs SCRIPT here with /backups mapped to HOST and the container's credentials.
    writeFileSync(
      path.join(dir, 'compose'),
      `#!/usr/bin/env bash
set -euo pipefail
echo "compose $*" >> ${JSON.stringify(log)}
cmd="$1"; shift
case "$cmd" in
  ps) echo "shim-container" ;;
  run)
    envs=(MINIO_ROOT_USER=minioadmin MINIO_ROOT_PASSWORD=secret PATH=${JSON.stringify(bin)}:$PATH); host=""
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
    exec env "\${envs[@]}" sh -c "\${script//\\/backups/$host}" "\${args[@]}"
    ;;
  *) exit 1 ;;
esac
`,
    );
    chmodSync(path.join(bin, 'mc'), 0o755);
    chmodSync(path.join(dir, 'compose'), 0o755);
    const backups = path.join(dir, 'backups');
    mkdirSync(backups);
    mkdirSync(path.join(backups, `originals-${day(60)}`));

    const r = await runScript('backup-minio.sh', [], { COMPOSE: path.join(dir, 'compose'), BACKUP_DIR: backups, PATH: `/usr/bin:/bin` });
    expect(r.code, r.stderr).toBe(0);
    const today = /DATE=(\d{8})/.exec(readFileSync(log, 'utf8'))![1]!;
    expect([day(0), day(1)]).toContain(today);
    expect(readdirSync(backups).filter((f) => !f.startsWith('.')).sort()).toEqual([`images-${today}`, `originals-${today}`, `transcodes-${today}`, `waveforms-${today}`]);
    for (const b of ['originals', 'transcodes', 'images', 'waveforms']) expect(readFileSync(path.join(backups, `${b}-${today}`, 'version-7', `${b}.bin`), 'utf8')).toBe(b);
    const calls = readFileSync(log, 'utf8');
    expect(calls).toMatch(/^compose run --rm --no-deps -T -v .*:\/backups -e BUCKETS=originals transcodes images waveforms -e DATE=\d{8} --entrypoint \/bin\/sh minio-init -c /m);
    expect(calls).toContain('mc alias set earshot http://minio:9000 minioadmin secret');
    expect(calls).toContain(`mc mirror --preserve --quiet earshot/originals ${backups}/.originals-${today}.partial/`);
  });
});

// docs/install-native.md, followed on this machine as far as one without systemd as PID 1 allows:
// the unit files pass `systemd-analyze verify`; the env file is made the way the doc says (the
// example, then the doc's own block of lines) and is read alike by a shell and by the app; the
// migrations run with it; api, worker and web run with their units' own ExecStart, working
// directory and environment (EnvironmentFile= over Environment=, as systemd does); nginx is
// rendered for the host with local storage served from disk; and scripts/e2e.sh passes through it.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseEnv, promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@earshot/config';
import { createTestPostgresDatabase } from '@earshot/db/testing';
import { renderNginx } from '../../scripts/render-nginx.ts';
import { startNginx } from '../edge/support/nginx-process.ts';
import { freePort, REPO_ROOT, spawnCollected, waitForHttp, type Spawned } from '../support/process.ts';
import { runScript } from './support/scripts.ts';
import { selfSignedCert } from '../support/certs.ts';

const exec = promisify(execFile);
const doc = readFileSync(path.join(REPO_ROOT, 'docs/install-native.md'), 'utf8');
const UNIT_DIR = path.join(REPO_ROOT, 'deploy/systemd');
const units = readdirSync(UNIT_DIR).sort();

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** `[Service]` settings of a unit file; repeated keys keep every value. */
function serviceSettings(file: string): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  let section = '';
  for (const line of readFileSync(path.join(UNIT_DIR, file), 'utf8').split('\n')) {
    const header = /^\[(\w+)\]$/.exec(line.trim());
    if (header) section = header[1]!;
    const kv = /^(\w+)=(.*)$/.exec(line);
    if (kv && section === 'Service') settings.set(kv[1]!, [...(settings.get(kv[1]!) ?? []), kv[2]!]);
  }
  return settings;
}

describe('the unit files', () => {
  it('pass systemd-analyze verify', async () => {
    expect(units).toEqual(
      expect.arrayContaining([
        'earshot-api.service',
        'earshot-worker.service',
        'earshot-web.service',
        'earshot-backup-db.service',
        'earshot-backup-db.timer',
        'earshot-backup-media.service',
        'earshot-backup-media.timer',
      ]),
    );
    const r = await exec('systemd-analyze', ['verify', '--man=no', ...units.map((u) => path.join(UNIT_DIR, u))]).catch(
      (e: { stdout: string; stderr: string; code: number }) => e,
    );
    expect(r, JSON.stringify(r)).toMatchObject({ stderr: '' });
  });

  it('stop every process of a service with it, restart on failure, and run hardened', () => {
    for (const unit of ['earshot-api.service', 'earshot-worker.service', 'earshot-web.service']) {
      const s = serviceSettings(unit);
      expect(s.get('KillMode'), unit).toEqual(['control-group']);
      expect(s.get('Restart'), unit).toEqual(['on-failure']);
      expect(s.get('EnvironmentFile'), unit).toEqual(['/etc/earshot/earshot.env']);
      expect(s.get('User'), unit).toEqual(['earshot']);
      for (const key of ['NoNewPrivileges', 'PrivateTmp', 'ProtectHome'])
        expect(s.get(key), `${unit} ${key}`).toEqual(['yes']);
      expect(s.get('ProtectSystem'), unit).toEqual(['strict']);
      expect(s.get('CapabilityBoundingSet'), unit).toEqual(['']);
    }
  });

  it('give the web app PUBLIC_URL (absolute Open Graph and oEmbed links) from the env file the doc writes', () => {
    const web = serviceSettings('earshot-web.service');
    expect(web.get('EnvironmentFile')).toEqual(['/etc/earshot/earshot.env']);
    // Not overridden (nor emptied) by the unit's own defaults.
    for (const assignments of web.get('Environment') ?? []) expect(assignments).not.toMatch(/\bPUBLIC_URL=/);
    const block = /Edit it \(every variable[\s\S]*?```sh\n([\s\S]*?)```/.exec(doc)![1]!;
    expect(block).toMatch(/^PUBLIC_URL=https:\/\/\S+$/m);
  });

  it('are the ones the doc installs, and the doc names only commands that exist', () => {
    expect(doc).toContain(
      'cp /opt/earshot/deploy/systemd/earshot-*.service /opt/earshot/deploy/systemd/earshot-*.timer /etc/systemd/system/',
    );
    for (const m of doc.matchAll(
      /\b(earshot-[a-z-]+)\.(?:timer|service)\b|systemctl (?:enable --now|start|restart) ([a-z -]+)/g,
    )) {
      for (const name of (m[1] ?? m[2]!).split(' ').filter((n) => n.startsWith('earshot-'))) {
        expect(
          units.some((u) => u.startsWith(`${name}.`)),
          `${name} named in the doc`,
        ).toBe(true);
      }
    }
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    for (const [, script] of doc.matchAll(/npm run ([a-z][\w:-]*)/g))
      expect(pkg.scripts, script).toHaveProperty(script!);
    const render = readFileSync(path.join(REPO_ROOT, 'scripts/render-nginx.ts'), 'utf8');
    const renderLine = /render-nginx\.ts ([^\n]*(?:\\\n[^\n]*)*)/.exec(doc)![1]!;
    for (const [flag] of renderLine.matchAll(/--[a-z-]+/g))
      expect(render, `render-nginx.ts takes ${flag}`).toContain(`'${flag.slice(2)}'`);
  });
});

describe('an install by the doc', () => {
  it(
    'serves the platform through nginx with units, env file and nginx configuration as documented',
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-native-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      const pg = await createTestPostgresDatabase('native');
      cleanups.push(pg.drop);
      const dataDir = path.join(dir, 'var-lib-earshot');
      const logDir = path.join(dir, 'var-log-earshot');
      await mkdir(dataDir, { recursive: true });
      const ports = {
        api: await freePort(),
        worker: await freePort(),
        web: await freePort(),
        http: await freePort(),
        https: await freePort(),
        storage: await freePort(),
      };

      // Step 5: the example, then the doc's block of lines, then what differs on a test machine
      // (its database, Redis prefix, ports and folders instead of the doc's).
      const block = /Edit it \(every variable[\s\S]*?```sh\n([\s\S]*?)```/.exec(doc)![1]!;
      const secret = () => randomBytes(32).toString('hex');
      const docLines = block
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => l.replace(/=…$/, `=${secret()}`));
      const local: Record<string, string> = {
        DATABASE_URL: pg.url,
        REDIS_KEY_PREFIX: `earshot-native-${path.basename(dir)}`,
        PORT: String(ports.api),
        WORKER_HEALTH_PORT: String(ports.worker),
        WEB_PORT: String(ports.web),
        API_INTERNAL_URL: `http://127.0.0.1:${ports.api}`,
        DATA_DIR: dataDir,
        LOG_DIR: logDir,
        PUBLIC_URL: `https://127.0.0.1:${ports.https}`,
        RATE_LIMIT_API_PER_MINUTE: '100000',
        LOG_LEVEL: 'warn',
      };
      const dropped = /^(MINIO_[A-Z_]*|POSTGRES_PASSWORD|GRAFANA_ADMIN_PASSWORD)=/;
      const example = readFileSync(path.join(REPO_ROOT, '.env.example'), 'utf8')
        .split('\n')
        .filter((l) => !dropped.test(l));
      const lines = [
        ...example,
        '# from docs/install-native.md',
        ...docLines,
        '# this test machine',
        ...Object.entries(local).map(([k, v]) => `${k}=${v}`),
      ];
      const envFile = path.join(dir, 'earshot.env');
      await writeFile(envFile, `${lines.join('\n')}\n`);

      // A shell and the app read the same values.
      const shell = await exec(
        'bash',
        ['-c', `set -a; . ${envFile}; set +a; printf '%s|%s|%s' "$SMTP_FROM" "$NODE_ENV" "$DATA_DIR"`],
        { env: {} },
      );
      const fileEnv = parseEnv(readFileSync(envFile, 'utf8')) as Record<string, string>;
      expect(shell.stdout).toBe(`${fileEnv.SMTP_FROM}|production|${dataDir}`);
      expect(fileEnv.SMTP_FROM).toContain('<');
      const config = loadConfig({ ENV_FILE: envFile });
      expect(config).toMatchObject({ env: 'production', host: '127.0.0.1', port: ports.api, dataDir });
      expect(config.storage.kind).toBe('local');

      // The migrations, as the doc runs them.
      const { NODE_ENV: _testEnv, ...outerEnv } = process.env;
      const migrated = await exec(process.execPath, ['--import', 'tsx', 'packages/db/src/cli.ts', 'up'], {
        cwd: REPO_ROOT,
        env: { ...outerEnv, ENV_FILE: envFile },
      });
      expect(migrated.stdout + migrated.stderr).toMatch(/↑ \d+_initial|up to date/);

      // The three services with their units' settings, the paths of the doc mapped to this test.
      const mapPath = (v: string) =>
        v
          .replaceAll('/opt/earshot', REPO_ROOT)
          .replaceAll('/var/lib/earshot', dataDir)
          .replaceAll('/var/log/earshot', logDir);
      const started: Record<string, Spawned> = {};
      for (const name of ['api', 'worker', 'web']) {
        const s = serviceSettings(`earshot-${name}.service`);
        const env: Record<string, string> = { PATH: process.env.PATH!, HOME: os.homedir() };
        for (const assignments of s.get('Environment') ?? [])
          for (const [, k, v] of assignments.matchAll(/(\w+)=(\S+)/g)) env[k!] = mapPath(v!);
        Object.assign(env, fileEnv); // EnvironmentFile= wins over Environment=
        const [command, ...args] = s
          .get('ExecStart')![0]!
          .split(' ')
          .map((w) => mapPath(w.replace(/\$\{(\w+)\}/g, (_, k: string) => env[k] ?? '')));
        const proc = spawnCollected(command!, args, { cwd: mapPath(s.get('WorkingDirectory')![0]!), env });
        started[name] = proc;
        cleanups.push(async () => {
          proc.child.kill('SIGTERM');
          await proc.exited;
        });
      }
      await waitForHttp(`http://127.0.0.1:${ports.api}/api/v1/health`, started.api!);
      await waitForHttp(`http://127.0.0.1:${ports.worker}/health`, started.worker!);
      await waitForHttp(`http://127.0.0.1:${ports.web}/`, started.web!);

      // Step 7: nginx for this host with local storage served from disk (here unprivileged on
      // loopback ports: --prefix instead of --host, the same storage server).
      await selfSignedCert(dir, { cn: '127.0.0.1', days: 2 });
      const rendered = await renderNginx({
        outDir: path.join(dir, 'nginx'),
        env: { DOMAIN: 'music.example.org', SECURE_LINK_SECRET: fileEnv.SECURE_LINK_SECRET! },
        local: {
          prefix: path.join(dir, 'nginx-run'),
          listenHttp: `127.0.0.1:${ports.http}`,
          listenHttps: `127.0.0.1:${ports.https}`,
          upstreams: {
            api: `127.0.0.1:${ports.api}`,
            web: `127.0.0.1:${ports.web}`,
            minio: `127.0.0.1:${ports.storage}`,
          },
          certificate: { cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem') },
        },
        storageRoot: path.join(dataDir, 'storage'),
      });
      const nginx = await startNginx({
        confPath: rendered.confPath,
        prefix: path.join(dir, 'nginx-run'),
        readyPort: ports.https,
      });
      cleanups.push(() => nginx.stop());

      const base = `https://127.0.0.1:${ports.https}`;
      const r = await runScript('e2e.sh', [base], {
        E2E_INSECURE: '1',
        E2E_TIMEOUT: '0',
        E2E_POLL_INTERVAL: '1',
        WORKER_HEALTH_URL: `http://127.0.0.1:${ports.worker}/health`,
      });
      const report = `e2e.sh exited ${r.code}\n${r.stdout}\n${r.stderr}\n--- api\n${started.api!.output().slice(-3000)}\n--- worker\n${started.worker!.output().slice(-3000)}`;
      expect(r.code, report).toBe(0);
      expect(r.stdout).toMatch(/first segment \S+: [1-9]\d* bytes/);
      // Nothing of the storage folder but the public buckets is reachable through the storage server.
      expect((await fetch(`http://127.0.0.1:${ports.storage}/originals/`)).status).toBe(404);
    },
    30 * 60_000,
  );
});

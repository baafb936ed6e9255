// The compose stack of docs/operations.md, checked with the real `docker-compose config` (no engine
// needed): both files resolve, every service is there with its healthcheck, only nginx is
// published to the network, every interpolated variable is documented in .env.example, the
// production override wires Docker secrets through `<NAME>_FILE`, every image is pinned to an
// exact tag and none comes from a withdrawn or end-of-life project (MinIO, Promtail), the
// monitoring stack sits behind the `monitoring` profile, and the Dockerfile has the targets
// compose builds.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SECRET_NAMES } from '@earshot/config';
import { REPO_ROOT } from '../support/process.ts';
import {
  composeConfig,
  dependsOn,
  envExample,
  healthcheckCommand,
  interpolatedVariables,
  publishedPorts,
  type ComposeConfig,
} from './support/compose.ts';

const read = (f: string) => readFileSync(path.join(REPO_ROOT, f), 'utf8');

/** Every service of the stack (docs/operations.md; Alloy in Promtail's place), the one-shots of this repository, and its backup tool. */
const OPERATIONS_SERVICES = [
  'nginx',
  'api',
  'web',
  'worker',
  'postgres',
  'redis',
  'minio',
  'loki',
  'alloy',
  'prometheus',
  'grafana',
];
/** Alerting (docs/operations.md, "Alerts"): host metrics, Alertmanager and its rendered configuration. */
const ALERTING = ['node-exporter', 'alertmanager', 'alertmanager-config'];
const ONE_SHOTS = ['minio-init', 'migrate', 'minio-backup', 'alertmanager-config'];
const MONITORING = ['prometheus', 'grafana', 'loki', 'alloy', ...ALERTING];
const APP_SERVICES = ['api', 'worker', 'migrate'];

let base: { config: ComposeConfig; stderr: string; projectDir: string };
let prod: { config: ComposeConfig; stderr: string; projectDir: string };

beforeAll(async () => {
  base = await composeConfig(['docker-compose.yml']);
  prod = await composeConfig(['docker-compose.yml', 'docker-compose.prod.yml']);
});

describe('docker-compose config', () => {
  it('resolves both files without a warning (no unset variable)', () => {
    expect(base.stderr).not.toMatch(/not set|WARN|warning/i);
    expect(prod.stderr).not.toMatch(/not set|WARN|warning/i);
  });

  it('runs every service of the stack, the minio-init and migrate one-shots, and minio-backup', () => {
    for (const c of [base.config, prod.config]) {
      expect(Object.keys(c.services).sort()).toEqual(
        [...new Set([...OPERATIONS_SERVICES, ...ALERTING, ...ONE_SHOTS])].sort(),
      );
    }
  });

  it('has healthchecks for api, worker and postgres', () => {
    const s = base.config.services;
    expect(s.api!.healthcheck).toMatchObject({
      test: ['CMD', 'curl', '-f', 'http://localhost:3000/api/v1/health'],
      interval: '30s',
      timeout: '10s',
      retries: 3,
      start_period: '40s',
    });
    expect(s.worker!.healthcheck).toMatchObject({
      test: ['CMD', 'curl', '-f', 'http://localhost:3001/health'],
      interval: '30s',
      timeout: '10s',
      retries: 3,
    });
    expect(s.postgres!.healthcheck).toMatchObject({
      test: ['CMD', 'pg_isready', '-U', 'postgres'],
      interval: '10s',
      timeout: '5s',
      retries: 5,
    });
  });

  it('has healthchecks for redis (valkey-cli ping), the object store (/health) and the rest', () => {
    const s = base.config.services;
    expect(healthcheckCommand(s.redis!)).toContain('valkey-cli ping');
    expect(healthcheckCommand(s.minio!)).toBe('CMD wget -q -O /dev/null http://127.0.0.1:9000/health');
    for (const name of ['web', 'prometheus', 'grafana']) expect(healthcheckCommand(s[name]!), name).not.toBe('');
    // Loki 3's image is distroless (nothing to probe /ready with): no healthcheck, so nothing may
    // wait for it to be healthy.
    expect(s.loki!.healthcheck).toBeUndefined();
    for (const [name, svc] of Object.entries(s))
      expect(dependsOn(svc).loki ?? 'service_started', name).toBe('service_started');
  });

  it('starts services after what they need is healthy (or done, for one-shots)', () => {
    const s = base.config.services;
    for (const app of ['api', 'worker']) {
      expect(dependsOn(s[app]!)).toMatchObject({
        postgres: 'service_healthy',
        redis: 'service_healthy',
        minio: 'service_healthy',
        migrate: 'service_completed_successfully',
        'minio-init': 'service_completed_successfully',
      });
    }
    expect(dependsOn(s.migrate!)).toMatchObject({ postgres: 'service_healthy' });
    expect(dependsOn(s['minio-init']!)).toMatchObject({ minio: 'service_healthy' });
    expect(dependsOn(s.nginx!)).toMatchObject({
      api: 'service_healthy',
      web: 'service_healthy',
      minio: 'service_healthy',
    });
    expect(dependsOn(s.grafana!)).toMatchObject({ prometheus: 'service_healthy', loki: 'service_started' });
    expect(dependsOn(s.alloy!)).toMatchObject({ loki: 'service_started' });
  });

  it('publishes nginx on 80 and 443; everything else on loopback at most', () => {
    for (const c of [base.config, prod.config]) {
      const nginx = publishedPorts(c.services.nginx!);
      expect(nginx.map((p) => `${p.published}:${p.target}`).sort()).toEqual(['443:443', '80:80']);
      for (const [name, svc] of Object.entries(c.services)) {
        if (name === 'nginx') continue;
        for (const p of publishedPorts(svc))
          expect(p.hostIp, `${name} publishes ${p.published}:${p.target}`).toBe('127.0.0.1');
      }
      for (const name of [
        'api',
        'worker',
        'web',
        'postgres',
        'redis',
        'loki',
        'alloy',
        'migrate',
        'minio',
        'minio-init',
        'minio-backup',
      ])
        expect(publishedPorts(c.services[name]!), name).toEqual([]);
      // Grafana on 127.0.0.1:3003 (its own 3000 inside), so nothing competes with the API's 3000.
      expect(publishedPorts(c.services.grafana!)).toEqual([{ hostIp: '127.0.0.1', published: '3003', target: '3000' }]);
    }
  });

  it('builds api, worker and web from the Dockerfile targets; migrate uses the api image', () => {
    const s = base.config.services;
    for (const [svc, target] of [
      ['api', 'api'],
      ['worker', 'worker'],
      ['web', 'web'],
      ['migrate', 'api'],
    ] as const) {
      expect(s[svc]!.build, svc).toMatchObject({ dockerfile: 'docker/Dockerfile', target });
    }
    expect(s.migrate!.image).toBe(s.api!.image);
    expect(s.migrate!.command).toEqual(['npm', 'run', 'migrate']);
  });

  it('mounts the repository files it names, and nginx gets its templates read-only', () => {
    const s = base.config.services;
    const mounts = (name: string) =>
      (s[name]!.volumes ?? []).map((v) =>
        typeof v === 'string' ? v : `${v.source}:${v.target}${v.read_only ? ':ro' : ''}`,
      );
    expect(mounts('nginx')).toContain(`${base.projectDir}/nginx/templates:/etc/nginx/templates:ro`);
    expect(s.nginx!.environment).toMatchObject({ NGINX_ENVSUBST_OUTPUT_DIR: '/etc/nginx', DOMAIN: 'yoursite.com' });
    expect(mounts('grafana')).toEqual(
      expect.arrayContaining([
        `${base.projectDir}/grafana/dashboards:/etc/grafana/provisioning/dashboards:ro`,
        `${base.projectDir}/grafana/datasources:/etc/grafana/provisioning/datasources:ro`,
      ]),
    );
    for (const [name] of Object.entries(s)) {
      for (const m of mounts(name)) {
        const source = m.split(':')[0]!;
        if (!source.startsWith(base.projectDir + '/')) continue;
        const rel = source.slice(base.projectDir.length + 1);
        if (rel === 'nginx/ssl') continue; // certificates: created on the server (docs/operations.md)
        if (rel === 'metrics-textfile') continue; // written by the backup scripts on the server (METRICS_TEXTFILE_DIR)
        if (rel === 'nginx/templates' && !existsSync(path.join(REPO_ROOT, rel))) continue; // written separately
        expect(existsSync(path.join(REPO_ROOT, rel)), `${name} mounts ./${rel}, which is not in the repository`).toBe(
          true,
        );
      }
    }
  });

  it('creates the four buckets with versioning; anonymous read on all but originals; no listing (AWS CLI, no mc)', () => {
    const s = base.config.services['minio-init']!;
    expect(s.image).toMatch(/^amazon\/aws-cli:/);
    expect(s.entrypoint).toEqual(['/bin/sh', '/usr/local/bin/storage-init.sh']);
    const script = read('docker/storage-init.sh');
    expect(script).toMatch(
      /for bucket in originals transcodes images waveforms; do\s+s3api head-bucket --bucket "\$bucket" >\/dev\/null 2>&1 \|\| s3api create-bucket --bucket "\$bucket" >\/dev\/null\s+s3api put-bucket-versioning --bucket "\$bucket" --versioning-configuration Status=Enabled/,
    );
    expect(script).toMatch(/s3api delete-bucket-policy --bucket originals/);
    expect(script).toMatch(
      /for bucket in transcodes images waveforms; do\s+s3api put-bucket-policy[\s\S]*\\"Principal\\": \\"\*\\"[\s\S]*\\"Action\\": \[\\"s3:GetObject\\"\][\s\S]*arn:aws:s3:::\$bucket\/\*/,
    );
    expect(script).not.toMatch(/s3:ListBucket|s3:PutObject|\bmc /);
  });

  it('serves S3 with the Versity S3 Gateway on :9000, versioning on, from the minio-data volume', () => {
    const s = base.config.services.minio!;
    expect(s.image).toMatch(/^ghcr\.io\/versity\/versitygw:v\d+\.\d+\.\d+$/);
    expect(s.entrypoint).toEqual(['/bin/sh', '/usr/local/bin/object-store.sh']);
    const script = read('docker/object-store.sh');
    expect(script).toMatch(
      /exec "\$gateway" --port :9000 --health \/health posix --versioning-dir \/data\/versions \/data\/buckets/,
    );
    expect(script).toContain('MINIO_ROOT_PASSWORD_FILE');
    const volumes = (s.volumes ?? []).map((v) => (typeof v === 'string' ? v : `${v.source}:${v.target}`));
    expect(volumes).toContain('minio-data:/data:rw');
  });

  it('backs up with rclone in the minio-backup service, which `up` does not start (profile tools)', () => {
    const s = base.config.services['minio-backup'] as ComposeConfig['services'][string] & { profiles?: string[] };
    expect(s.image).toMatch(/^rclone\/rclone:\d+\.\d+\.\d+$/);
    expect(s.profiles).toEqual(['tools']);
    expect(s.environment).toMatchObject({ S3_URL: 'http://minio:9000', S3_ACCESS_KEY: 'minioadmin' });
  });
});

describe('images', () => {
  const services = () =>
    Object.entries(base.config.services) as Array<
      [string, ComposeConfig['services'][string] & { profiles?: string[] }]
    >;

  it('pins every image that is pulled to an exact version tag', () => {
    for (const c of [base.config, prod.config]) {
      for (const [name, svc] of Object.entries(c.services)) {
        if (svc.build) continue; // built here from docker/Dockerfile
        // major.minor.patch; PostgreSQL's own versions have two parts (16.15 is one exact release).
        const version = svc.image?.startsWith('postgres:') ? String.raw`\d+\.\d+` : String.raw`v?\d+\.\d+\.\d+`;
        expect(svc.image, name).toMatch(new RegExp(String.raw`^[a-z0-9./-]+:${version}(?:-[a-z0-9.]+)?$`));
      }
    }
  });

  it('uses no MinIO image (deleted from Docker Hub) and no Promtail (end of life)', () => {
    for (const [name, svc] of services()) {
      expect(svc.image ?? '', name).not.toMatch(/^(?:[^/]+\/)?minio\/|^quay\.io\/minio\//);
      expect(svc.image ?? '', name).not.toMatch(/^grafana\/promtail:/);
    }
    for (const f of ['docker-compose.yml', 'docker-compose.prod.yml'])
      expect(read(f)).not.toMatch(/minio\/(?:minio|mc):|grafana\/promtail/);
  });

  it('runs the monitoring stack only with --profile monitoring; the platform without a profile', () => {
    for (const [name, svc] of services()) {
      if (MONITORING.includes(name)) expect(svc.profiles, name).toEqual(['monitoring']);
      else if (name === 'minio-backup') expect(svc.profiles).toEqual(['tools']);
      else expect(svc.profiles, name).toBeUndefined();
    }
    // Nothing the platform runs waits for a monitoring service.
    for (const [name, svc] of services()) {
      if (MONITORING.includes(name)) continue;
      expect(
        Object.keys(dependsOn(svc)).filter((d) => MONITORING.includes(d)),
        name,
      ).toEqual([]);
    }
  });
});

describe('variables', () => {
  it('every variable the compose files interpolate is documented in .env.example', () => {
    const documented = envExample();
    for (const file of ['docker-compose.yml', 'docker-compose.prod.yml']) {
      const used = [...interpolatedVariables(read(file))];
      expect(
        used.filter((v) => !documented.has(v)),
        `${file}: run \`npm run config:docs\` after adding them to packages/config/src/variables.ts`,
      ).toEqual([]);
    }
    expect([...interpolatedVariables(read('docker-compose.yml'))].sort()).toEqual([
      'DOMAIN',
      'GRAFANA_ADMIN_PASSWORD',
      'MINIO_ROOT_PASSWORD',
      'MINIO_ROOT_USER',
      'POSTGRES_PASSWORD',
      'PUBLIC_URL',
      'SECURE_LINK_SECRET',
    ]);
  });

  it('api, worker and migrate receive every variable of .env.example (env_file: .env)', () => {
    const documented = envExample();
    for (const name of APP_SERVICES) {
      const env = base.config.services[name]!.environment ?? {};
      expect(
        [...documented.keys()].filter((k) => !(k in env)),
        name,
      ).toEqual([]);
      expect(env.DATABASE_URL).toBe(documented.get('DATABASE_URL'));
    }
  });

  it('the web app gets no secret', () => {
    const env = base.config.services.web!.environment ?? {};
    expect(Object.keys(env).filter((k) => SECRET_NAMES.includes(k))).toEqual([]);
    expect(env.API_INTERNAL_URL).toBe('http://api:3000');
  });
});

describe('docker-compose.prod.yml: Docker secrets', () => {
  const secretFiles = () => prod.config.secrets ?? {};
  const serviceSecrets = (name: string) =>
    (prod.config.services[name]!.secrets ?? []).map((s) => (typeof s === 'string' ? s : s.source));

  it('declares file secrets under ./secrets/ (git-ignored)', () => {
    expect(Object.keys(secretFiles()).length).toBeGreaterThanOrEqual(6);
    for (const [name, s] of Object.entries(secretFiles()))
      expect(s.file, name).toBe(`${prod.projectDir}/secrets/${name}.txt`);
    expect(read('.gitignore').split('\n')).toContain('/secrets/');
  });

  it('api, worker and migrate read every production-required secret from a file, with the plain variable blanked', () => {
    for (const name of APP_SERVICES) {
      const env = prod.config.services[name]!.environment ?? {};
      for (const v of ['DATABASE_URL', 'JWT_SECRET', 'SECURE_LINK_SECRET', 'IP_HASH_SALT', 'MINIO_ROOT_PASSWORD']) {
        expect(env[`${v}_FILE`], `${name} ${v}_FILE`).toMatch(/^\/run\/secrets\/[a-z_]+$/);
        expect(env[v], `${name} ${v} must be blank (the app refuses both)`).toBe('');
      }
      for (const [k, file] of Object.entries(env)) {
        if (!k.endsWith('_FILE') || !file) continue;
        expect(SECRET_NAMES, `${name}: ${k} is not a <NAME>_FILE the config reads`).toContain(
          k.slice(0, -'_FILE'.length),
        );
        const secret = file.slice('/run/secrets/'.length);
        expect(serviceSecrets(name), `${name} uses ${secret} without mounting it`).toContain(secret);
        expect(Object.keys(secretFiles())).toContain(secret);
      }
      expect(env.NODE_ENV).toBe('production');
    }
  });

  it('postgres, minio, minio-init, minio-backup, grafana and nginx take their secrets from files too', () => {
    const s = prod.config.services;
    expect(s.postgres!.environment).toMatchObject({
      POSTGRES_PASSWORD: '',
      POSTGRES_PASSWORD_FILE: '/run/secrets/db_password',
    });
    expect(serviceSecrets('postgres')).toContain('db_password');
    for (const name of ['minio', 'minio-init']) {
      expect(s[name]!.environment).toMatchObject({
        MINIO_ROOT_PASSWORD: '',
        MINIO_ROOT_PASSWORD_FILE: '/run/secrets/minio_root_password',
      });
      expect(serviceSecrets(name)).toContain('minio_root_password');
    }
    expect(s['minio-backup']!.environment).toMatchObject({
      S3_SECRET_KEY: '',
      S3_SECRET_KEY_FILE: '/run/secrets/minio_root_password',
    });
    expect(serviceSecrets('minio-backup')).toContain('minio_root_password');
    expect(read('scripts/backup-minio.sh')).toContain('S3_SECRET_KEY_FILE');
    expect(s.grafana!.environment).toMatchObject({
      GF_SECURITY_ADMIN_PASSWORD: '',
      GF_SECURITY_ADMIN_PASSWORD__FILE: '/run/secrets/grafana_admin_password',
    });
    expect(s.nginx!.environment).toMatchObject({ SECURE_LINK_SECRET: '' });
    expect(serviceSecrets('nginx')).toContain('secure_link_secret');
    expect(JSON.stringify(s.nginx!.entrypoint)).toContain('/run/secrets/secure_link_secret');
    expect(JSON.stringify(s.nginx!.entrypoint)).toContain('/docker-entrypoint.sh');
    expect(s.nginx!.command).toEqual(['nginx', '-g', 'daemon off;']);
  });
});

describe('Dockerfile and .dockerignore', () => {
  const dockerfile = read('docker/Dockerfile');
  /** Stage name → its instructions, including those of the stages it is built FROM. */
  const stages = new Map<string, { from: string; lines: string[] }>();
  let current: { from: string; lines: string[] } | undefined;
  for (const raw of dockerfile.replace(/\\\n/g, ' ').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) {
      current = { from: from[1]!, lines: [] };
      if (from[2]) stages.set(from[2], current);
      continue;
    }
    current?.lines.push(line);
  }
  const chain = (name: string): string[] => {
    const s = stages.get(name);
    if (!s) return [];
    return [...chain(s.from), ...s.lines];
  };
  const baseImage = (name: string): string => {
    const s = stages.get(name)!;
    return stages.has(s.from) ? baseImage(s.from) : s.from;
  };

  it('has the api, worker and web targets on Node 24 bookworm-slim', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
    for (const t of ['api', 'worker', 'web']) {
      expect(stages.has(t), t).toBe(true);
      expect(baseImage(t), t).toBe('${NODE_IMAGE}');
    }
  });

  it('installs dependencies with npm ci in a deps stage', () => {
    expect(stages.get('deps')!.lines.join('\n')).toMatch(/npm ci/);
  });

  it('has ffmpeg (worker: media jobs; api: probing uploads), curl for healthchecks, a non-root user', () => {
    for (const t of ['api', 'worker']) {
      const lines = chain(t).join('\n');
      expect(lines, t).toMatch(/apt-get install[^\n]*\bffmpeg\b/);
      expect(lines, t).toMatch(/apt-get install[^\n]*\bcurl\b/);
    }
    for (const t of ['api', 'worker', 'web']) {
      const users = chain(t).filter((l) => /^USER\s/i.test(l));
      expect(users.at(-1), t).toBe('USER node');
    }
    expect(chain('api').join('\n')).toMatch(/CMD \["node", "--import", "tsx", "apps\/api\/src\/main\.ts"\]/);
    expect(chain('worker').join('\n')).toMatch(/CMD \["node", "--import", "tsx", "apps\/worker\/src\/main\.ts"\]/);
  });

  it('builds the web app with next build, telemetry off', () => {
    expect(dockerfile).toMatch(/NEXT_TELEMETRY_DISABLED=1/);
    expect(chain('web-build').join('\n')).toMatch(/npm run build -w @earshot\/web/);
    expect(read('apps/web/package.json')).toMatch(/"build": "[^"]*next build/);
    expect(chain('web').join('\n')).toMatch(/next start -p/);
  });

  it('keeps node_modules, secrets, .env and git out of the build context', () => {
    const ignore = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim());
    for (const entry of ['**/node_modules', '.env', 'secrets', '.git', '**/.next', 'data'])
      expect(ignore, entry).toContain(entry);
    expect(ignore).toContain('!.env.example');
  });
});

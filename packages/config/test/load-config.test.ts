import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, describeMode, loadConfig, parseDuration, VARIABLES } from '../src/index.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'earshot-config-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const strong = (c: string) => c.repeat(64);
const PROD = {
  NODE_ENV: 'production',
  JWT_SECRET: strong('a'),
  SECURE_LINK_SECRET: strong('b'),
  IP_HASH_SALT: strong('c'),
  DATA_DIR: tmp,
};

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env, { persistDevSecrets: false });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults to embedded mode on port 3000 with the data dir', () => {
    const config = loadConfig({ DATA_DIR: tmp }, { persistDevSecrets: false });
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe(tmp);
    expect(config.database.pgliteDir).toBe(path.join(tmp, 'pglite'));
    expect(describeMode(config)).toEqual({ database: 'pglite', jobs: 'embedded', storage: 'local', embedded: true });
    expect(config.auth.jwtExpiresInSeconds).toBe(86_400);
    expect(config.uploadMaxBytes).toBe(500 * 1024 * 1024);
  });

  it('selects the real services when their URLs are set', () => {
    const config = loadConfig({
      ...PROD,
      DATABASE_URL: 'postgresql://u:p@db:5432/music',
      REDIS_URL: 'redis://redis:6379',
      MINIO_ENDPOINT: 'minio:9000',
      MINIO_ROOT_USER: 'minio',
      MINIO_ROOT_PASSWORD: 'secret-password',
    });
    expect(describeMode(config)).toEqual({ database: 'postgres', jobs: 'bullmq', storage: 's3', embedded: false });
    expect(config.storage).toMatchObject({
      kind: 's3',
      endpoint: 'http://minio:9000',
      accessKeyId: 'minio',
      secretAccessKey: 'secret-password',
    });
  });

  it('reports every problem at once', () => {
    const list = problems({
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      DATABASE_URL: 'not a url',
      JWT_EXPIRES_IN: 'forever',
      MINIO_USE_SSL: 'maybe',
      DATA_DIR: tmp,
    });
    expect(list).toHaveLength(5);
    expect(list.join('\n')).toMatch(/PORT: must be an integer/);
    expect(list.join('\n')).toMatch(/LOG_LEVEL: must be one of/);
    expect(list.join('\n')).toMatch(/DATABASE_URL: is not a valid URL/);
    expect(list.join('\n')).toMatch(/JWT_EXPIRES_IN/);
    expect(list.join('\n')).toMatch(/MINIO_USE_SSL/);
  });

  it('never echoes a secret value in its messages', () => {
    const list = problems({ NODE_ENV: 'production', JWT_SECRET: 'short-but-secret-value', DATA_DIR: tmp });
    expect(list.join('\n')).not.toContain('short-but-secret-value');
  });

  it.each(['JWT_SECRET', 'SECURE_LINK_SECRET', 'IP_HASH_SALT'])('refuses production without %s', (name) => {
    const env: NodeJS.ProcessEnv = { ...PROD };
    delete env[name];
    expect(problems(env)).toEqual([expect.stringContaining(`${name} is required in production`)]);
  });

  it.each(['CHANGE_ME', 'your-secure-link-secret', 'CHANGE_ME_openssl_rand_hex_32_aaaaaaaaaaaaaaaaaaaa'])(
    'refuses production with the placeholder %s',
    (value) => {
      expect(problems({ ...PROD, SECURE_LINK_SECRET: value })).toEqual([expect.stringContaining('SECURE_LINK_SECRET')]);
    },
  );

  it('refuses short production secrets', () => {
    expect(problems({ ...PROD, IP_HASH_SALT: 'abc123' })).toEqual([expect.stringContaining('at least 32 characters')]);
  });

  it('reads <NAME>_FILE secrets (Docker secrets) and refuses both forms at once', () => {
    const file = path.join(tmp, 'jwt_secret.txt');
    writeFileSync(file, `${strong('z')}\n`);
    const env: NodeJS.ProcessEnv = { ...PROD, JWT_SECRET_FILE: file };
    delete env.JWT_SECRET;
    expect(loadConfig(env).auth.jwtSecret).toBe(strong('z'));
    expect(problems({ ...PROD, JWT_SECRET_FILE: file })).toEqual([expect.stringContaining('both set')]);
    expect(problems({ ...PROD, JWT_SECRET: undefined, JWT_SECRET_FILE: path.join(tmp, 'missing') })).toEqual(
      expect.arrayContaining([expect.stringContaining('JWT_SECRET_FILE: cannot read')]),
    );
  });

  it('accepts _FILE for every secret variable', () => {
    for (const spec of VARIABLES.filter((v) => v.secret)) {
      const file = path.join(tmp, `${spec.name}.txt`);
      const value = spec.kind === 'url' ? 'postgresql://u:p@h:5432/d' : strong('s');
      writeFileSync(file, value);
      const env: NodeJS.ProcessEnv = { DATA_DIR: tmp, [`${spec.name}_FILE`]: file };
      if (spec.name.startsWith('MINIO'))
        Object.assign(env, { MINIO_ENDPOINT: 'minio:9000', MINIO_ROOT_USER: 'u', MINIO_ACCESS_KEY: 'k' });
      expect(() => loadConfig(env, { persistDevSecrets: false })).not.toThrow();
    }
  });

  it('generates development secrets once and keeps them in the data dir', () => {
    const dir = path.join(tmp, 'dev');
    const first = loadConfig({ DATA_DIR: dir });
    const second = loadConfig({ DATA_DIR: dir });
    expect(first.auth.jwtSecret).toHaveLength(64);
    expect(second.auth.jwtSecret).toBe(first.auth.jwtSecret);
    expect(second.media.secureLinkSecret).toBe(first.media.secureLinkSecret);
    const stored = JSON.parse(readFileSync(path.join(dir, 'secrets.json'), 'utf8'));
    expect(stored.IP_HASH_SALT).toBe(first.analytics.ipHashSalt);
  });

  it('reads ENV_FILE (the dotenv file a shell and systemd read too), under the real environment', () => {
    const file = path.join(tmp, 'earshot.env');
    writeFileSync(
      file,
      [
        '# comment',
        'NODE_ENV=production',
        `JWT_SECRET=${strong('a')}`,
        `SECURE_LINK_SECRET=${strong('b')}`,
        `IP_HASH_SALT=${strong('c')}`,
        'SMTP_FROM="Earshot <noreply@example.org>"',
        'export PORT=4100',
        'LOG_LEVEL=debug',
        '',
      ].join('\n'),
    );
    const config = loadConfig({ ENV_FILE: file, DATA_DIR: tmp, LOG_LEVEL: 'warn' }, { persistDevSecrets: false });
    expect(config.env).toBe('production');
    expect(config.port).toBe(4100);
    expect(config.mailFrom).toBe('Earshot <noreply@example.org>');
    expect(config.logLevel).toBe('warn'); // the environment wins over the file
    expect(problems({ ENV_FILE: path.join(tmp, 'missing.env') })).toEqual([
      expect.stringMatching(/^ENV_FILE: cannot read .*missing\.env \(ENOENT\)$/),
    ]);
  });

  it('requires S3 credentials with an endpoint', () => {
    expect(problems({ DATA_DIR: tmp, MINIO_ENDPOINT: 'minio:9000' })).toEqual([
      expect.stringContaining('no credentials'),
    ]);
  });

  it('parses trusted proxies', () => {
    expect(loadConfig({ DATA_DIR: tmp, TRUST_PROXY: 'false' }, { persistDevSecrets: false }).trustProxy).toBe(false);
    expect(
      loadConfig({ DATA_DIR: tmp, TRUST_PROXY: 'loopback, 10.0.0.0/8' }, { persistDevSecrets: false }).trustProxy,
    ).toEqual(['loopback', '10.0.0.0/8']);
  });

  it('parses durations', () => {
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('30m')).toBe(1800);
    expect(parseDuration('7d')).toBe(604_800);
    expect(parseDuration('3600')).toBe(3600);
    expect(parseDuration('0h')).toBeUndefined();
    expect(parseDuration('1y')).toBeUndefined();
  });
});

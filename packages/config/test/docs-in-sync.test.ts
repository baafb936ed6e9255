import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderConfigurationDoc, renderEnvExample } from '../src/render-docs.ts';
import { VARIABLES } from '../src/variables.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('committed configuration files match the schema', () => {
  it('.env.example', () => {
    expect(readFileSync(path.join(root, '.env.example'), 'utf8'), 'run `npm run config:docs`').toBe(renderEnvExample());
  });
  it('docs/configuration.md', () => {
    expect(readFileSync(path.join(root, 'docs/configuration.md'), 'utf8'), 'run `npm run config:docs`').toBe(
      renderConfigurationDoc(),
    );
  });
  it("covers every variable of the deployment's environment list", () => {
    const operations = [
      'DOMAIN',
      'DATABASE_URL',
      'POSTGRES_PASSWORD',
      'REDIS_URL',
      'MINIO_ROOT_USER',
      'MINIO_ROOT_PASSWORD',
      'MINIO_ENDPOINT',
      'JWT_SECRET',
      'JWT_EXPIRES_IN',
      'SECURE_LINK_SECRET',
      'STRIPE_SECRET_KEY',
      'STRIPE_PUBLISHABLE_KEY',
      'STRIPE_WEBHOOK_SECRET',
      'IP_HASH_SALT',
      'SMTP_HOST',
      'SMTP_PORT',
      'SMTP_USER',
      'SMTP_PASS',
      'NODE_ENV',
      'LOG_LEVEL',
    ];
    const names = VARIABLES.map((v) => v.name);
    expect(operations.filter((n) => !names.includes(n))).toEqual([]);
  });
});

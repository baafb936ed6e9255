// docs/operations.md only tells operators to run what exists: every `npm run <x>`, every
// `scripts/<x>` with its `--flags`, every compose service named in a `docker compose` command,
// and every environment variable of the scripts it mentions.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../support/process.ts';

const doc = readFileSync(path.join(REPO_ROOT, 'docs/operations.md'), 'utf8');
const rootScripts = (
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;
const composeServices = (
  parse(readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, { profiles?: string[] }>;
  }
).services;
const services = Object.keys(composeServices);
const profiles = [...new Set(Object.values(composeServices).flatMap((s) => s.profiles ?? []))];

/** Text of the doc with line continuations joined, so a command spans one line. */
const lines = doc.replace(/\\\n\s*/g, ' ').split('\n');

describe('docs/operations.md', () => {
  it('every `npm run <script>` exists in package.json', () => {
    const used = new Set([...doc.matchAll(/npm run ([a-z][\w:-]*)/g)].map((m) => m[1]!));
    expect(used.size).toBeGreaterThan(3);
    expect([...used].filter((s) => !(s in rootScripts))).toEqual([]);
  });

  it('every scripts/<file> exists and is executable, with the flags the doc gives it', () => {
    const refs = [...doc.matchAll(/scripts\/([\w.-]+\.(?:sh|ts|mjs))/g)].map((m) => m[1]!);
    expect(new Set(refs)).toEqual(
      new Set([
        'backup-db.sh',
        'restore-db.sh',
        'backup-minio.sh',
        'update.sh',
        'e2e.sh',
        'cert-expiry-metric.sh',
        'render-alertmanager.ts',
      ]),
    );
    for (const file of new Set(refs)) {
      const full = path.join(REPO_ROOT, 'scripts', file);
      expect(existsSync(full), file).toBe(true);
      if (file.endsWith('.sh')) expect(statSync(full).mode & 0o111, `${file} is not executable`).not.toBe(0);
    }
    for (const line of lines) {
      for (const m of line.matchAll(/scripts\/([\w.-]+\.sh)((?:\s+(?:--?[\w-]+|[^\s`|;&>]+))*)/g)) {
        const source = readFileSync(path.join(REPO_ROOT, 'scripts', m[1]!), 'utf8');
        for (const flag of m[2]!.match(/(?<=\s)--?[a-z][\w-]*/g) ?? []) {
          expect(source, `${m[1]} does not take ${flag} (docs: ${line.trim()})`).toMatch(
            new RegExp(`(^|\\s|\\|)${flag}(\\)| \\|)`, 'm'),
          );
        }
      }
    }
  });

  it('every environment variable it sets for a script is read by that script', () => {
    const scriptSources = ['backup-db.sh', 'restore-db.sh', 'backup-minio.sh', 'update.sh', 'e2e.sh']
      .map((f) => readFileSync(path.join(REPO_ROOT, 'scripts', f), 'utf8'))
      .join('\n');
    const named = new Set([...doc.matchAll(/`([A-Z][A-Z0-9_]{3,})(?:=[^`]*)?`/g)].map((m) => m[1]!));
    const appVariables = new Set(
      [...readFileSync(path.join(REPO_ROOT, '.env.example'), 'utf8').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map(
        (m) => m[1]!,
      ),
    );
    const compose =
      readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8') +
      readFileSync(path.join(REPO_ROOT, 'docker-compose.prod.yml'), 'utf8');
    const unknown = [...named].filter(
      (v) =>
        !appVariables.has(v) &&
        !scriptSources.includes(v) &&
        !compose.includes(v) &&
        !['COMPOSE_FILE', 'RCLONE_CONFIG_', 'AAAA'].some((p) => v.startsWith(p)),
    );
    expect(unknown).toEqual([]);
  });

  it('every compose service in a `docker compose` command exists', () => {
    const VALUE_OPTIONS = new Set([
      '-v',
      '--volume',
      '-e',
      '--env',
      '--entrypoint',
      '-u',
      '--user',
      '-w',
      '--workdir',
      '--since',
      '-f',
      '--file',
      '--tail',
    ]);
    const SUBCOMMANDS_WITH_SERVICES = new Set([
      'exec',
      'run',
      'logs',
      'stop',
      'start',
      'restart',
      'up',
      'pull',
      'build',
      'ps',
    ]);
    let checked = 0;
    for (const line of lines) {
      for (const m of line.matchAll(/docker[ -]compose\s+([^`|;&#]*)/g)) {
        const words = m[1]!.trim().split(/\s+/);
        // Global options before the subcommand: `--profile <name>` must name a profile of the file.
        while (words[0] === '--profile') {
          words.shift();
          const profile = words.shift() ?? '';
          checked++;
          expect(profiles, `docs: ${line.trim()}`).toContain(profile);
        }
        const sub = words.shift();
        if (!sub || !SUBCOMMANDS_WITH_SERVICES.has(sub)) continue;
        const named: string[] = [];
        for (let i = 0; i < words.length; i++) {
          const w = words[i]!;
          if (w.startsWith('--scale')) {
            const spec = w.includes('=') && !w.startsWith('--scale=') ? w : (words[++i] ?? '');
            named.push(spec.replace(/^--scale=?/, '').split('=')[0]!);
            continue;
          }
          if (VALUE_OPTIONS.has(w)) {
            i++;
            continue;
          }
          if (w.startsWith('-')) continue;
          named.push(w);
          if (sub === 'exec' || sub === 'run') break; // the rest is the command
        }
        for (const n of named) {
          if (!/^[a-z][a-z0-9-]*$/.test(n)) continue;
          checked++;
          expect(services, `docs: ${line.trim()}`).toContain(n);
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('covers the runbook topics, with the recovery objectives', () => {
    for (const heading of [
      '## First deployment',
      '## TLS renewal',
      '## Updates',
      '## Rollback',
      '## Backups',
      '## Restore',
      '### Restore drill',
      '### Disaster recovery',
      '## Scaling',
      '## Monitoring',
      '### Checklist',
      '## Troubleshooting',
    ]) {
      expect(doc, heading).toContain(`\n${heading}`);
    }
    expect(doc).toContain('RTO 4 hours, RPO 24 hours');
    expect(doc).toMatch(/--scale worker=4/);
    expect(doc).toMatch(/npm run migrate:rollback/);
    expect(doc).toMatch(/127\.0\.0\.1:3003/);
  });

  it('has no path of a particular machine', () => {
    expect(doc).not.toMatch(/\/work\/|\/home\/|\/Users\//);
  });
});

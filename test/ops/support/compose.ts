import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../support/process.ts';

const run = promisify(execFile);

export interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string; target?: string };
  ports?: Array<
    string | { published?: number | string; target?: number | string; host_ip?: string; protocol?: string }
  >;
  healthcheck?: {
    test?: string[] | string;
    interval?: string;
    timeout?: string;
    retries?: number;
    start_period?: string;
    disable?: boolean;
  };
  depends_on?: Record<string, { condition?: string }> | string[];
  environment?: Record<string, string | null>;
  volumes?: Array<string | { type?: string; source?: string; target?: string; read_only?: boolean }>;
  secrets?: Array<string | { source: string; target?: string }>;
  entrypoint?: string[] | string;
  command?: string[] | string;
}
export interface ComposeConfig {
  services: Record<string, ComposeService>;
  secrets?: Record<string, { file?: string }>;
  volumes?: Record<string, unknown>;
}

/** `KEY=value` lines of .env.example (comments and blanks skipped). */
export function envExample(): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of readFileSync(path.join(REPO_ROOT, '.env.example'), 'utf8').split('\n')) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) vars.set(m[1]!, m[2]!);
  }
  return vars;
}

/**
 * `docker-compose -f <files…> config` in a scratch copy of the project whose `.env` is
 * `.env.example` (as the runbook's first step makes it), with an environment that holds nothing
 * compose could interpolate from. Returns the resolved configuration and compose's warnings.
 */
export async function composeConfig(
  files: string[],
): Promise<{ config: ComposeConfig; stderr: string; projectDir: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-compose-'));
  try {
    for (const f of files) copyFileSync(path.join(REPO_ROOT, f), path.join(dir, f));
    copyFileSync(path.join(REPO_ROOT, '.env.example'), path.join(dir, '.env'));
    const args = files.flatMap((f) => ['-f', f]);
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LANG: 'C.UTF-8' };
    const { stdout, stderr } = await run('docker-compose', [...args, 'config'], {
      cwd: dir,
      env,
      maxBuffer: 16 * 1024 * 1024,
    }).catch((err: { stderr?: string; message: string }) => {
      throw new Error(`docker-compose ${args.join(' ')} config failed:\n${err.stderr ?? err.message}`);
    });
    return { config: parse(stdout) as ComposeConfig, stderr, projectDir: dir };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `${VAR}`, `${VAR:-x}`, `$VAR` references of a compose file (`$$` is a literal dollar). */
export function interpolatedVariables(text: string): Set<string> {
  const names = new Set<string>();
  const noComments = text
    .split('\n')
    .map((l) => l.replace(/^\s*#.*$/, ''))
    .join('\n');
  const re = /\$(\$)|\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
  for (const m of noComments.matchAll(re)) {
    if (m[1]) continue;
    names.add((m[2] ?? m[3])!);
  }
  return names;
}

export interface PublishedPort {
  hostIp: string;
  published: string;
  target: string;
}

/** Normalises compose's short (`127.0.0.1:80:80/tcp`) and long port syntaxes. */
export function publishedPorts(service: ComposeService): PublishedPort[] {
  return (service.ports ?? []).map((p) => {
    if (typeof p === 'object')
      return { hostIp: p.host_ip ?? '0.0.0.0', published: String(p.published ?? ''), target: String(p.target ?? '') };
    const spec = p.replace(/\/(tcp|udp)$/, '');
    const parts = spec.split(':');
    if (parts.length === 3) return { hostIp: parts[0]!, published: parts[1]!, target: parts[2]! };
    if (parts.length === 2) return { hostIp: '0.0.0.0', published: parts[0]!, target: parts[1]! };
    return { hostIp: '0.0.0.0', published: '', target: parts[0]! };
  });
}

export function healthcheckCommand(service: ComposeService): string {
  const t = service.healthcheck?.test;
  if (!t) return '';
  return Array.isArray(t) ? t.join(' ') : t;
}

export function dependsOn(service: ComposeService): Record<string, string> {
  const d = service.depends_on ?? {};
  if (Array.isArray(d)) return Object.fromEntries(d.map((n) => [n, 'service_started']));
  return Object.fromEntries(Object.entries(d).map(([n, v]) => [n, v.condition ?? 'service_started']));
}

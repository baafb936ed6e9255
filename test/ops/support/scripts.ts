import { spawn } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../support/process.ts';

export interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `scripts/<name>` with bash in the repository, with a clean environment (PATH, HOME and
 * what the test gives) so nothing of the test runner's environment (DATABASE_URL…) leaks in.
 * stdin is not a terminal.
 */
export function runScript(name: string, args: string[], env: Record<string, string> = {}): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(REPO_ROOT, 'scripts', name), ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', LANG: 'C.UTF-8', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * A stand-in for `docker compose` that runs on this machine what the scripts ask the compose
 * services to run: `exec -T postgres <cmd…>` runs <cmd…> against the local PostgreSQL, `ps -q
 * <service>` says the service runs, and every call is appended to `log`. It lets the compose
 * code paths of the scripts run for real without a Docker engine.
 */
export function writeComposeShim(file: string, log: string, pg: { host: string; port: string }): string {
  writeFileSync(
    file,
    `#!/usr/bin/env bash
set -euo pipefail
echo "$*" >> ${JSON.stringify(log)}
cmd="$1"; shift
case "$cmd" in
  ps) [ "$1" = -q ] && shift; echo "shim-container-$1" ;;
  exec)
    [ "$1" = -T ] && shift
    service="$1"; shift
    [ "$service" = postgres ] || { echo "shim: exec only supports postgres" >&2; exit 1; }
    PGHOST=${JSON.stringify(pg.host)} PGPORT=${JSON.stringify(pg.port)} exec "$@"
    ;;
  stop|start) ;;
  *) echo "shim: unsupported: $cmd" >&2; exit 1 ;;
esac
`,
  );
  chmodSync(file, 0o755);
  return file;
}

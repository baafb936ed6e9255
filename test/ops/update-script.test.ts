// scripts/update.sh in compose mode, run for real against stand-ins for `docker compose` and
// `docker` that keep a list of containers per service and log every call (no Docker engine
// here). Checked: migrations run from the new image before any restart; each of api, web and
// worker is rolled by starting new containers next to the old ones, waiting for them to be
// healthy, reloading nginx, then stopping the old ones; an unhealthy new container is removed and
// the old ones keep running; the final health check retries instead of sleeping.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from './support/scripts.ts';

let server: http.Server;
let healthUrl = '';
let healthCalls = 0;
const scratch: string[] = [];

beforeAll(async () => {
  // Answers 503 twice, then 200: the script must retry, not give up or sleep blindly.
  server = http.createServer((req, res) => {
    healthCalls++;
    const ok = healthCalls > 2;
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: ok ? 'healthy' : 'unhealthy', checks: [], timestamp: new Date().toISOString() }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  healthUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/health`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

/** A fake Docker: containers are lines of <dir>/state/<service>; `unhealthy` names services whose new containers fail. */
function fakeDocker(initial: Record<string, string[]>, unhealthy: string[] = []) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-update-'));
  scratch.push(dir);
  const state = path.join(dir, 'state');
  mkdirSync(state);
  for (const [svc, ids] of Object.entries(initial))
    writeFileSync(path.join(state, svc), ids.map((i) => `${i}\n`).join(''));
  const log = path.join(dir, 'calls.log');
  const bin = path.join(dir, 'bin');
  mkdirSync(bin);
  const common = `set -euo pipefail
STATE=${JSON.stringify(state)}
LOG=${JSON.stringify(log)}
UNHEALTHY=${JSON.stringify(unhealthy.join(' '))}
`;
  /** An executable bash script at `file`: the shared variables, `cmd` (the first argument), then `body`. */
  const standIn = (file: string, body: string) => {
    writeFileSync(
      file,
      `#!/usr/bin/env bash
${common}
cmd="$1"; shift
${body}`,
    );
    chmodSync(file, 0o755);
  };
  standIn(
    path.join(dir, 'compose'),
    `[ "$cmd" = ps ] || echo "compose $cmd\${*:+ $*}" >> "$LOG"
case "$cmd" in
  ps) [ "$1" = -q ] && shift; cat "$STATE/$1" 2>/dev/null || true ;;
  build) ;;
  run) ;;
  exec) ;;
  up)
    svc="\${@: -1}"; scale=""
    for a in "$@"; do case "$a" in *=*) scale="\${a#*=}" ;; esac; done
    touch "$STATE/$svc"
    have=$(grep -c . "$STATE/$svc" || true)
    want=\${scale:-$([ "$have" -gt 0 ] && echo "$have" || echo 1)}
    n=$have
    while [ "$n" -lt "$want" ]; do n=$((n + 1)); echo "new-$svc-$n" >> "$STATE/$svc"; done
    ;;
  *) echo "unsupported compose $cmd" >&2; exit 1 ;;
esac
`,
  );
  standIn(
    path.join(bin, 'docker'),
    `[ "$cmd" = inspect ] || echo "docker $cmd $*" >> "$LOG"
case "$cmd" in
  inspect)
    id="\${@: -1}"; svc="\${id#new-}"; svc="\${svc%-*}"
    if [[ "$id" == new-* ]] && [[ " $UNHEALTHY " == *" $svc "* ]]; then echo unhealthy; else echo healthy; fi ;;
  stop) ;;
  rm)
    for id in "$@"; do
      [ "$id" = -f ] && continue
      for f in "$STATE"/*; do grep -vx "$id" "$f" > "$f.tmp" || true; mv "$f.tmp" "$f"; done
    done ;;
  compose) exit 1 ;;
  *) echo "unsupported docker $cmd" >&2; exit 1 ;;
esac
`,
  );
  return {
    env: { COMPOSE: path.join(dir, 'compose'), PATH: `${bin}:${process.env.PATH}` },
    calls: () => readFileSync(log, 'utf8').trim().split('\n'),
    containers: (svc: string) => readFileSync(path.join(state, svc), 'utf8').split('\n').filter(Boolean),
  };
}

describe('update.sh (compose mode)', () => {
  it('migrates with the new image, then rolls api, web and worker with nginx reloads, then checks health with retries', async () => {
    const docker = fakeDocker({
      api: ['old-api-1'],
      web: ['old-web-1'],
      worker: ['old-worker-1', 'old-worker-2'],
      nginx: ['nginx-1'],
      postgres: ['pg-1'],
    });
    healthCalls = 0;
    const r = await runScript('update.sh', ['--no-pull'], {
      ...docker.env,
      HEALTH_URL: healthUrl,
      HEALTH_INTERVAL: '0',
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('Update completed');
    expect(r.stdout).toMatch(/healthy after 3 attempt\(s\)/);

    expect(docker.calls()).toEqual([
      'compose build',
      'compose run --rm migrate',
      'compose up -d --no-deps --no-recreate --scale api=2 api',
      'compose exec -T nginx nginx -s reload',
      'docker stop old-api-1',
      'docker rm old-api-1',
      'compose exec -T nginx nginx -s reload',
      'compose up -d --no-deps --no-recreate --scale web=2 web',
      'compose exec -T nginx nginx -s reload',
      'docker stop old-web-1',
      'docker rm old-web-1',
      'compose exec -T nginx nginx -s reload',
      'compose up -d --no-deps --no-recreate --scale worker=4 worker',
      'docker stop old-worker-1 old-worker-2',
      'docker rm old-worker-1 old-worker-2',
    ]);
    expect(docker.containers('api')).toEqual(['new-api-2']);
    expect(docker.containers('worker')).toEqual(['new-worker-3', 'new-worker-4']);
  });

  it('keeps the old containers when the new ones are not healthy', async () => {
    const docker = fakeDocker(
      { api: ['old-api-1'], web: ['old-web-1'], worker: ['old-worker-1'], nginx: ['nginx-1'] },
      ['web'],
    );
    const r = await runScript('update.sh', ['--no-pull'], {
      ...docker.env,
      HEALTH_URL: healthUrl,
      HEALTH_INTERVAL: '0',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /web: the new container\(s\) did not become healthy and were removed; the old ones keep running/,
    );
    expect(docker.calls()).toContain('docker rm -f new-web-2');
    expect(docker.calls()).not.toContain('docker stop old-web-1');
    expect(docker.containers('web')).toEqual(['old-web-1']);
    expect(docker.calls().some((c) => c.includes('worker'))).toBe(false); // stops at the first failure
  });

  it('fails with a clear message when the site never answers healthy', async () => {
    const docker = fakeDocker({ api: ['old-api-1'], web: ['old-web-1'], worker: ['old-worker-1'] });
    const r = await runScript('update.sh', ['--no-pull'], {
      ...docker.env,
      HEALTH_URL: 'http://127.0.0.1:9/api/v1/health',
      HEALTH_RETRIES: '2',
      HEALTH_INTERVAL: '0',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/did not answer healthy after 2 attempts/);
  });

  it('explains its usage', async () => {
    const r = await runScript('update.sh', ['--ref'], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--ref needs a value[\s\S]*usage: scripts\/update.sh/);
    const bad = await runScript('update.sh', ['--compose', '--no-pull'], { HEALTH_RETRIES: 'many', COMPOSE: 'false' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/HEALTH_RETRIES must be a whole number/);
  });
});

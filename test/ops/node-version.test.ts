// One Node major everywhere (.nvmrc, engines, the Dockerfile's base image, @types/node), and the
// bootstrap of `npm start` / `npm test`: launched by an older Node they re-run themselves under
// the Node 24 kept in .node/, with that Node first on PATH for their children.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/process.ts';

const read = (f: string) => readFileSync(path.join(REPO_ROOT, f), 'utf8');
const major = Number(read('.nvmrc').trim());
const pkg = JSON.parse(read('package.json')) as { engines: { node: string }; devDependencies: Record<string, string> };

/** A Node older than .nvmrc's major on this machine (the distribution's), if there is one. */
const olderNode = ['/usr/bin/node', '/usr/local/bin/node'].find((bin) => {
  const r = spawnSync(bin, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  return r.status === 0 && Number(r.stdout.split('.')[0]) < major;
});

describe('Node version', () => {
  it('is 24 in .nvmrc, engines, the Dockerfile base image and @types/node', () => {
    expect(major).toBe(24);
    expect(pkg.engines.node).toBe(`>=${major}`);
    expect(read('docker/Dockerfile')).toMatch(new RegExp(`^ARG NODE_IMAGE=node:${major}-[a-z]+-slim$`, 'm'));
    expect(pkg.devDependencies['@types/node']).toMatch(new RegExp(`^\\^${major}\\.`));
  });

  it('runs these tests on it', () => {
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(major);
  });

  it.skipIf(!olderNode)(
    're-runs a script started by an older Node under Node 24, children included, exit status kept',
    () => {
      const script = [
        "import { spawnSync } from 'node:child_process';",
        "import { runOnRequiredNode } from './scripts/lib/node-runtime.mjs';",
        'await runOnRequiredNode();',
        "const child = spawnSync('node', ['-p', 'process.version'], { encoding: 'utf8' }).stdout.trim();",
        'console.log(JSON.stringify({ self: process.version, child, args: process.argv.slice(1) }));',
        'process.exit(3);',
      ].join('\n');
      const r = spawnSync(olderNode!, ['--input-type=module', '-e', script, 'one', 'two'], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(3);
      expect(r.stderr).toMatch(
        new RegExp(`older than ${major}: running under \\.node/${major}\\.\\d+\\.\\d+/bin/node`),
      );
      const seen = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { self: string; child: string; args: string[] };
      expect(seen.self).toMatch(new RegExp(`^v${major}\\.`));
      expect(seen.child).toBe(seen.self);
      expect(seen.args).toEqual(['one', 'two']);
    },
  );

  it.skipIf(!olderNode)('gives shells the bin folder of that Node (scripts/node-bin.mjs, used by CI)', () => {
    const r = spawnSync(olderNode!, ['scripts/node-bin.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const bin = r.stdout.trim();
    expect(path.relative(REPO_ROOT, bin)).toMatch(new RegExp(`^\\.node/${major}\\.\\d+\\.\\d+/bin$`));
    expect(spawnSync(path.join(bin, 'node'), ['-v'], { encoding: 'utf8' }).stdout).toMatch(new RegExp(`^v${major}\\.`));
  });

  it.skipIf(!olderNode)('stops with what to install when Node 24 cannot be fetched, leaving nothing behind', () => {
    // A copy of the bootstrap in an empty checkout (no .node/), with a registry nobody answers on.
    const repo = mkdtempSync(path.join(os.tmpdir(), 'earshot-node-'));
    try {
      cpSync(path.join(REPO_ROOT, 'scripts/lib/node-runtime.mjs'), path.join(repo, 'scripts/lib/node-runtime.mjs'));
      cpSync(path.join(REPO_ROOT, 'scripts/node-bin.mjs'), path.join(repo, 'scripts/node-bin.mjs'));
      cpSync(path.join(REPO_ROOT, '.nvmrc'), path.join(repo, '.nvmrc'));
      const r = spawnSync(olderNode!, ['scripts/node-bin.mjs'], {
        cwd: repo,
        encoding: 'utf8',
        env: { ...process.env, npm_config_registry: 'http://127.0.0.1:9/', npm_config_fetch_retries: '0' },
      });
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`needs Node ${major} \\(found v\\d+\\.`));
      expect(r.stderr).toMatch(/nvm install/);
      expect(r.stderr).toMatch(/automatic download failed: npm view exited with 1: code ECONNREFUSED/);
      expect(existsSync(path.join(repo, '.node'))).toBe(false);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, freePort, spawnCollected, waitForHttp, type Spawned } from '../support/process.ts';
import { temporaryFolders } from '../support/temp-dirs.ts';

/** What the README's first command runs. */
function npmStart(env: NodeJS.ProcessEnv): Spawned {
  return spawnCollected(process.execPath, ['scripts/start.mjs'], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
}

const dataFolder = temporaryFolders('earshot-start-');

describe('npm start (embedded mode)', () => {
  it('serves the web app and the API on one port, keeps its data across restarts, and stops cleanly', async () => {
    const dataDir = await dataFolder();
    const port = await freePort();
    const env = { PORT: String(port), DATA_DIR: dataDir, HOST: '127.0.0.1' };

    const first = npmStart(env);
    await waitForHttp(`http://127.0.0.1:${port}/api/v1/health`, first);

    const health = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'healthy',
      checks: [
        { service: 'database', healthy: true },
        { service: 'storage', healthy: true },
      ],
    });

    const home = await fetch(`http://127.0.0.1:${port}/`);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toMatch(/text\/html/);
    const html = await home.text();
    expect(html).toContain('Earshot');
    expect(html).toMatch(/<header/);

    const apiMiss = await fetch(`http://127.0.0.1:${port}/api/v1/nothing-here`);
    expect(apiMiss.status).toBe(404);
    expect((await apiMiss.json()).error.code).toBe('not_found');

    const docs = await fetch(`http://127.0.0.1:${port}/api/docs/json`);
    expect(docs.status).toBe(200);

    const secrets = await readFile(path.join(dataDir, 'secrets.json'), 'utf8');
    first.child.kill('SIGTERM');
    expect((await first.exited).code, first.output()).toBe(0);

    // Second boot: same database (no migrations to apply), same generated secrets.
    const second = npmStart(env);
    await waitForHttp(`http://127.0.0.1:${port}/api/v1/health`, second);
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).status).toBe(200);
    expect(await readFile(path.join(dataDir, 'secrets.json'), 'utf8')).toBe(secrets);
    expect(second.output()).not.toMatch(/migrations applied/);
    second.child.kill('SIGTERM');
    expect((await second.exited).code, second.output()).toBe(0);
  });
});

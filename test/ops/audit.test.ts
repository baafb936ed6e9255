// `npm run audit` (scripts/audit.mjs): the real npm client's audit against a registry on loopback
// (answering with an advisory, with none, or refusing like a mirror that has no audit endpoint),
// and the committed table of known advisories checked against the installed tree.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/process.ts';
import {
  installedVersions,
  loadAdvisoryTable,
  matchAdvisories,
  productionTree,
} from '../../scripts/lib/known-advisories.mjs';

type Answer = { status: number; body: unknown };
let answer: Answer = { status: 200, body: {} };

/** The registry's answer: one advisory against every version of pino that is installed. */
function pinoAdvisory(a: { id: number; ghsa: string; title: string; severity: string; score: number }): Answer {
  const advisory = {
    id: a.id,
    url: `https://advisories.test/${a.ghsa}`,
    title: a.title,
    severity: a.severity,
    vulnerable_versions: '<99.0.0',
    cwe: [],
    cvss: { score: a.score, vectorString: null },
  };
  return { status: 200, body: { pino: [advisory] } };
}
const bulkRequests: Record<string, string[]>[] = [];
let registry: http.Server;
let registryUrl = '';
let tmp = '';

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'earshot-audit-'));
  // The advisory endpoint npm audit posts to; package documents are not needed (404).
  registry = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      if (req.method === 'POST' && req.url?.endsWith('/-/npm/v1/security/advisories/bulk')) {
        const raw = Buffer.concat(chunks);
        const { gunzipSync } = await import('node:zlib');
        const text = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString() : raw.toString();
        bulkRequests.push(JSON.parse(text) as Record<string, string[]>);
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.status === 200 ? JSON.stringify(answer.body) : '');
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
  registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise((resolve) => registry?.close(resolve));
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

let runs = 0;
function runAudit(env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string }> {
  // A fresh npm cache per run: npm keeps advisory answers in its cache.
  const cache = path.join(tmp, `npm-cache-${++runs}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/audit.mjs'], {
      cwd: REPO_ROOT,
      env: { ...process.env, npm_config_registry: registryUrl, npm_config_cache: cache, ...env },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

const table = loadAdvisoryTable(path.join(REPO_ROOT, 'scripts/audit/known-advisories.json'));
const installed = installedVersions(productionTree(REPO_ROOT));
/** What the table alone decides for this checkout (next is upgraded on its own schedule). */
const tableFindings = matchAdvisories(installed, table.advisories);

describe('npm run audit', () => {
  it('fails on a high advisory the registry reports, naming it', async () => {
    answer = pinoAdvisory({ id: 1, ghsa: 'GHSA-aaaa', title: 'Log injection in pino', severity: 'high', score: 7.5 });
    const r = await runAudit();
    expect(r.code, r.out).toBe(1);
    expect(r.out).toMatch(/npm audit \(registry\): 0 critical, \d+ high/);
    expect(r.out).toMatch(/HIGH pino: Log injection in pino \(https:\/\/advisories\.test\/GHSA-aaaa\)/);
    expect(r.out).not.toMatch(/WARNING/);
    // Production dependencies only: the test tools are not sent.
    const sent = bulkRequests.at(-1)!;
    expect(Object.keys(sent)).toContain('fastify');
    expect(Object.keys(sent)).not.toContain('vitest');
  });

  it('does not fail on a moderate advisory', async () => {
    answer = pinoAdvisory({ id: 2, ghsa: 'GHSA-bbbb', title: 'Minor issue', severity: 'moderate', score: 4 });
    const r = await runAudit();
    expect(r.out).toMatch(/npm audit \(registry\): 0 critical, 0 high, \d+ moderate/);
    expect(r.code, r.out).toBe(tableFindings.length ? 1 : 0);
  });

  it('says loudly when the endpoint cannot answer and falls back to the committed table', async () => {
    answer = { status: 405, body: null };
    const r = await runAudit();
    expect(r.out).toMatch(/WARNING: the registry audit endpoint did not answer/);
    expect(r.out).toMatch(/HTTP 405/);
    expect(r.out).toMatch(/known advisories \(table reviewed \d{4}-\d{2}-\d{2}, \d+ rows\): kysely 0\.29\.\d+/);
    expect(r.code, r.out).toBe(tableFindings.length ? 1 : 0);
    for (const f of tableFindings) expect(r.out).toContain(`${f.package}@${f.version} is in`);

    const strict = await runAudit({ AUDIT_REQUIRE_REGISTRY: '1' });
    expect(strict.code, strict.out).toBe(1);
    expect(strict.out).toMatch(/AUDIT_REQUIRE_REGISTRY=1: an unanswered audit endpoint fails the audit/);
  });
});

describe('the table of known advisories', () => {
  it('holds kysely < 0.28.17 and next < 15.5.18, and this checkout has a patched kysely', () => {
    const rows = table.advisories;
    expect(rows.find((a) => a.package === 'kysely')?.vulnerable).toBe('<0.28.17');
    expect(rows.some((a) => a.package === 'next' && a.vulnerable.startsWith('<15.5.18'))).toBe(true);
    expect(installed.get('kysely')?.size).toBeGreaterThan(0);
    expect(tableFindings.filter((f) => f.package === 'kysely')).toEqual([]);
  });

  it('matches installed versions by semver range, deduplicated entries included', () => {
    const [kysely] = [...installed.get('kysely')!];
    const row = { package: 'kysely', severity: 'high' as const, ids: ['TEST-1'], summary: 'test' };
    expect(matchAdvisories(installed, [{ ...row, vulnerable: `<=${kysely}` }])).toEqual([
      { ...row, vulnerable: `<=${kysely}`, version: kysely },
    ]);
    expect(matchAdvisories(installed, [{ ...row, vulnerable: `<${kysely}` }])).toEqual([]);
    expect(matchAdvisories(installed, [{ ...row, package: 'not-installed-anywhere', vulnerable: '*' }])).toEqual([]);
  });

  it('rejects a malformed row instead of skipping it', async () => {
    const file = path.join(tmp, 'bad.json');
    await writeFile(
      file,
      JSON.stringify({ advisories: [{ package: 'kysely', vulnerable: 'not a range', severity: 'high', ids: ['X'] }] }),
    );
    expect(() => loadAdvisoryTable(file)).toThrow(/"vulnerable" is not a semver range/);
    await writeFile(
      file,
      JSON.stringify({ advisories: [{ package: 'kysely', vulnerable: '<1', severity: 'moderate', ids: ['X'] }] }),
    );
    expect(() => loadAdvisoryTable(file)).toThrow(/"severity" must be high or critical/);
  });
});

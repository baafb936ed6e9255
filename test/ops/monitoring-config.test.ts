// The monitoring stack's configuration, checked with the real validators where this machine has
// them and by reading the files everywhere:
//  - prometheus/prometheus.yml with `promtool check config` (Debian package prometheus; required);
//  - loki/loki-config.yml: Loki 3's rules read from the YAML (tsdb, a v13 period after the v12
//    one, retention through the compactor's delete_request_store, none of 2.9's removed keys), and
//    `loki -verify-config` when a Loki 3 binary is installed (Debian's is 2.x: skipped then);
//  - alloy/config.alloy read with test/ops/support/alloy-config.ts: every reference resolves to a
//    component that exists, every log source ends in loki.write, and the labels the dashboards'
//    Loki queries select on are made; `alloy fmt` when an Alloy binary is installed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../support/process.ts';
import { parseAlloy, references, type AlloyBlock, type AlloyValue } from './support/alloy-config.ts';

const file = (f: string) => path.join(REPO_ROOT, f);
const read = (f: string) => readFileSync(file(f), 'utf8');
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'earshot-monitoring-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('prometheus/prometheus.yml', () => {
  it('passes promtool check config', () => {
    const r = spawnSync('promtool', ['check', 'config', file('prometheus/prometheus.yml')], { encoding: 'utf8' });
    expect(r.error, 'promtool is missing: apt-get install prometheus').toBeUndefined();
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/SUCCESS/);
  });

  it('promtool does refuse a broken copy (the check above is not vacuous)', () => {
    const broken = path.join(scratch, 'prometheus.yml');
    writeFileSync(
      broken,
      read('prometheus/prometheus.yml').replace('refresh_interval: 30s', 'refresh_interval: thirty'),
    );
    const r = spawnSync('promtool', ['check', 'config', broken], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
  });
});

describe('loki/loki-config.yml (Loki 3)', () => {
  const loki = parse(read('loki/loki-config.yml')) as Record<string, any>;
  const periods = loki.schema_config.configs as Array<Record<string, any>>;

  it('stores on tsdb with daily index periods, in date order, the newest on schema v13', () => {
    expect(periods.length).toBeGreaterThan(0);
    for (const p of periods) {
      expect(p.store).toBe('tsdb');
      expect(p.object_store).toBe('filesystem');
      expect(p.index.period).toBe('24h');
    }
    const dates = periods.map((p) => String(p.from instanceof Date ? p.from.toISOString().slice(0, 10) : p.from));
    expect([...dates].sort()).toEqual(dates);
    expect(new Set(dates).size).toBe(dates.length);
    expect(periods.at(-1)!.schema).toBe('v13');
    // Structured metadata needs v13 on every day it is written: off while a v12 period exists.
    if (periods.some((p) => p.schema !== 'v13')) expect(loki.limits_config.allow_structured_metadata).toBe(false);
  });

  it('deletes logs after 31 days through the compactor, configured the Loki 3 way', () => {
    expect(loki.limits_config.retention_period).toBe('744h');
    expect(loki.compactor.retention_enabled).toBe(true);
    expect(loki.compactor.delete_request_store).toBe('filesystem');
  });

  it('uses none of the settings Loki 3 removed', () => {
    const removed = [
      'shared_store',
      'shared_store_key_prefix',
      'max_transfer_retries',
      'enforce_metric_name',
      'max_look_back_period',
      'boltdb_shipper',
      'deletion_mode: v1',
    ];
    const text = read('loki/loki-config.yml')
      .split('\n')
      .filter((l) => !l.trim().startsWith('#'))
      .join('\n');
    for (const key of removed) expect(text, key).not.toContain(key);
  });

  const lokiVersion = has('loki')
    ? /version (\d+)\./.exec(spawnSync('loki', ['-version'], { encoding: 'utf8' }).stdout ?? '')?.[1]
    : undefined;
  it.skipIf(!lokiVersion || Number(lokiVersion) < 3)(
    'passes loki -verify-config (when a Loki 3 binary is installed)',
    () => {
      const r = spawnSync('loki', [`-config.file=${file('loki/loki-config.yml')}`, '-verify-config'], {
        encoding: 'utf8',
      });
      expect(r.status, r.stdout + r.stderr).toBe(0);
    },
  );
});

describe('alloy/config.alloy (Grafana Alloy, replacing Promtail)', () => {
  const blocks = parseAlloy(read('alloy/config.alloy'));
  const components = new Map(blocks.filter((b) => b.label !== undefined).map((b) => [`${b.name}.${b.label}`, b]));
  const one = (id: string) => components.get(id) ?? expect.fail(`no component ${id}`);
  const sub = (b: AlloyBlock, name: string) => b.blocks.filter((x) => x.name === name);
  /** Component exports the configuration may refer to. */
  const EXPORTS: Record<string, string[]> = {
    'discovery.docker': ['targets'],
    'discovery.relabel': ['output', 'rules'],
    'local.file_match': ['targets'],
    'loki.process': ['receiver'],
    'loki.write': ['receiver'],
  };

  it('every block is a component (name and label) or the logging block', () => {
    for (const b of blocks) expect(b.label !== undefined || b.name === 'logging', b.name).toBe(true);
    expect(components.size).toBe(blocks.filter((b) => b.label !== undefined).length); // labels unique
  });

  it('every reference names a component of this file and one of its exports', () => {
    const refs = blocks.flatMap((b) => references(b));
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) {
      const parts = ref.split('.');
      const exported = parts.pop()!;
      const id = parts.join('.');
      const target = components.get(id);
      expect(target, `${ref}: no component ${id}`).toBeDefined();
      expect(EXPORTS[target!.name] ?? [], `${ref}: ${target!.name} exports no ${exported}`).toContain(exported);
    }
  });

  it('every log source ends in loki.write, which pushes to loki:3100', () => {
    const forwardTargets = (b: AlloyBlock) =>
      references(b.attributes.forward_to ?? []).map((r) => r.replace(/\.receiver$/, ''));
    const sources = [...components.entries()].filter(([id]) => id.startsWith('loki.source.'));
    expect(sources.map(([id]) => id).sort()).toEqual(['loki.source.docker.containers', 'loki.source.file.system']);
    for (const [id, source] of sources) {
      let frontier = forwardTargets(source);
      const seen = new Set<string>();
      while (frontier.some((f) => !f.startsWith('loki.write.'))) {
        const next = frontier
          .filter((f) => !f.startsWith('loki.write.'))
          .flatMap((f) => {
            expect(seen.has(f), `${id}: loop through ${f}`).toBe(false);
            seen.add(f);
            return forwardTargets(one(f));
          });
        frontier = [...frontier.filter((f) => f.startsWith('loki.write.')), ...next];
      }
      expect(frontier.length, `${id} forwards nowhere`).toBeGreaterThan(0);
    }
    const write = one('loki.write.default');
    expect(sub(write, 'endpoint').map((e) => e.attributes.url)).toEqual(['http://loki:3100/loki/api/v1/push']);
  });

  it('reads compose containers through the Docker socket and the host /var/log/*.log', () => {
    expect(one('discovery.docker.containers').attributes.host).toBe('unix:///var/run/docker.sock');
    expect(one('loki.source.docker.containers').attributes.host).toBe('unix:///var/run/docker.sock');
    const paths = (one('local.file_match.system').attributes.path_targets as Array<Record<string, AlloyValue>>).map(
      (t) => t.__path__,
    );
    expect(paths).toEqual(['/var/log/*.log']);
    const rules = sub(one('discovery.relabel.containers'), 'rule').map((r) => r.attributes);
    expect(rules[0]).toMatchObject({
      source_labels: ['__meta_docker_container_label_com_docker_compose_project'],
      action: 'keep',
    });
  });

  it("makes every label the dashboards' Loki queries select on, and the JSON lines' level, service and environment", () => {
    const relabelled = sub(one('discovery.relabel.containers'), 'rule')
      .map((r) => r.attributes.target_label)
      .filter(Boolean);
    const match = sub(one('loki.process.containers'), 'stage.match')[0]!;
    const json = sub(match, 'stage.json')[0]!.attributes.expressions as Record<string, string>;
    const labels = Object.keys(sub(match, 'stage.labels')[0]!.attributes.values as Record<string, string>);
    for (const k of ['level', 'service', 'environment']) {
      expect(json).toHaveProperty(k);
      expect(labels).toContain(k);
    }
    const made = new Set([...relabelled, ...labels, 'job', 'filename']);
    const dashboardSelectors = ['api-performance.json', 'worker-status.json'].flatMap((f) =>
      [...read(`grafana/dashboards/${f}`).matchAll(/"expr": "\{([^}]*)\}/g)].flatMap((m) =>
        [...m[1]!.matchAll(/([a-z_]+)\s*=~?\\"/g)].map((x) => x[1]!),
      ),
    );
    expect(dashboardSelectors.length).toBeGreaterThan(0);
    for (const label of dashboardSelectors) expect(made, label).toContain(label);
    expect(match.attributes.selector).toBe('{compose_service=~"api|worker|migrate"}');
  });

  it('runs in compose with this file, the Docker socket and /var/log read-only, behind the monitoring profile', () => {
    const compose = parse(read('docker-compose.yml')) as { services: Record<string, any> };
    const alloy = compose.services.alloy;
    expect(alloy.volumes).toEqual(
      expect.arrayContaining([
        './alloy/config.alloy:/etc/alloy/config.alloy:ro',
        '/var/log:/var/log:ro',
        '/var/run/docker.sock:/var/run/docker.sock:ro',
      ]),
    );
    expect(alloy.command).toContain('/etc/alloy/config.alloy');
    expect(alloy.profiles).toEqual(['monitoring']);
  });

  it.skipIf(!has('alloy'))('passes alloy fmt (when an Alloy binary is installed)', () => {
    const r = spawnSync('alloy', ['fmt', file('alloy/config.alloy')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });

  it('the reader refuses what is not Alloy syntax (so the checks above read the real file)', () => {
    expect(() => parseAlloy('loki.write "default" {\n  endpoint { url = }\n}')).toThrow(/expected a value/);
    expect(() => parseAlloy('loki.write "default" {\n  endpoint { url = "x" }\n')).toThrow(/at end of file/);
    expect(() => parseAlloy('a = 1')).toThrow(/outside a block/);
  });
});

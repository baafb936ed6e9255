// Grafana dashboards against the metrics the code really exports: every metric named in a
// dashboard's PromQL must appear in the live /metrics of the API or of the worker's health
// server, started here on real adapters. Also: the provisioning files agree with each other
// and with the compose mounts, and Prometheus scrapes api:3000 and worker:3001.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Registry } from 'prom-client';
import type { Api } from '@earshot/api';
import { MemoryListCache, runAnalyticsJob } from '@earshot/core';
import {
  ANALYTICS_METRIC_NAMES,
  BUSINESS_METRIC_NAMES,
  createAnalyticsMetrics,
  createBusinessMetrics,
  createMetricsRegistry,
  registerQueueMetrics,
} from '@earshot/runtime';
import { startHealthServer } from '../../apps/worker/src/health-server.ts';
import { createTestInfra, type TestInfra } from '../support/infra.ts';
import { buildTestApi } from '../support/factories.ts';
import { freePort, REPO_ROOT } from '../support/process.ts';
import { selfSignedCert } from '../support/certs.ts';

const exec = promisify(execFile);

const DASHBOARD_DIR = path.join(REPO_ROOT, 'grafana/dashboards');
const readYaml = (f: string) => parse(readFileSync(path.join(REPO_ROOT, f), 'utf8')) as Record<string, any>;

interface Target {
  expr?: string;
  datasource?: { type?: string; uid?: string };
}
interface Panel {
  title?: string;
  type?: string;
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  panels?: Panel[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
}

const dashboards = readdirSync(DASHBOARD_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, dashboard: JSON.parse(readFileSync(path.join(DASHBOARD_DIR, file), 'utf8')) as Dashboard }));

function allPanels(panels: Panel[]): Panel[] {
  return panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
}

/** PromQL expressions (Prometheus datasource) of a dashboard, with their panel titles. */
function promQueries(d: Dashboard): Array<{ panel: string; expr: string }> {
  return allPanels(d.panels).flatMap((p) =>
    (p.targets ?? [])
      .filter((t) => (t.datasource ?? p.datasource)?.type === 'prometheus' && t.expr)
      .map((t) => ({ panel: p.title ?? '?', expr: t.expr! })),
  );
}

const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'and',
  'or',
  'unless',
  'inf',
  'nan',
  'Inf',
  'NaN',
]);
/** Series Prometheus makes itself for every target, not exported by the app. */
const PROMETHEUS_SYNTHETIC = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'ALERTS']);

/** Checks brackets and quotes balance; throws with the expression when they do not. */
function checkSyntax(expr: string): void {
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const stack: string[] = [];
  let quote: string | null = null;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if ('([{'.includes(c)) stack.push(c);
    else if (c in pairs) {
      if (stack.pop() !== pairs[c]) throw new Error(`unbalanced '${c}' at ${i} in: ${expr}`);
    }
  }
  if (quote || stack.length) throw new Error(`unterminated ${quote ?? stack.at(-1)} in: ${expr}`);
  if (!/[a-zA-Z_:]/.test(expr)) throw new Error(`no metric in: ${expr}`);
}

/** Metric names a PromQL expression selects (functions, keywords, labels and durations removed). */
function metricNames(expr: string): string[] {
  let e = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
  e = e.replace(/\{[^}]*\}/g, ' ');
  e = e.replace(/\[[^\]]*\]/g, ' ');
  e = e.replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  e = e.replace(/\$\{?\w+\}?/g, ' ');
  const names: string[] = [];
  for (const m of e.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const before = e[m.index! - 1] ?? ' ';
    if (/[0-9.]/.test(before)) continue; // 1e3, 5m, 0.95
    if (
      e
        .slice(m.index! + m[0].length)
        .trimStart()
        .startsWith('(')
    )
      continue; // function / aggregation
    if (PROMQL_WORDS.has(m[0])) continue;
    names.push(m[0]);
  }
  return names;
}

/** `# TYPE` of every metric family in a Prometheus text exposition. */
function metricTypes(exposition: string): Map<string, string> {
  const types = new Map<string, string>();
  for (const m of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) types.set(m[1]!, m[2]!);
  return types;
}

/** The family a selected series belongs to: `x_bucket` / `x_sum` / `x_count` of a histogram or summary is `x`. */
function family(name: string, types: Map<string, string>): string {
  const m = /^(.*)_(bucket|sum|count)$/.exec(name);
  if (m && ['histogram', 'summary'].includes(types.get(m[1]!) ?? '')) return m[1]!;
  return name;
}

describe('PromQL name extraction', () => {
  it('keeps metrics, drops functions, labels, ranges and grouping', () => {
    expect(
      metricNames(
        'histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket{job="api", status=~"5.."}[$__rate_interval])))',
      ),
    ).toEqual(['http_request_duration_seconds_bucket']);
    expect(metricNames('sum(rate(a_total[5m])) / sum(rate(b_total[5m])) > 0')).toEqual(['a_total', 'b_total']);
    expect(metricNames('max by (queue) (jobs_queue_depth{state="failed"}) offset 1h')).toEqual(['jobs_queue_depth']);
    expect(metricNames('sum(x) without (instance) + on (job) group_left (service) y')).toEqual(['x', 'y']);
  });
});

describe('dashboards', () => {
  it('has the four dashboards of docs/operations.md, each with Prometheus queries', () => {
    expect(dashboards.map((d) => d.file)).toEqual([
      'api-performance.json',
      'business-metrics.json',
      'system-resources.json',
      'worker-status.json',
    ]);
    const uids = dashboards.map((d) => d.dashboard.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const { file, dashboard } of dashboards) {
      expect(dashboard.title, file).toMatch(/^Earshot \/ /);
      expect(promQueries(dashboard).length, file).toBeGreaterThan(2);
      for (const q of promQueries(dashboard)) expect(() => checkSyntax(q.expr), `${file}: ${q.panel}`).not.toThrow();
    }
  });

  it('shows what docs/operations.md lists for each', () => {
    const exprs = (file: string) =>
      promQueries(dashboards.find((d) => d.file === file)!.dashboard)
        .map((q) => q.expr)
        .join('\n');
    const api = exprs('api-performance.json');
    expect(api).toMatch(/rate\(http_requests_total/);
    for (const q of ['0.50', '0.95', '0.99'])
      expect(api).toContain(`histogram_quantile(${q}, sum by (le) (rate(http_request_duration_seconds_bucket`);
    expect(api).toMatch(/status=~"5\.\."/);
    const worker = exprs('worker-status.json');
    expect(worker).toMatch(/jobs_queue_depth\{state="waiting"\}/);
    expect(worker).toMatch(/job_duration_seconds_bucket/);
    expect(worker).toMatch(/jobs_finished_total\{outcome="failed"\}/);
    const system = exprs('system-resources.json');
    for (const m of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ])
      expect(system).toContain(m);
    const business = exprs('business-metrics.json');
    for (const m of BUSINESS_METRIC_NAMES) expect(business).toContain(`increase(${m}[1d])`);
    expect(business).toContain('sum(rate(earshot_plays_total[5m])) * 60');
    expect(business).toContain('max(earshot_rollup_lag_seconds)');
    expect(business).toContain('rate(earshot_analytics_step_seconds_sum');
  });

  it('refers only to the provisioned datasources, which point at the compose services', () => {
    const ds = readYaml('grafana/datasources/datasources.yml').datasources as Array<{
      uid: string;
      type: string;
      url: string;
    }>;
    expect(ds.map((d) => [d.type, d.uid, d.url])).toEqual([
      ['prometheus', 'prometheus', 'http://prometheus:9090'],
      ['loki', 'loki', 'http://loki:3100'],
    ]);
    const known = new Set(ds.map((d) => `${d.type}/${d.uid}`));
    for (const { file, dashboard } of dashboards) {
      for (const p of allPanels(dashboard.panels)) {
        for (const ref of [p.datasource, ...(p.targets ?? []).map((t) => t.datasource)]) {
          if (ref)
            expect(known.has(`${ref.type}/${ref.uid}`), `${file}: ${p.title} uses ${ref.type}/${ref.uid}`).toBe(true);
        }
      }
    }
  });

  it('are provisioned from the folder compose mounts', () => {
    const providers = readYaml('grafana/dashboards/dashboards.yml').providers as Array<{
      type: string;
      options: { path: string };
    }>;
    expect(providers).toHaveLength(1);
    expect(providers[0]).toMatchObject({ type: 'file', options: { path: '/etc/grafana/provisioning/dashboards' } });
    const compose = readYaml('docker-compose.yml');
    expect(compose.services.grafana.volumes).toEqual(
      expect.arrayContaining([
        './grafana/dashboards:/etc/grafana/provisioning/dashboards:ro',
        './grafana/datasources:/etc/grafana/provisioning/datasources:ro',
      ]),
    );
  });
});

describe('Prometheus and Loki configuration (the shipper, Alloy: monitoring-config.test.ts)', () => {
  it('scrapes /metrics of every api (port 3000) and worker (port 3001) replica', () => {
    const jobs = readYaml('prometheus/prometheus.yml').scrape_configs as Array<Record<string, any>>;
    const target = (job: string) => {
      const j = jobs.find((x) => x.job_name === job)!;
      const sd = j.dns_sd_configs?.[0];
      return {
        path: j.metrics_path ?? '/metrics',
        hosts: sd ? sd.names.map((n: string) => `${n}:${sd.port}`) : j.static_configs[0].targets,
      };
    };
    expect(target('api')).toEqual({ path: '/metrics', hosts: ['api:3000'] });
    expect(target('worker')).toEqual({ path: '/metrics', hosts: ['worker:3001'] });
    const compose = readYaml('docker-compose.yml');
    expect(compose.services.prometheus.volumes).toContain(
      './prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
    );
  });

  it('Loki listens on 3100 with its config where compose mounts it', () => {
    const loki = readYaml('loki/loki-config.yml');
    expect(loki.server.http_listen_port).toBe(3100);
    expect(loki.auth_enabled).toBe(false);
    const compose = readYaml('docker-compose.yml');
    expect(compose.services.loki.volumes).toContain('./loki/loki-config.yml:/etc/loki/local-config.yaml:ro');
    expect(compose.services.loki.command).toEqual(['-config.file=/etc/loki/local-config.yaml']);
  });
});

describe('business counters', () => {
  it('createBusinessMetrics is idempotent per registry and exposes HELP/TYPE before any event', async () => {
    const registry = new Registry();
    const a = createBusinessMetrics(registry);
    const b = createBusinessMetrics(registry);
    expect(b.uploads).toBe(a.uploads);
    const text = await registry.metrics();
    for (const name of BUSINESS_METRIC_NAMES) expect(text).toContain(`# TYPE ${name} counter`);
    a.plays.inc();
    expect(await registry.metrics()).toMatch(/^earshot_plays_total 1$/m);
  });
});

describe('every metric of the dashboards is exported by the api, the worker or node-exporter', () => {
  let t: TestInfra;
  let api: Api;
  let worker: http.Server;
  let apiMetrics = '';
  let workerMetrics = '';
  let nodeMetrics = '';
  let textfileDir = '';
  let nodeExporter: ChildProcess | undefined;
  let analytics: ReturnType<typeof createAnalyticsMetrics>;
  let workerUrl = '';

  beforeAll(async () => {
    t = await createTestInfra();
    api = await buildTestApi(t);
    await api.listen({ port: 0, host: '127.0.0.1' });
    const workerRegistry = createMetricsRegistry('worker');
    registerQueueMetrics(workerRegistry, t.infra.jobs);
    analytics = createAnalyticsMetrics(workerRegistry, t.infra.database.db);
    worker = await startHealthServer({
      port: 0,
      host: '127.0.0.1',
      jobs: t.infra.jobs,
      metrics: workerRegistry,
      logger: t.logger,
    });
    const apiUrl = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
    workerUrl = `http://127.0.0.1:${(worker.address() as AddressInfo).port}`;
    // A request first, so the HTTP metrics have samples as in production.
    expect((await fetch(`${apiUrl}/api/v1/health`)).status).toBe(200);
    const a = await fetch(`${apiUrl}/metrics`);
    const w = await fetch(`${workerUrl}/metrics`);
    expect([a.status, w.status]).toEqual([200, 200]);
    apiMetrics = await a.text();
    workerMetrics = await w.text();

    // The host's metrics: Debian's node-exporter, with the textfile folder the scripts write to
    // (the certificate script for real; the backup scripts' metric names from their source).
    textfileDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-textfile-'));
    const env = { ...process.env, METRICS_TEXTFILE_DIR: textfileDir, DOMAIN: 'music.example.org' };
    await selfSignedCert(textfileDir, { cn: 'music.example.org', days: 45 });
    await exec('bash', ['scripts/cert-expiry-metric.sh', path.join(textfileDir, 'cert.pem')], { cwd: REPO_ROOT, env });
    for (const script of ['backup-db.sh', 'backup-minio.sh']) {
      const call = /^write_textfile_metric (\S+) (\S+) ('[^']*')/m.exec(
        readFileSync(path.join(REPO_ROOT, 'scripts', script), 'utf8'),
      );
      expect(call, `${script} records its success`).not.toBeNull();
      await exec(
        'bash',
        [
          '-c',
          `source scripts/lib/textfile-metric.sh && write_textfile_metric ${call![1]} ${call![2]} ${call![3]} 1 test`,
        ],
        { cwd: REPO_ROOT, env },
      );
    }
    const nodePort = await freePort();
    nodeExporter = spawn(
      'prometheus-node-exporter',
      [`--web.listen-address=127.0.0.1:${nodePort}`, `--collector.textfile.directory=${textfileDir}`],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 200 && !nodeMetrics; i++) {
      nodeMetrics = await fetch(`http://127.0.0.1:${nodePort}/metrics`).then(
        (r) => (r.ok ? r.text() : ''),
        () => '',
      );
      if (!nodeMetrics) await new Promise((r) => setTimeout(r, 100));
    }
    expect(nodeMetrics).toContain('earshot_tls_certificate_expiry_timestamp_seconds{domain="music.example.org"}');
  });

  afterAll(async () => {
    nodeExporter?.kill('SIGKILL');
    if (textfileDir) await rm(textfileDir, { recursive: true, force: true });
    await api?.close();
    await new Promise<void>((resolve) => (worker ? worker.close(() => resolve()) : resolve()));
    await t?.cleanup();
  });

  it('finds each name in /metrics', () => {
    const apiTypes = metricTypes(apiMetrics);
    const workerTypes = metricTypes(workerMetrics);
    const nodeTypes = metricTypes(nodeMetrics);
    const missing: string[] = [];
    let checked = 0;
    for (const { file, dashboard } of dashboards) {
      for (const q of promQueries(dashboard)) {
        for (const name of metricNames(q.expr)) {
          if (PROMETHEUS_SYNTHETIC.has(name)) continue;
          checked++;
          const inApi = apiTypes.has(family(name, apiTypes));
          const inWorker = workerTypes.has(family(name, workerTypes));
          const inNode = nodeTypes.has(family(name, nodeTypes));
          if (!inApi && !inWorker && !inNode) missing.push(`${file} › ${q.panel}: ${name}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(missing, 'metrics the dashboards query but no process exports').toEqual([]);
  });

  it('the api exports the business counters and the HTTP metrics; the worker the queue metrics', () => {
    const apiTypes = metricTypes(apiMetrics);
    const workerTypes = metricTypes(workerMetrics);
    for (const name of BUSINESS_METRIC_NAMES) expect(apiTypes.get(name), name).toBe('counter');
    expect(apiTypes.get('http_requests_total')).toBe('counter');
    expect(apiTypes.get('http_request_duration_seconds')).toBe('histogram');
    expect(workerTypes.get('jobs_queue_depth')).toBe('gauge');
    expect(workerTypes.get('jobs_finished_total')).toBe('counter');
    expect(workerTypes.get('job_duration_seconds')).toBe('histogram');
    expect(workerMetrics).toMatch(/^jobs_queue_depth\{queue="transcode",state="waiting",service="worker"\} 0$/m);
    expect(workerTypes.get('earshot_rollup_lag_seconds')).toBe('gauge');
    expect(workerTypes.get('earshot_analytics_step_seconds')).toBe('histogram');
    expect(ANALYTICS_METRIC_NAMES.every((n) => workerTypes.has(n))).toBe(true);
  });

  it('the worker reports the rollup lag from the database and the duration of each analytics step', async () => {
    const sample = (text: string, series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    const lag = 'earshot_rollup_lag_seconds{service="worker"}';
    const runs = (step: string) => `earshot_analytics_step_seconds_count{service="worker",step="${step}"}`;
    // Before any run: no lag to show, no runs of either step.
    expect(sample(workerMetrics, lag)).toBeNaN();
    expect([sample(workerMetrics, runs('rollup')), sample(workerMetrics, runs('trending'))]).toEqual([0, 0]);

    await runAnalyticsJob(
      {
        db: t.infra.database.db,
        cache: new MemoryListCache(),
        clock: () => new Date(),
        playsRetentionDays: 90,
        observe: analytics.observe,
      },
      {},
    );
    const after = await (await fetch(`${workerUrl}/metrics`)).text();
    expect([sample(after, runs('rollup')), sample(after, runs('trending'))]).toEqual([1, 1]);
    expect(sample(after, 'earshot_analytics_step_seconds_sum{service="worker",step="trending"}')).toBeGreaterThan(0);
    // The run just finished: the lag is a small number of seconds, read from rollup_progress.
    const seconds = sample(after, lag)!;
    expect(seconds).toBeGreaterThanOrEqual(0);
    expect(seconds).toBeLessThan(600);
  });
});

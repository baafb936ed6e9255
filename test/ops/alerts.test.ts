// The monitoring checklist as alerts, tested at three levels:
//  - every rule's unit tests (`promtool test rules`), and the configurations' own validators;
//  - the scripts that feed the textfile collector (certificate expiry, backups);
//  - end to end, natively with Debian's Prometheus, node-exporter and Alertmanager against the
//    embedded server: a queue made to hold ten failed jobs ends as an e-mail at a loopback SMTP
//    server, sent through the Alertmanager configuration scripts/render-alertmanager.ts renders.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@earshot/config';
import { createLogger, createLogMetrics, createMetricsRegistry } from '@earshot/runtime';
import { startEmbeddedPlatform } from '../../apps/embedded/src/platform.ts';
import { startSmtpServer } from '../../apps/api/test/support/accounts.ts';
import { freePort, REPO_ROOT } from '../support/process.ts';
import { selfSignedCert } from '../support/certs.ts';

const exec = promisify(execFile);
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-alerts-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function daemon(command: string, args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  cleanups.push(() => child.kill('SIGKILL'));
  return { child, output: () => out.slice(-4000) };
}

async function until<T>(
  what: string,
  attempts: number,
  check: () => Promise<T | undefined>,
  explain: () => string = () => '',
): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`never happened: ${what}\n${explain()}`);
}

describe('alert rules and configurations', () => {
  it('pass their promtool unit tests, one per alert', async () => {
    const { stdout } = await exec('promtool', ['test', 'rules', 'prometheus/tests/earshot.rules.test.yml'], {
      cwd: REPO_ROOT,
    });
    expect(stdout).toContain('SUCCESS');
    const rules = await readFile(path.join(REPO_ROOT, 'prometheus/alerts/earshot.rules.yml'), 'utf8');
    const tests = await readFile(path.join(REPO_ROOT, 'prometheus/tests/earshot.rules.test.yml'), 'utf8');
    const alerts = [...rules.matchAll(/- alert: (\w+)/g)].map((m) => m[1]!);
    expect(alerts.length).toBeGreaterThanOrEqual(13);
    for (const alert of alerts) expect(tests, `${alert} has no unit test`).toContain(`alertname: ${alert}`);
    // Every alert says how bad, what, and where the runbook entry is, and the entry exists.
    const runbook = await readFile(path.join(REPO_ROOT, 'docs/operations.md'), 'utf8');
    for (const [, anchor] of rules.matchAll(/runbook_url: "docs\/operations\.md#([a-z0-9-]+)"/g)) {
      expect(runbook, `docs/operations.md has no entry #${anchor}`).toMatch(
        new RegExp(`<a id="${anchor}"></a>|^#+ .*\\{#${anchor}\\}`, 'm'),
      );
    }
    expect([...rules.matchAll(/severity: (\w+)/g)].every((m) => ['warning', 'critical'].includes(m[1]!))).toBe(true);
  });

  it('render into an Alertmanager configuration amtool accepts, and refuse a bad address', async () => {
    const dir = await tempDir();
    const env = {
      ...process.env,
      SMTP_HOST: 'smtp.example.org',
      SMTP_PORT: '587',
      SMTP_USER: 'alerts',
      SMTP_PASS: 'secret',
      SMTP_FROM: 'Earshot <noreply@example.org>',
      ALERT_EMAIL_TO: 'ops@example.org',
    };
    await exec(
      process.execPath,
      ['--import', 'tsx', 'scripts/render-alertmanager.ts', '--out', path.join(dir, 'am.yml')],
      { cwd: REPO_ROOT, env },
    );
    const { stdout } = await exec('amtool', ['check-config', path.join(dir, 'am.yml')]);
    expect(stdout).toContain('SUCCESS');
    expect(stdout).toContain('4 inhibit rules');
    const bad = await exec(
      process.execPath,
      ['--import', 'tsx', 'scripts/render-alertmanager.ts', '--out', path.join(dir, 'bad.yml')],
      { cwd: REPO_ROOT, env: { ...env, ALERT_EMAIL_TO: 'not an address' } },
    ).catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: 1, stderr: expect.stringContaining('ALERT_EMAIL_TO is not an e-mail address') });
  });

  it('Prometheus accepts its configuration with the rules', async () => {
    const { stdout } = await exec('promtool', ['check', 'rules', 'prometheus/alerts/earshot.rules.yml'], {
      cwd: REPO_ROOT,
    });
    expect(stdout).toContain('SUCCESS');
  });
});

describe('the textfile metrics the alerts read', () => {
  it('scripts/cert-expiry-metric.sh writes the certificate expiry for node-exporter', async () => {
    const dir = await tempDir();
    await selfSignedCert(dir, { cn: 'music.example.org', days: 45 });
    const textfiles = path.join(dir, 'textfile');
    await exec('bash', ['scripts/cert-expiry-metric.sh', path.join(dir, 'cert.pem')], {
      cwd: REPO_ROOT,
      env: { ...process.env, DOMAIN: 'music.example.org', METRICS_TEXTFILE_DIR: textfiles },
    });
    const prom = await readFile(path.join(textfiles, 'earshot_tls_certificate.prom'), 'utf8');
    const m = /^earshot_tls_certificate_expiry_timestamp_seconds\{domain="music\.example\.org"\} (\d+)$/m.exec(prom);
    expect(m, prom).not.toBeNull();
    const days = (Number(m![1]) - Date.now() / 1000) / 86400;
    expect(days).toBeGreaterThan(44);
    expect(days).toBeLessThanOrEqual(45);
    const refused = await exec('bash', ['scripts/cert-expiry-metric.sh', path.join(dir, 'key.pem')], {
      cwd: REPO_ROOT,
      env: { ...process.env, METRICS_TEXTFILE_DIR: textfiles },
    }).catch((e: { code: number; stderr: string }) => e);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('is not a PEM certificate') });
  });
});

describe('an alert, end to end', () => {
  it('ten failed jobs become an e-mail to the operator', async () => {
    const dir = await tempDir();
    const smtp = await startSmtpServer();
    cleanups.push(() => smtp.close());

    // The embedded platform, with a queue holding ten failed jobs.
    const port = await freePort();
    const config = loadConfig(
      { DATA_DIR: path.join(dir, 'data'), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'test' },
      { persistDevSecrets: false },
    );
    const metrics = createMetricsRegistry('embedded');
    const platform = await startEmbeddedPlatform(
      config,
      createLogger(config, 'embedded', undefined, createLogMetrics(metrics)),
      { web: false, metrics },
    );
    cleanups.push(() => platform.close());
    for (let i = 0; i < 10; i++)
      await platform.infra.jobs.add(
        'waveform',
        { versionId: `missing-${i}` },
        { jobId: `doomed-${i}`, delayMs: 3_600_000 },
      );
    await platform.infra.database.db
      .updateTable('jobs')
      .set({ status: 'failed', error: 'made to fail by the test', finished_at: new Date() })
      .where('queue', '=', 'waveform')
      .where('id', 'like', 'doomed-%')
      .execute();

    // node-exporter with a textfile folder, as in compose.
    const textfiles = path.join(dir, 'textfile');
    const nodePort = await freePort();
    const nodeExporter = daemon('prometheus-node-exporter', [
      `--web.listen-address=127.0.0.1:${nodePort}`,
      `--collector.textfile.directory=${textfiles}`,
    ]);
    await exec(
      'bash',
      [
        '-c',
        `source scripts/lib/textfile-metric.sh && write_textfile_metric earshot_backup_database earshot_backup_last_success_timestamp_seconds 'kind="database"' "$(date +%s)" test`,
      ],
      { cwd: REPO_ROOT, env: { ...process.env, METRICS_TEXTFILE_DIR: textfiles } },
    );

    // Alertmanager from the rendered configuration (short grouping waits: this is a test).
    const amPort = await freePort();
    await exec(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/render-alertmanager.ts',
        '--out',
        path.join(dir, 'alertmanager.yml'),
        '--group-wait',
        '1s',
        '--group-interval',
        '1s',
      ],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          SMTP_HOST: '127.0.0.1',
          SMTP_PORT: String(smtp.port),
          SMTP_FROM: 'Earshot <alerts@example.test>',
          ALERT_EMAIL_TO: 'operator@example.test',
        },
      },
    );
    const alertmanager = daemon('prometheus-alertmanager', [
      `--config.file=${path.join(dir, 'alertmanager.yml')}`,
      `--storage.path=${path.join(dir, 'am-data')}`,
      `--web.listen-address=127.0.0.1:${amPort}`,
      '--cluster.listen-address=',
    ]);

    // Prometheus with the repository's rules; their `for:` waits shortened to a second (the unit
    // tests above check the real durations).
    const rules = (await readFile(path.join(REPO_ROOT, 'prometheus/alerts/earshot.rules.yml'), 'utf8')).replace(
      /^( +)for: \S+$/gm,
      '$1for: 1s',
    );
    await writeFile(path.join(dir, 'rules.yml'), rules);
    await writeFile(
      path.join(dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s, external_labels: { host: test } }',
        `rule_files: ["${path.join(dir, 'rules.yml')}"]`,
        `alerting: { alertmanagers: [ { static_configs: [ { targets: ["127.0.0.1:${amPort}"] } ] } ] }`,
        'scrape_configs:',
        `  - { job_name: api, static_configs: [ { targets: ["127.0.0.1:${port}"] } ] }`,
        `  - { job_name: node, static_configs: [ { targets: ["127.0.0.1:${nodePort}"] } ] }`,
        '',
      ].join('\n'),
    );
    const promPort = await freePort();
    const prometheus = daemon('prometheus', [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ]);
    const explain = () =>
      `--- prometheus\n${prometheus.output()}\n--- alertmanager\n${alertmanager.output()}\n--- node-exporter\n${nodeExporter.output()}`;

    // Prometheus reads the failed jobs from the app and the backup time from the textfile.
    const query = async (q: string) => {
      const res = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(q)}`);
      const body = (await res.json()) as {
        data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
      };
      return body.data.result;
    };
    await until(
      'Prometheus sees 10 failed waveform jobs',
      240,
      async () =>
        (await query('jobs_queue_depth{queue="waveform",state="failed"}'))[0]?.value[1] === '10' ? true : undefined,
      explain,
    );
    const backup = await until(
      'Prometheus sees the backup time',
      120,
      async () => (await query('earshot_backup_last_success_timestamp_seconds'))[0],
      explain,
    );
    expect(backup.metric).toMatchObject({ job: 'node', kind: 'database' });

    const mail = await until(
      'the FailedJobs e-mail',
      240,
      async () => smtp.mails.find((m) => m.subject.includes('FailedJobs')),
      () => `${explain()}\n--- mails\n${smtp.mails.map((m) => m.subject).join('\n')}`,
    );
    expect(mail.to).toContain('operator@example.test');
    expect(mail.subject).toMatch(/^\[Earshot FIRING\] FailedJobs \(warning\): 10 failed jobs in the waveform queue$/);
    expect(mail.text).toContain('docs/operations.md#failedjobs');
  }, 600_000);
});

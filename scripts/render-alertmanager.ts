/**
 * Writes Alertmanager's configuration from the app's own mail settings, so alerts go out through
 * the same SMTP server as the platform's mail (Alertmanager reads no environment variables itself).
 *
 *   SMTP_HOST=… SMTP_PORT=… [SMTP_USER=… SMTP_PASS=…] SMTP_FROM=… ALERT_EMAIL_TO=ops@example.org \
 *     tsx scripts/render-alertmanager.ts --out <file> [--group-wait 30s --group-interval 5m]
 *
 * Routing: one e-mail receiver; alerts grouped by name and severity (one mail for ten failing
 * checks of the same kind); critical ones repeated every hour while they fire, warnings every 12.
 * Inhibition: a host that is down holds back every other alert of that host; a critical disk or
 * certificate alert holds back its warning twin; a service that is down holds back the symptoms
 * it causes (health checks, 5xx ratio, latency, idle worker). docs/operations.md, "Alerts".
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

export interface AlertmanagerSettings {
  smtp: { host: string; port: number; user?: string; pass?: string; from: string };
  to: string;
  groupWait?: string;
  groupInterval?: string;
}

const DURATION = /^\d+(ms|s|m|h)$/;

const EMAIL_TEXT = `{{ range .Alerts }}{{ .Status | toUpper }} {{ .Labels.alertname }} ({{ .Labels.severity }})
{{ .Annotations.summary }}
{{ .Annotations.description }}
What to do: {{ .Annotations.runbook_url }}
Since: {{ .StartsAt.Format "2006-01-02 15:04 MST" }}
Labels:{{ range .Labels.SortedPairs }} {{ .Name }}={{ .Value }}{{ end }}

{{ end }}`;
const ADDRESS = /^[^\s@<>]+@[^\s@<>]+$/;

export function alertmanagerConfig(s: AlertmanagerSettings): Record<string, unknown> {
  if (!s.smtp.host) throw new Error('SMTP_HOST is required: alerts are sent by e-mail');
  if (!ADDRESS.test(s.to)) throw new Error(`ALERT_EMAIL_TO is not an e-mail address: ${JSON.stringify(s.to)}`);
  for (const d of [s.groupWait, s.groupInterval])
    if (d !== undefined && !DURATION.test(d)) throw new Error(`not a duration: ${d}`);
  return {
    global: {
      smtp_smarthost: `${s.smtp.host}:${s.smtp.port}`,
      smtp_from: s.smtp.from,
      ...(s.smtp.user ? { smtp_auth_username: s.smtp.user, smtp_auth_password: s.smtp.pass ?? '' } : {}),
      // 587 is the submission port: STARTTLS is expected there. 465 is implicit TLS (Alertmanager
      // handles it by the port); a relay on 25 or a local one decides itself.
      smtp_require_tls: s.smtp.port === 587,
    },
    route: {
      receiver: 'operator',
      group_by: ['alertname', 'severity'],
      group_wait: s.groupWait ?? '30s',
      group_interval: s.groupInterval ?? '5m',
      repeat_interval: '12h',
      routes: [{ matchers: ['severity="critical"'], receiver: 'operator', repeat_interval: '1h' }],
    },
    inhibit_rules: [
      { source_matchers: ['alertname="HostDown"'], target_matchers: ['alertname!="HostDown"'], equal: ['host'] },
      {
        source_matchers: ['alertname="ServiceDown"'],
        target_matchers: [
          'alertname=~"HealthCheckFailing|ApiErrorRatioHigh|ApiLatencyHigh|WorkerNotProcessing|ErrorLogRateHigh"',
        ],
        equal: ['host'],
      },
      {
        source_matchers: ['alertname="DiskSpaceCritical"'],
        target_matchers: ['alertname="DiskSpaceLow"'],
        equal: ['instance', 'mountpoint'],
      },
      {
        source_matchers: ['alertname="TlsCertificateExpiringSoon"'],
        target_matchers: ['alertname="TlsCertificateExpiring"'],
        equal: ['domain'],
      },
    ],
    receivers: [
      {
        name: 'operator',
        email_configs: [
          {
            to: s.to,
            send_resolved: true,
            headers: {
              Subject:
                '[Earshot {{ .Status | toUpper }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.severity }}): {{ .CommonAnnotations.summary }}',
            },
            // A plain-text part a phone shows at once: what, how bad, since when, what to do.
            text: EMAIL_TEXT,
          },
        ],
      },
    ],
  };
}

async function main(argv: string[]): Promise<void> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i]!.startsWith('--') || argv[i + 1] === undefined)
      throw new Error('usage: render-alertmanager.ts --out <file> [--group-wait 30s] [--group-interval 5m]');
    args.set(argv[i]!.slice(2), argv[i + 1]!);
  }
  const out = args.get('out');
  if (!out) throw new Error('--out <file> is required');
  const env = process.env;
  const config = alertmanagerConfig({
    smtp: {
      host: env.SMTP_HOST ?? '',
      port: Number(env.SMTP_PORT ?? 587),
      user: env.SMTP_USER || undefined,
      pass: env.SMTP_PASS || undefined,
      from: env.SMTP_FROM ?? 'Earshot <noreply@localhost>',
    },
    to: env.ALERT_EMAIL_TO ?? '',
    groupWait: args.get('group-wait'),
    groupInterval: args.get('group-interval'),
  });
  await writeFile(
    out,
    `# Rendered by scripts/render-alertmanager.ts; edit that, not this file.\n${stringify(config)}`,
    { mode: 0o644 },
  );
  process.stdout.write(`${path.resolve(out)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}

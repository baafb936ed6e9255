// `npm run audit`: fails on high or critical advisories in the production dependencies.
//  1. `npm audit --omit=dev` asks the registry's advisory endpoint — authoritative when it answers.
//  2. The committed table scripts/audit/known-advisories.json is always checked against the
//     installed tree (`npm ls --omit=dev`), so the advisories we know of fail the build even when
//     the endpoint cannot answer (some registries and mirrors reject it, e.g. with 405).
// An unanswered endpoint is reported loudly; with AUDIT_REQUIRE_REGISTRY=1 it fails the audit.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installedVersions, loadAdvisoryTable, matchAdvisories, productionTree } from './lib/known-advisories.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TABLE = path.join(ROOT, 'scripts', 'audit', 'known-advisories.json');
const FAILING = new Set(['high', 'critical']);

const red = (s) => `\x1b[31m${s}\x1b[0m`;
const yellow = (s) => `\x1b[33m${s}\x1b[0m`;
const green = (s) => `\x1b[32m${s}\x1b[0m`;

/** { answered: true, findings } from the registry, or { answered: false, reason }. */
function registryAudit() {
  const r = spawnSync('npm', ['audit', '--omit=dev', '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) return { answered: false, reason: r.error.message };
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    return {
      answered: false,
      reason: `npm audit printed no report (exit ${r.status}): ${r.stderr.trim().split('\n').at(-1) ?? ''}`,
    };
  }
  if (report.auditReportVersion !== 2 || !report.metadata?.vulnerabilities) {
    const status = report.statusCode ? `HTTP ${report.statusCode}` : `exit ${r.status}`;
    return { answered: false, reason: `${status}: ${report.message ?? report.error?.summary ?? 'no audit report'}` };
  }
  const findings = Object.values(report.vulnerabilities ?? {})
    .filter((v) => FAILING.has(v.severity))
    .map((v) => ({
      package: v.name,
      severity: v.severity,
      range: v.range,
      advisories: v.via.filter((x) => typeof x === 'object').map((x) => `${x.title} (${x.url})`),
      through: v.via.filter((x) => typeof x === 'string'),
      fix:
        v.fixAvailable === true
          ? 'npm audit fix'
          : v.fixAvailable
            ? `${v.fixAvailable.name}@${v.fixAvailable.version}`
            : 'no fix yet',
    }));
  return { answered: true, findings, counts: report.metadata.vulnerabilities };
}

let failed = false;

// 1. The registry.
const online = registryAudit();
if (online.answered) {
  const c = online.counts;
  console.log(
    `npm audit (registry): ${c.critical} critical, ${c.high} high, ${c.moderate} moderate, ${c.low} low in production dependencies`,
  );
  for (const f of online.findings) {
    failed = true;
    const why = f.advisories.length ? f.advisories.join('; ') : `through ${f.through.join(', ')}`;
    console.error(
      red(`  ${f.severity.toUpperCase()} ${f.package}${f.range ? ` ${f.range}` : ''}: ${why} — fix: ${f.fix}`),
    );
  }
} else {
  console.error(yellow('┌──────────────────────────────────────────────────────────────────────────────'));
  console.error(yellow('│ WARNING: the registry audit endpoint did not answer — npm audit could NOT run.'));
  console.error(yellow(`│ ${online.reason}`));
  console.error(yellow('│ Falling back to the committed table of known advisories only: advisories'));
  console.error(yellow('│ published after it was last reviewed are NOT detected by this run.'));
  console.error(yellow('└──────────────────────────────────────────────────────────────────────────────'));
  if (process.env.AUDIT_REQUIRE_REGISTRY === '1') {
    console.error(red('AUDIT_REQUIRE_REGISTRY=1: an unanswered audit endpoint fails the audit.'));
    failed = true;
  }
}

// 2. The committed table, always.
try {
  const table = loadAdvisoryTable(TABLE);
  const installed = installedVersions(productionTree(ROOT));
  const findings = matchAdvisories(installed, table.advisories);
  const checked = [...new Set(table.advisories.map((a) => a.package))]
    .map((p) => `${p} ${[...(installed.get(p) ?? [])].join('/') || '(not installed)'}`)
    .join(', ');
  console.log(`known advisories (table reviewed ${table.reviewed}, ${table.advisories.length} rows): ${checked}`);
  for (const f of findings) {
    failed = true;
    console.error(
      red(
        `  ${f.severity.toUpperCase()} ${f.package}@${f.version} is in ${f.vulnerable}: ${f.summary} [${f.ids.join(', ')}]`,
      ),
    );
  }
} catch (err) {
  console.error(red(`known advisories: ${err.message}`));
  failed = true;
}

console.log(
  failed
    ? red('audit: FAILED')
    : green(`audit: passed${online.answered ? '' : ' (offline table only — see the warning above)'}`),
);
process.exit(failed ? 1 : 0);

// `npm test`: run on Node 24 (scripts/lib/node-runtime.mjs), install what is missing (npm packages,
// ffmpeg, nginx, Chromium), lint (Biome, biome.json), make sure PostgreSQL and Redis answer, build
// the web app if needed, typecheck, then run every test.
import { spawnSync } from 'node:child_process';
import { ROOT, MEDIA_PACKAGES, ensureNodeModules, ensureSystemPackages, ensureWebBuild, run } from './lib/ensure.mjs';
import { runOnRequiredNode } from './lib/node-runtime.mjs';

// Node 24 (.nvmrc): an older Node re-runs this script under .node/<version>/bin/node.
await runOnRequiredNode();

const TEST_PACKAGES = [
  ...MEDIA_PACKAGES,
  { command: 'nginx', apt: 'nginx' },
  { command: 'chromium', apt: 'chromium' },
  { command: 'pg_isready', apt: 'postgresql-client' },
  { command: 'redis-cli', apt: 'redis-tools' },
  { command: 'redis-server', apt: 'redis-server' }, // test/faults: a private Redis to restart
  { command: 'pg_ctlcluster', apt: 'postgresql' }, // test/faults: initdb/pg_ctl for a private cluster
  { command: 'docker-compose', apt: 'docker-compose' },
  { command: 'promtool', apt: 'prometheus' }, // test/ops/monitoring-config.test.ts, alerts.test.ts
  { command: 'amtool', apt: 'prometheus-alertmanager' }, // test/ops/alerts.test.ts
  { command: 'prometheus-node-exporter', apt: 'prometheus-node-exporter' }, // alerts, dashboards
  { command: 'openssl', apt: 'openssl' },
  { command: 'systemd-analyze', apt: 'systemd' }, // test/ops/install-native.test.ts
  { command: 'rclone', apt: 'rclone' }, // test/ops/backup-minio.test.ts
];

try {
  ensureNodeModules();
  console.log('[earshot] lint and format (biome check)');
  run('npx', ['biome', 'check', '.']);
  ensureSystemPackages(TEST_PACKAGES);
  run('bash', ['scripts/ensure-services.sh']);
  ensureWebBuild();
  console.log('[earshot] typecheck');
  run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
} catch (err) {
  console.error(`[earshot] test setup failed: ${err.message}`);
  process.exit(1);
}

const args = process.argv.slice(2);
const r = spawnSync('npx', ['vitest', 'run', ...args], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
});
process.exit(r.status ?? 1);

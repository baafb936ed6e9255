// `npm start`: run on Node 24 (scripts/lib/node-runtime.mjs), install what is missing, build the
// web app if needed, then run the embedded platform (migrations are applied at boot). PORT and
// DATA_DIR change port and data folder.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT, MEDIA_PACKAGES, ensureNodeModules, ensureSystemPackages, ensureWebBuild } from './lib/ensure.mjs';
import { runOnRequiredNode } from './lib/node-runtime.mjs';

// Node 24 (.nvmrc): an older Node re-runs this script under .node/<version>/bin/node.
await runOnRequiredNode();

try {
  ensureNodeModules();
  ensureSystemPackages(MEDIA_PACKAGES);
  ensureWebBuild();
} catch (err) {
  console.error(`[earshot] cannot start: ${err.message}`);
  process.exit(1);
}

const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'apps/embedded/src/main.ts')], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { NODE_ENV: 'development', ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

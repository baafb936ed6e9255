// What `npm start` and `npm test` need before they can run, installed or built when missing.
// Plain ESM JavaScript: it runs before any dependency (tsx, TypeScript) is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, ...options });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function log(msg) {
  console.log(`\x1b[36m[earshot]\x1b[0m ${msg}`);
}

/** `npm ci` when node_modules is missing or older than the lockfile. */
export function ensureNodeModules() {
  const marker = path.join(ROOT, 'node_modules', '.package-lock.json');
  const lock = path.join(ROOT, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  log('installing npm dependencies (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

/** The Debian packages of the commands in `packages` that are not on PATH (each named once). */
export function missingSystemPackages(packages) {
  return [...new Set(packages.filter((p) => !has(p.command)).map((p) => p.apt))];
}

/**
 * System tools by Debian package. Installed with apt-get when running as root on Debian/Ubuntu;
 * otherwise a clear message says what to install. `options.canInstall` overrides that choice.
 */
export function ensureSystemPackages(packages, options = {}) {
  const names = missingSystemPackages(packages);
  if (!names.length) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const canInstall = options.canInstall ?? (isRoot && has('apt-get'));
  if (!canInstall) {
    throw new Error(
      `missing system packages: ${names.join(', ')} — install them (e.g. \`sudo apt-get install -y ${names.join(' ')}\`)`,
    );
  }
  log(`installing system packages: ${names.join(', ')}…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const aptLists = '/var/lib/apt/lists';
  if (!existsSync(aptLists) || readdirSync(aptLists).length < 3) run('apt-get', ['update', '-qq'], { env });
  try {
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], { env });
  } catch {
    run('apt-get', ['update', '-qq'], { env });
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], { env });
  }
}

export const MEDIA_PACKAGES = [
  { command: 'ffmpeg', apt: 'ffmpeg' },
  { command: 'ffprobe', apt: 'ffmpeg' },
];

function newestMtime(dir, skip) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(entry.name)) continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p, skip) : statSync(p).mtimeMs);
  }
  return newest;
}

/** `next build` of apps/web when it was never built or its sources changed since. */
export function ensureWebBuild() {
  const webDir = path.join(ROOT, 'apps', 'web');
  const buildId = path.join(webDir, '.next', 'BUILD_ID');
  if (existsSync(buildId) && statSync(buildId).mtimeMs >= newestMtime(webDir, new Set(['.next', 'node_modules'])))
    return;
  log('building the web app (next build)…');
  run('npm', ['run', 'build', '-w', '@earshot/web'], { env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
}

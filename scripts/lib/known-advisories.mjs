// The offline half of `npm run audit`: the committed table scripts/audit/known-advisories.json
// checked against the versions actually installed (`npm ls --omit=dev --all --json`).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';

const SEVERITIES = new Set(['high', 'critical']);

/** Reads and checks the table; a malformed row is an error, never silently skipped. */
export function loadAdvisoryTable(file) {
  const table = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(table.advisories)) throw new Error(`${path.basename(file)}: "advisories" must be a list`);
  for (const [i, a] of table.advisories.entries()) {
    const where = `${path.basename(file)} advisories[${i}]`;
    if (typeof a.package !== 'string' || !a.package) throw new Error(`${where}: "package" is missing`);
    if (typeof a.vulnerable !== 'string' || semver.validRange(a.vulnerable) === null)
      throw new Error(`${where}: "vulnerable" is not a semver range: ${a.vulnerable}`);
    if (!SEVERITIES.has(a.severity)) throw new Error(`${where}: "severity" must be high or critical`);
    if (!Array.isArray(a.ids) || a.ids.length === 0) throw new Error(`${where}: "ids" must name the advisories`);
  }
  return table;
}

/** Every package name → the set of versions present in an `npm ls --json` tree (deduped entries included). */
export function installedVersions(tree) {
  const found = new Map();
  const walk = (deps) => {
    for (const [name, node] of Object.entries(deps ?? {})) {
      if (node && typeof node.version === 'string') {
        if (!found.has(name)) found.set(name, new Set());
        found.get(name).add(node.version);
      }
      walk(node?.dependencies);
    }
  };
  walk(tree.dependencies);
  return found;
}

/** One finding per (advisory, installed version) in its vulnerable range. */
export function matchAdvisories(installed, advisories) {
  const findings = [];
  for (const advisory of advisories) {
    for (const version of installed.get(advisory.package) ?? []) {
      if (semver.valid(version) && semver.satisfies(version, advisory.vulnerable, { includePrerelease: true })) {
        findings.push({ ...advisory, version });
      }
    }
  }
  return findings;
}

/** The production dependency tree as npm sees it (node_modules must be installed). */
export function productionTree(cwd) {
  const r = spawnSync('npm', ['ls', '--omit=dev', '--all', '--json'], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  // npm ls exits 1 on peer/extraneous problems but still prints the tree; only missing JSON is fatal.
  let tree;
  try {
    tree = JSON.parse(r.stdout);
  } catch {
    throw new Error(
      `npm ls printed no dependency tree (exit ${r.status}): ${r.stderr.trim().split('\n').at(-1) ?? ''}`,
    );
  }
  if (!tree.dependencies) throw new Error('npm ls found no installed dependencies: run `npm ci` first');
  return tree;
}

#!/usr/bin/env node
/**
 * `npm run test:mutation [module…]`: Stryker over each module of scripts/mutation-modules.mjs in
 * turn (all of them by default), then the mutation score of each. Slow (each mutant reruns the
 * module's tests, one at a time): not part of `npm test`. Reports: reports/mutation/<module>.json.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MUTATION_MODULES } from './mutation-modules.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(MUTATION_MODULES);
const reportName = (name) => (process.env.MUTATION_MUTATE ? `${name}-part` : name);
for (const name of names)
  if (!MUTATION_MODULES[name]) throw new Error(`unknown module ${name}: ${Object.keys(MUTATION_MODULES).join(', ')}`);

const rows = [];
let failed = false;
for (const name of names) {
  console.log(`\n=== mutation: ${name} ===`);
  const run = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/@stryker-mutator/core/bin/stryker.js'), 'run', 'stryker.config.mjs'],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, MUTATION_MODULE: name },
    },
  );
  if (run.status !== 0) {
    failed = true;
    rows.push({ name, error: `stryker exited ${run.status ?? run.signal}` });
    continue;
  }
  rows.push({
    name,
    ...score(JSON.parse(readFileSync(path.join(root, 'reports/mutation', `${reportName(name)}.json`), 'utf8'))),
  });
}

/** Counts of the mutation-testing-report-schema statuses; score = detected / (valid mutants), as Stryker computes it. */
function score(report) {
  const c = { Killed: 0, Survived: 0, NoCoverage: 0, Timeout: 0, CompileError: 0, RuntimeError: 0, Ignored: 0 };
  for (const file of Object.values(report.files)) for (const m of file.mutants) c[m.status] = (c[m.status] ?? 0) + 1;
  const detected = c.Killed + c.Timeout;
  const valid = detected + c.Survived + c.NoCoverage;
  return {
    killed: c.Killed,
    timeout: c.Timeout,
    survived: c.Survived,
    noCoverage: c.NoCoverage,
    score: valid ? (100 * detected) / valid : NaN,
  };
}

console.log('\nmodule              score  killed  timeout  survived  no coverage');
for (const r of rows) {
  if (r.error) console.log(`${r.name.padEnd(18)}  ${r.error}`);
  else
    console.log(
      `${r.name.padEnd(18)} ${r.score.toFixed(1).padStart(5)}%  ${String(r.killed).padStart(6)}  ${String(r.timeout).padStart(7)}  ${String(r.survived).padStart(8)}  ${String(r.noCoverage).padStart(11)}`,
    );
}
process.exit(failed ? 1 : 0);

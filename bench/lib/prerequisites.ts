/**
 * What each benchmark needs before it starts: system tools are installed the way `npm test`
 * installs them (scripts/lib/ensure.mjs: apt-get when root on Debian), the web app is built when
 * stale, and what cannot be installed from here stops the bench with one line naming it.
 */
import { spawnSync } from 'node:child_process';
import { MEDIA_PACKAGES, ensureSystemPackages, ensureWebBuild, type SystemPackage } from '../../scripts/lib/ensure.mjs';

export interface BenchNeeds {
  packages: SystemPackage[];
  /** `next build` of apps/web (built when missing or stale). */
  webBuild?: boolean;
  /** PostgreSQL answering at DATABASE_URL (only when it is set; unset, the bench uses PGlite). */
  postgresIfConfigured?: boolean;
}

const WRK = { command: 'wrk', apt: 'wrk' };
const NGINX = { command: 'nginx', apt: 'nginx' };
const CHROMIUM = { command: 'chromium', apt: 'chromium' };
const PG_ISREADY = { command: 'pg_isready', apt: 'postgresql-client' };

/** One entry per directory of bench/ (test/ops/bench-prerequisites.test.ts checks that). */
export function benchNeeds(env: NodeJS.ProcessEnv = process.env): Record<string, BenchNeeds> {
  return {
    // Load from wrk unless BENCH_CLIENT=autocannon; nginx serves the same files; ffmpeg makes the segments.
    streaming: { packages: [...(env.BENCH_CLIENT === 'autocannon' ? [] : [WRK]), NGINX, ...MEDIA_PACKAGES] },
    pipeline: { packages: MEDIA_PACKAGES },
    // hls.js in Chromium plays the growing stream; ffmpeg encodes it.
    playable: { packages: [CHROMIUM, ...MEDIA_PACKAGES] },
    'upload-memory': { packages: MEDIA_PACKAGES },
    'read-endpoints': { packages: env.DATABASE_URL ? [PG_ISREADY] : [], postgresIfConfigured: true },
    // PostgreSQL always: DATABASE_URL, or a fresh database on the local server.
    comments: { packages: [PG_ISREADY] },
    feed: { packages: [PG_ISREADY] },
    'web-bundle': { packages: [CHROMIUM, ...MEDIA_PACKAGES], webBuild: true },
    // The production platform behind nginx on loopback: PostgreSQL and Redis of the machine, ffmpeg for the uploads.
    soak: {
      packages: [
        NGINX,
        PG_ISREADY,
        { command: 'redis-cli', apt: 'redis-tools' },
        { command: 'openssl', apt: 'openssl' },
        ...MEDIA_PACKAGES,
      ],
    },
    'release-zip': { packages: [] },
    'download-formats': { packages: MEDIA_PACKAGES },
    // PostgreSQL: DATABASE_URL, or a database of its own on the local server (TEST_DATABASE_ADMIN_URL).
    search: { packages: [PG_ISREADY], postgresIfConfigured: true },
    'track-delete': { packages: [] },
    trending: { packages: env.DATABASE_URL ? [PG_ISREADY] : [], postgresIfConfigured: true },
    // Always PostgreSQL (TEST_DATABASE_ADMIN_URL, the local server the tests use).
    rollup: { packages: [PG_ISREADY] },
  };
}

/** Installs or builds what `bench` needs; throws one line naming what is missing otherwise. */
export function checkBenchPrerequisites(
  bench: string,
  options: { env?: NodeJS.ProcessEnv; canInstall?: boolean } = {},
): void {
  const env = options.env ?? process.env;
  const needs = benchNeeds(env)[bench];
  if (!needs) throw new Error(`unknown benchmark "${bench}"`);
  ensureSystemPackages(needs.packages, options.canInstall === undefined ? {} : { canInstall: options.canInstall });
  if (needs.postgresIfConfigured && env.DATABASE_URL) {
    const r = spawnSync('pg_isready', ['-q', '-d', env.DATABASE_URL], { stdio: 'ignore' });
    if (r.status !== 0)
      throw new Error(`PostgreSQL at DATABASE_URL does not answer: start it, or unset DATABASE_URL to run on PGlite`);
  }
  if (needs.webBuild) ensureWebBuild();
}

/** First line of every bench's main(): exits 1 with one clear line when something is missing. */
export function ensureBenchPrerequisites(bench: string): void {
  try {
    checkBenchPrerequisites(bench);
  } catch (err) {
    console.error(`[bench:${bench}] cannot run: ${(err as Error).message}`);
    process.exit(1);
  }
}

/**
 * Hot read endpoint benchmark (docs/architecture.md, "Performance budgets"): `GET /api/v1/tracks/:id` of the real API next to
 * a bare Fastify route running the same SQL on the same database, loaded in turn by autocannon on
 * loopback. Budget: the API reaches ≥ 50% of the bare route's requests/s, with p99 < 50 ms.
 *
 *   npm run bench:read-endpoints          # BENCH_SECONDS=10 BENCH_CONNECTIONS=16
 */
import { getTrackView } from '@earshot/core';
import { addBenchTrack, runApiVsBare } from '../lib/api-vs-bare.ts';
import { ensureBenchPrerequisites } from '../lib/prerequisites.ts';
import { addCurrentVersion, addTrack } from '../../test/support/rows.ts';
import { createUser } from '../../test/support/factories.ts';

const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);

ensureBenchPrerequisites('read-endpoints');
await runApiVsBare({
  name: 'read',
  database: 'configured',
  async seed(db) {
    // A ready public track with a current version, as the track page asks for it.
    const user = await createUser(db, 'artist');
    const track = await addBenchTrack(db, user.id, 180_000, {
      waveform_key: 'version-1.json',
      integrated_lufs: -14,
      loudness_range: 6,
      true_peak_dbtp: -1,
      track_gain_db: -4,
    });
    // As many other tracks as connections, loaded in turn: no two waiting requests ask for the same
    // row, so the PGlite dialect cannot share reads (docs/performance.md, "Hot read endpoints").
    const others: string[] = [];
    for (let i = 0; i < connections; i++) {
      const t = await addTrack(db, user.id, `bench-${i}`, { title: `Bench ${i}` });
      await addCurrentVersion(db, t.id, {
        original_key: `k${i}`,
        original_filename: 'a.flac',
        duration_ms: 180_000,
        hls_key: `version-${i}/playlist.m3u8`,
      });
      others.push(`/api/v1/tracks/${t.id}`);
    }
    return {
      apiPath: `/api/v1/tracks/${track.id}`,
      bare: async () => ({ track: await getTrackView({ db }, null, track.id) }),
      also: { label: `${others.length} tracks in turn`, paths: others },
    };
  },
});

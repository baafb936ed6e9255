/**
 * `GET /api/v1/tracks/:id/comments` on a track with 200 comments (150 top-level, 50 replies), a page
 * of 100, against a bare Fastify route calling the same core query (docs/performance.md).
 *
 *   npm run bench:comments     # BENCH_SECONDS=10 BENCH_CONNECTIONS=16; DATABASE_URL or a fresh local PostgreSQL database
 */
import { sql } from 'kysely';
import { listComments } from '@earshot/core';
import { ensureBenchPrerequisites } from '../lib/prerequisites.ts';
import { addBenchTrack, runApiVsBare } from '../lib/api-vs-bare.ts';
import { createUser } from '../../test/support/factories.ts';

async function main(): Promise<void> {
  ensureBenchPrerequisites('comments');
  await runApiVsBare({
    name: 'comments',
    async seed(db) {
      const owner = await createUser(db, 'artist');
      await sql`insert into users (email, handle, display_name, password_hash) select 'u' || i || '@example.com', 'fan' || i, 'Fan ' || i, 'x' from generate_series(1, 100) i`.execute(
        db,
      );
      const track = await addBenchTrack(db, owner.id, 240_000);
      await sql`insert into comments (track_id, user_id, body, position_ms)
        select ${track.id}, (select id from users where handle = 'fan' || (1 + i % 100)), 'Comment number ' || i || ' with a link https://example.org/' || i, (i * 1597) % 240000
        from generate_series(1, 150) i`.execute(db);
      await sql`insert into comments (track_id, user_id, parent_id, body, position_ms)
        select c.track_id, c.user_id, c.id, 'A reply to ' || c.id, c.position_ms from comments c where c.track_id = ${track.id} and c.id % 3 = 0 limit 50`.execute(
        db,
      );
      await sql`update tracks set comment_count = 200 where id = ${track.id}`.execute(db);
      await sql`analyze`.execute(db);
      return {
        apiPath: `/api/v1/tracks/${track.id}/comments?limit=100`,
        headers: {},
        bare: () => listComments({ db }, null, track.id, { order: 'position', limit: 100 }),
      };
    },
  });
}

await main();

/**
 * The kept candidates of a track search (docs/performance.md, "Search"): a repeated query reads
 * them from the cache instead of running `earshot_search_tracks` again; a change to what can be
 * found (the search generation) makes them stale; each text typed has its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, migrateToLatest, type DatabaseHandle } from '@earshot/db';
import { MemoryListCache, search, type ListCache } from '../../src/index.ts';
import { createReadyTrack, createUser } from '../../../../test/support/factories.ts';

/** The memory cache, counting what it was asked and what it kept. */
class CountingCache implements ListCache {
  readonly inner = new MemoryListCache();
  hits = 0;
  sets: string[] = [];
  async get(key: string) {
    const value = await this.inner.get(key);
    if (value !== null) this.hits++;
    return value;
  }
  async set(key: string, value: string, ttlSeconds: number) {
    this.sets.push(key);
    await this.inner.set(key, value, ttlSeconds);
  }
  deletePrefix = (prefix: string) => this.inner.deletePrefix(prefix);
  close = () => this.inner.close();
}

let handle: DatabaseHandle;
const cache = new CountingCache();
const deps = () => ({ db: handle.db, clock: () => new Date(), searchCache: cache });
const titles = async (q: string) =>
  (await search(deps(), null, { q, type: 'track' })).items.map((h) => ('title' in h ? h.title : ''));

beforeAll(async () => {
  handle = await createDatabase({ pgliteDir: 'memory://' });
  await migrateToLatest(handle.db);
  const artist = await createUser(handle.db, 'artist');
  const t = await createReadyTrack(handle.db, artist.id, 'salt-road');
  await handle.db.updateTable('tracks').set({ title: 'Salt Road' }).where('id', '=', t.id).execute();
});

afterAll(async () => {
  await handle?.close();
});

describe('kept track-search candidates', () => {
  it('runs the search once for a repeated query, again after a change to what can be found', async () => {
    expect(await titles('salt road')).toEqual(['Salt Road']);
    expect(cache.sets).toHaveLength(1);
    expect(cache.hits).toBe(0);
    expect(await titles('salt road')).toEqual(['Salt Road']);
    expect(cache.sets).toHaveLength(1);
    expect(cache.hits).toBe(1);
    // Other text, other candidates.
    expect(await titles('Salt Road')).toEqual(['Salt Road']);
    expect(cache.sets).toHaveLength(2);

    const artist = await createUser(handle.db, 'artist');
    const next = await createReadyTrack(handle.db, artist.id, 'salt-road-two');
    await handle.db.updateTable('tracks').set({ title: 'Salt Road Two' }).where('id', '=', next.id).execute();
    expect((await titles('salt road')).sort()).toEqual(['Salt Road', 'Salt Road Two']);
    expect(cache.sets).toHaveLength(3);
    expect(new Set(cache.sets).size).toBe(3);
  });

  it('keeps nothing for another kind of search', async () => {
    const before = cache.sets.length;
    await search(deps(), null, { q: 'salt', type: 'user' });
    expect(cache.sets).toHaveLength(before);
  });
});

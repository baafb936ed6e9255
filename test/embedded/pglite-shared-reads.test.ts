// The PGlite dialect runs one query at a time and lets identical reads that wait together run
// once (packages/db/src/pglite-dialect.ts): what is shared, what never is, and that nobody reads
// older data than it would have alone.
import { PGlite } from '@electric-sql/pglite';
import { type Generated, Kysely, sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PGliteDialect } from '@earshot/db';

interface Db {
  items: { id: Generated<number>; name: string; tags: string[] };
}

let pglite: PGlite;
let db: Kysely<Db>;
/** Statements that reached PGlite, in order. */
let sent: string[] = [];

beforeAll(async () => {
  pglite = new PGlite();
  await pglite.query('create table items (id serial primary key, name text not null, tags text[] not null)');
  await pglite.query('create sequence ticket');
  const query = pglite.query.bind(pglite);
  pglite.query = ((text: string, params?: unknown[]) => {
    sent.push(text);
    return query(text, params);
  }) as typeof pglite.query;
  db = new Kysely<Db>({ dialect: new PGliteDialect(pglite) });
});

afterAll(async () => {
  await db.destroy();
});

beforeEach(async () => {
  await db.deleteFrom('items').execute();
  await db
    .insertInto('items')
    .values({ name: 'first', tags: ['a'] })
    .execute();
  sent = [];
});

/** Holds the connection in a transaction until the returned function is called. */
async function holdConnection(): Promise<{ release: () => void; done: Promise<void> }> {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let started!: () => void;
  const begun = new Promise<void>((r) => (started = r));
  const done = db.transaction().execute(async (trx) => {
    await sql`select 1`.execute(trx);
    started();
    await held;
  });
  await begun;
  return { release, done };
}

const readItems = () => db.selectFrom('items').select(['id', 'name', 'tags']).where('name', '=', 'first').execute();

describe('identical reads that wait together', () => {
  it('run once, and every caller gets rows of its own', async () => {
    const hold = await holdConnection();
    const reads = Array.from({ length: 16 }, readItems);
    hold.release();
    await hold.done;
    const results = await Promise.all(reads);
    expect(sent.filter((s) => s.startsWith('select "id"'))).toHaveLength(1);
    for (const rows of results) expect(rows).toEqual([{ id: expect.any(Number), name: 'first', tags: ['a'] }]);
    // Copies: changing one caller's rows changes no other's.
    results[0]![0]!.tags.push('changed');
    expect(results[1]![0]!.tags).toEqual(['a']);
    expect(results[15]![0]!.tags).toEqual(['a']);
  });

  it('with other parameters are not shared', async () => {
    const hold = await holdConnection();
    const a = db.selectFrom('items').select('name').where('name', '=', 'first').execute();
    const b = db.selectFrom('items').select('name').where('name', '=', 'other').execute();
    hold.release();
    await hold.done;
    expect(await a).toEqual([{ name: 'first' }]);
    expect(await b).toEqual([]);
    expect(sent.filter((s) => s.startsWith('select "name"'))).toHaveLength(2);
  });

  it('never join a read queued before a write: the later read sees the write', async () => {
    const hold = await holdConnection();
    const before = db.selectFrom('items').select('name').orderBy('id').execute();
    const write = db.insertInto('items').values({ name: 'second', tags: [] }).execute();
    const after = db.selectFrom('items').select('name').orderBy('id').execute();
    hold.release();
    await hold.done;
    await write;
    expect(await before).toEqual([{ name: 'first' }]);
    expect(await after).toEqual([{ name: 'first' }, { name: 'second' }]);
  });

  it('with a side effect (a sequence) each run', async () => {
    const hold = await holdConnection();
    const tickets = Array.from({ length: 3 }, () => sql<{ n: string }>`select nextval('ticket') as n`.execute(db));
    hold.release();
    await hold.done;
    const numbers = (await Promise.all(tickets)).map((r) => Number(r.rows[0]!.n));
    expect(new Set(numbers).size).toBe(3);
  });

  it('a transaction keeps the connection: queries outside it wait for its end', async () => {
    const order: string[] = [];
    const hold = await holdConnection();
    const outside = readItems().then(() => order.push('outside'));
    await new Promise((r) => setImmediate(r));
    order.push('transaction ends');
    hold.release();
    await hold.done;
    await outside;
    expect(order).toEqual(['transaction ends', 'outside']);
  });

  it('a failed read fails every caller that joined it', async () => {
    const hold = await holdConnection();
    const bad = () => sql`select * from no_such_table`.execute(db);
    const reads = [bad(), bad(), bad()].map((p) =>
      p.then(
        () => 'ok',
        (e: Error) => e.message,
      ),
    );
    hold.release();
    await hold.done;
    for (const r of await Promise.all(reads)) expect(r).toMatch(/no_such_table/);
    // And the connection goes on.
    expect(await readItems()).toHaveLength(1);
  });
});

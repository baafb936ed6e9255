import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import type { PGlite } from '@electric-sql/pglite';

/**
 * Kysely dialect for PGlite: the same Postgres SQL, compiler and migrations as production.
 *
 * PGlite is one connection in one process, so the driver lets one query (or one transaction) at
 * a time use it, in arrival order (a FIFO lock). A transaction holds the lock from `begin` until
 * commit/rollback; code inside a transaction must use the transaction object, never the outer
 * `db`, or it waits on itself.
 *
 * Identical reads wait once: a plain `select` (outside a transaction, primitive parameters, no
 * function with side effects) that finds the very same statement with the same parameters
 * still waiting for its turn joins it instead of queueing again, and gets its own copy of the
 * rows. Every caller that joins arrived before the query ran and after any write or transaction
 * queued before it, so each sees the database as it would have alone. Sixteen listeners opening the same
 * track page cost one query, not sixteen in a row (docs/performance.md, "Hot read endpoints").
 */
export class PGliteDialect implements Dialect {
  constructor(private readonly pglite: PGlite) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pglite);
  }
  createIntrospector(db: Kysely<any>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

/** Statements that may be run once for several callers (see PGliteDialect). */
const SHAREABLE_READ = /^\s*select\b/i;
/** …unless they change something or hold something: sequences, locks, notifications, settings. */
const SIDE_EFFECTS =
  /\b(nextval|setval|pg_advisory\w*|pg_try_advisory\w*|pg_notify|set_config|pg_sleep\w*|lo_\w+|for\s+(update|share|no\s+key\s+update|key\s+share))\b/i;

/** The key under which a read may be shared, or undefined when it must run on its own. */
function shareKey(compiled: CompiledQuery): string | undefined {
  if (!SHAREABLE_READ.test(compiled.sql) || SIDE_EFFECTS.test(compiled.sql)) return undefined;
  let key = compiled.sql;
  for (const p of compiled.parameters) {
    if (p === null) key += '\0n';
    else if (typeof p === 'string') key += `\0s${p.length}:${p}`;
    else if (typeof p === 'number' || typeof p === 'boolean') key += `\0${(typeof p)[0]}${String(p)}`;
    else return undefined;
  }
  return key;
}

class PGliteDriver implements Driver {
  private queue: Promise<void> = Promise.resolve();
  /** Shareable reads queued and not started yet, by `shareKey`. */
  private readonly waiting = new Map<string, Promise<QueryResult<unknown>>>();

  constructor(private readonly pglite: PGlite) {}
  async init(): Promise<void> {}

  /** Waits for the connection; the returned function hands it to the next in line. */
  lock(): Promise<() => void> {
    const previous = this.queue;
    let release!: () => void;
    this.queue = new Promise<void>((resolve) => (release = resolve));
    return previous.then(() => release);
  }

  async run<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.pglite.query<R>(compiled.sql, [...compiled.parameters]);
    const affected =
      WRITE_COMMAND.test(compiled.sql) && result.affectedRows !== undefined ? BigInt(result.affectedRows) : undefined;
    return { rows: result.rows, numAffectedRows: affected };
  }

  /** A query outside a transaction: waits for its turn, or joins the same read already waiting. */
  async runInTurn<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const key = shareKey(compiled);
    // A read asked after a write was queued must see that write: it never joins a read queued before it.
    if (key === undefined) this.waiting.clear();
    else {
      const same = this.waiting.get(key);
      // Every caller but the first gets its own copy of the rows.
      if (same) return { rows: structuredClone(((await same) as QueryResult<R>).rows) };
    }
    const locked = this.lock();
    const result: Promise<QueryResult<R>> = locked.then(async (release) => {
      if (key !== undefined && this.waiting.get(key) === result) this.waiting.delete(key);
      try {
        return await this.run<R>(compiled);
      } finally {
        release();
      }
    });
    if (key !== undefined) this.waiting.set(key, result);
    return result;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new PGliteConnection(this);
  }
  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const c = conn as PGliteConnection;
    this.waiting.clear();
    c.release = await this.lock();
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    try {
      await conn.executeQuery(CompiledQuery.raw(`begin${isolation}`));
    } catch (err) {
      c.unlock();
      throw err;
    }
  }
  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    try {
      await conn.executeQuery(CompiledQuery.raw('commit'));
    } finally {
      (conn as PGliteConnection).unlock();
    }
  }
  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    try {
      await conn.executeQuery(CompiledQuery.raw('rollback'));
    } finally {
      (conn as PGliteConnection).unlock();
    }
  }
  async releaseConnection(conn: DatabaseConnection): Promise<void> {
    (conn as PGliteConnection).unlock();
  }
  async destroy(): Promise<void> {
    await this.queue;
    if (!this.pglite.closed) await this.pglite.close();
  }
}

const WRITE_COMMAND = /^\s*(insert|update|delete|merge)\b/i;

/** One use of the connection: a transaction (holding the lock) or queries that each wait their turn. */
class PGliteConnection implements DatabaseConnection {
  /** Set while this connection runs a transaction. */
  release: (() => void) | undefined;
  constructor(private readonly driver: PGliteDriver) {}
  unlock(): void {
    const release = this.release;
    this.release = undefined;
    release?.();
  }
  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    return this.release ? this.driver.run<R>(compiled) : this.driver.runInTurn<R>(compiled);
  }
  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite dialect does not support streaming queries');
  }
}

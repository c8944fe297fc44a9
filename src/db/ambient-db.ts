// The database handle both engines share (`Db`) and how it finds the transaction open in the current async context.
// Apart from the engines' own modules (database.ts for SQLite, postgres-database.ts) so that neither loads the other.
import { AsyncLocalStorage } from 'node:async_hooks';
import type Database from 'better-sqlite3';
import { type Kysely, type QueryResult, type RawBuilder, sql } from 'kysely';

export type Engine = 'sqlite' | 'postgres';

// Repositories write their SQL with Kysely's `sql` tag and declare each statement's row type themselves, so the
// query builder needs no table catalogue of its own.
// biome-ignore lint/suspicious/noExplicitAny: see above: rows are typed per statement, not per table.
export type Executor = Kysely<any>;

/**
 * The one database of the app, SQLite or PostgreSQL, behind the same calls. Repositories run their SQL on `q`: the
 * transaction open in the current async context if there is one (see `inTransaction`), else the database itself,
 * so an operation's reads and writes join its transaction without passing it down by hand.
 */
export interface Db {
  readonly engine: Engine;
  readonly q: Executor;
  /** Runs `work` in a transaction, or in a savepoint of the one already open in this async context. */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /** SQLite's own handle, for what only SQLite has (online backup, pragmas); null on PostgreSQL. */
  readonly sqlite: Database.Database | null;
  /** Runs a statement where `q` points (on SQLite straight on the connection: see `sqliteDb`). */
  execute<R>(query: RawBuilder<R>): Promise<QueryResult<R>>;
  /**
   * Counts this process's transactions and `run` statements as they end: a cache of what the database holds may
   * keep an answer while this has not moved (another process's writes it must learn of otherwise).
   */
  readonly writes: number;
  /** Counts a write made outside a transaction (see `writes`). */
  noteWrite(): void;
  close(): Promise<void>;
}

interface OpenTransaction {
  /** The database it belongs to (a process may hold several: tests, the bench). */
  of: Executor;
  trx: Executor;
  open: boolean;
  savepoints: number;
}

/**
 * The transaction open in each async context: what `Db.q` and nested `Db.transaction` calls find. On Node 20 an
 * enabled AsyncLocalStorage makes every promise of the process cost about five times as much (a hook runs for each),
 * which cost a quarter of the cached pages' rate. So there is one for the process, whatever the number of
 * databases, and it is on only while a transaction is open: off, no context is kept, and none is needed.
 */
const current = new AsyncLocalStorage<OpenTransaction>();
let openTransactions = 0;

async function inContext<T>(state: OpenTransaction, work: () => Promise<T>): Promise<T> {
  openTransactions += 1;
  try {
    return await current.run(state, work);
  } finally {
    state.open = false;
    openTransactions -= 1;
    if (openTransactions === 0) current.disable();
  }
}

/** What a SQLite connection adds to withAmbientTransactions: its own way to run statements (see `sqliteDb`). */
export interface DirectRunner {
  /** Wraps each whole transaction, from asking for the connection to its end. */
  around<T>(transaction: () => Promise<T>): Promise<T>;
  execute<R>(query: RawBuilder<R>, inOwnTransaction: boolean): Promise<QueryResult<R>>;
}

/** A database that finds its open transaction by async context. */
export function withAmbientTransactions(
  engine: Engine,
  kysely: Executor,
  sqlite: Database.Database | null,
  direct: DirectRunner | null = null,
): Db {
  // A timer or a queued callback started inside a transaction inherits its context after it has ended: only an
  // open one of this database counts.
  const open = () => {
    const found = current.getStore();
    return found?.open && found.of === kysely ? found : undefined;
  };
  let writes = 0;
  const db: Db = {
    engine,
    sqlite,
    get writes() {
      return writes;
    },
    noteWrite: () => {
      writes += 1;
    },
    get q() {
      return open()?.trx ?? kysely;
    },
    async transaction<T>(work: () => Promise<T>): Promise<T> {
      const outer = open();
      if (outer) return inSavepoint(outer, work, (statement) => db.execute(statement));
      const transaction = () =>
        kysely
          .transaction()
          .execute((trx) => inContext({ of: kysely, trx, open: true, savepoints: 0 }, work));
      try {
        return await (direct ? direct.around(transaction) : transaction());
      } finally {
        writes += 1;
      }
    },
    execute: (query) => {
      const own = open();
      return direct ? direct.execute(query, own !== undefined) : query.execute(own?.trx ?? kysely);
    },
    close: async () => {
      await kysely.destroy();
      // Kysely's driver opens (and so closes) nothing until the first query: a handle never queried (a backup's
      // source) is closed here.
      if (sqlite?.open) sqlite.close();
    },
  };
  return db;
}

async function inSavepoint<T>(
  outer: OpenTransaction,
  work: () => Promise<T>,
  execute: (statement: RawBuilder<unknown>) => Promise<unknown>,
): Promise<T> {
  outer.savepoints += 1;
  const name = sql.id(`sp${outer.savepoints}`);
  await execute(sql`savepoint ${name}`);
  try {
    const value = await work();
    await execute(sql`release savepoint ${name}`);
    return value;
  } catch (error) {
    await execute(sql`rollback to savepoint ${name}`);
    await execute(sql`release savepoint ${name}`);
    throw error;
  }
}

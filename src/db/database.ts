import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  Kysely,
  PostgresDialect,
  type QueryResult,
  type RawBuilder,
  SqliteAdapter,
  SqliteDriver,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
} from 'kysely';
import pg from 'pg';
import { templateStatement } from './template-statement.js';

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

/** How long a connection waits for another process's lock before giving up with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 20_000;

/**
 * The page cache of one connection, in KiB. better-sqlite3's build sets 16 MiB; a worker that read a whole
 * province's people once (an export, an import) then kept those 16 MiB for good. The file's pages stay in the
 * kernel's cache either way; this is only SQLite's own copy of the busiest ones (docs/CAPACITY.md).
 */
const PAGE_CACHE_KIB = 4096;

/** Prepared statements kept per connection, by SQL text; more than this and the cache starts over. */
const STATEMENT_CACHE = 1000;

/** Where the database is: PostgreSQL when a URL is given, else the SQLite file. */
export interface DatabaseLocation {
  databasePath: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  databaseSchema: string | undefined;
}

/** The database as people are told of it: the SQLite file, or PostgreSQL's host and database (never the password). */
export function databaseLabel(location: Pick<DatabaseLocation, 'databasePath' | 'databaseUrl'>): string {
  if (!location.databaseUrl) return location.databasePath;
  const url = new URL(location.databaseUrl);
  return `PostgreSQL ${url.host}${url.pathname}`;
}

/**
 * Opens the configured database: PostgreSQL at DATABASE_URL, or the SQLite file at DATABASE_PATH. `readOnly`:
 * for checks that must not change what they inspect (the SQLite file must exist).
 */
export function openConfiguredDatabase(location: DatabaseLocation, { readOnly = false } = {}): Db {
  if (!location.databaseUrl) {
    return readOnly ? openDatabaseReadOnly(location.databasePath) : openDatabase(location.databasePath);
  }
  return openPostgres(location.databaseUrl, {
    poolSize: location.databasePoolSize,
    schema: location.databaseSchema,
    settings: readOnly ? { default_transaction_read_only: 'on' } : {},
  });
}

// Counts and sums come back from PostgreSQL as bigint or numeric, which node-postgres hands over as strings by
// default; every such number Ikrar reads is far below 2^53, so numbers they are (SQLite gives numbers too).
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number.parseFloat(value));

/**
 * A pool of connections to PostgreSQL. `schema` (the tests' own schemas) goes first on every connection's search
 * path, before `public`, where the extensions live; `settings` are set on every connection.
 */
export function openPostgres(
  url: string,
  options: { poolSize?: number; schema?: string; settings?: Record<string, string> } = {},
): Db {
  const settings = {
    ...options.settings,
    ...(options.schema ? { search_path: `${options.schema},public` } : {}),
  };
  const startup = Object.entries(settings)
    .map(([name, value]) => `-c ${name}=${value}`)
    .join(' ');
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    // Fail fast instead of queueing forever when the server is gone; a statement that runs away is stopped.
    connectionTimeoutMillis: 10_000,
    statement_timeout: 60_000,
    ...(startup ? { options: startup } : {}),
  });
  // An idle connection that the server closes (a restart, a failover) must not crash the process: the pool drops
  // it and the next query opens another.
  pool.on('error', () => {});
  return withAmbientTransactions('postgres', new Kysely({ dialect: new PostgresDialect({ pool }) }), null);
}

/** Opens (creating if needed) the SQLite file with the pragmas every connection of Ikrar relies on. */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const raw = new Database(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma('foreign_keys = ON');
  // Several processes may write the same file (cluster mode): wait for the write lock rather than fail, for longer
  // than the longest write transaction Ikrar makes (confirming a 50,000-row roster import at national scale: 7.7 s).
  raw.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // In WAL mode NORMAL is durable against application crashes; FULL adds power-loss durability for commits.
  raw.pragma('synchronous = FULL');
  raw.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  return sqliteDb(raw);
}

/** Opens an existing database for reading only (checks and reports that must not change what they inspect). */
export function openDatabaseReadOnly(path: string): Db {
  const raw = new Database(path, { readonly: true, fileMustExist: true });
  raw.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return sqliteDb(raw);
}

/**
 * Kysely's SQLite driver, with two changes: a transaction takes the write lock at BEGIN (IMMEDIATE), so two
 * processes never deadlock upgrading read locks; and statements are prepared once per SQL text, not per call.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * SQLite behind Kysely, with its statements run straight on the connection. better-sqlite3 is synchronous, so a
 * statement runs whole before anything else can; Kysely's own path (a connection mutex and several promises a
 * statement) cost 10-15 us a statement in the app, a tenth of a cached page's whole time. The SQL and its parameters
 * are still Kysely's. What Kysely's mutex did, this does: while a transaction is in flight (from asking for the
 * connection until its COMMIT or ROLLBACK has run), the statements of other async contexts wait for it to end, so
 * that none runs inside a transaction it does not belong to.
 */
function sqliteDb(raw: Database.Database): Db {
  let transactionsInFlight = 0;
  // Resolved when the last transaction in flight has ended; made when someone first waits for it.
  let whenIdle: { promise: Promise<void>; resolve: () => void } | null = null;
  const idle = () => {
    if (!whenIdle) {
      let resolve!: () => void;
      const promise = new Promise<void>((done) => {
        resolve = done;
      });
      whenIdle = { promise, resolve };
    }
    return whenIdle.promise;
  };
  const statements = new Map<string, Database.Statement>();
  const cached = {
    close: () => raw.close(),
    prepare(text: string) {
      let statement = statements.get(text);
      if (!statement) {
        if (statements.size >= STATEMENT_CACHE) statements.clear();
        statement = raw.prepare(text);
        statements.set(text, statement);
      }
      return statement;
    },
  };
  const kysely = new Kysely({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new ImmediateSqliteDriver({ database: cached }),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  });
  return withAmbientTransactions('sqlite', kysely, raw, {
    around: async (transaction) => {
      transactionsInFlight += 1;
      try {
        return await transaction();
      } finally {
        transactionsInFlight -= 1;
        if (transactionsInFlight === 0 && whenIdle) {
          whenIdle.resolve();
          whenIdle = null;
        }
      }
    },
    execute: async (query, inOwnTransaction) => {
      while (transactionsInFlight > 0 && !inOwnTransaction) await idle();
      const { sql: text, parameters } = templateStatement(query) ?? query.compile(kysely);
      const statement = cached.prepare(text);
      if (statement.reader) return { rows: statement.all(parameters) as never[] };
      return { rows: [], numAffectedRows: BigInt(statement.run(parameters).changes) };
    },
  });
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
interface DirectRunner {
  /** Wraps each whole transaction, from asking for the connection to its end. */
  around<T>(transaction: () => Promise<T>): Promise<T>;
  execute<R>(query: RawBuilder<R>, inOwnTransaction: boolean): Promise<QueryResult<R>>;
}

/** A database that finds its open transaction by async context. */
function withAmbientTransactions(
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

/**
 * Runs `work` in one write transaction (IMMEDIATE on SQLite), or in a savepoint of the transaction already open in
 * this async context; rolls back on any throw.
 */
export function inTransaction<T>(db: Db, work: () => Promise<T>): Promise<T> {
  return db.transaction(work);
}

/** The rows of a statement, run where `db.q` points. */
export async function allRows<R>(db: Db, query: RawBuilder<R>): Promise<R[]> {
  return (await db.execute(query)).rows;
}

/** The first row of a statement, or undefined. */
export async function firstRow<R>(db: Db, query: RawBuilder<R>): Promise<R | undefined> {
  return (await db.execute(query)).rows[0];
}

/** The number a `SELECT count(*) AS n …` statement counts. */
export async function countOf(db: Db, query: RawBuilder<{ n: number }>): Promise<number> {
  return (await firstRow(db, query))?.n ?? 0;
}

/** Rows of one multi-row INSERT: a round trip (PostgreSQL) or a statement run (SQLite) for this many at once. */
const ROWS_PER_INSERT = 100;

/**
 * Inserts many rows a hundred to a statement: `into` is `INSERT INTO t (a, b)`, each of `rows` one `(…)` of values,
 * `returning` (optional) a RETURNING clause, whose rows come back in no particular order (SQLite promises none).
 */
export async function insertRows<R = never>(
  db: Db,
  into: RawBuilder<unknown>,
  rows: readonly RawBuilder<unknown>[],
  returning: RawBuilder<R> | null = null,
): Promise<R[]> {
  const returned: R[] = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const statement = sql<R>`${into} VALUES ${sql.join(rows.slice(start, start + ROWS_PER_INSERT))} ${returning ?? sql``}`;
    returned.push(...(await allRows(db, statement)));
  }
  return returned;
}

/** Runs a statement that returns no rows; resolves to the number of rows it changed. */
export async function run(db: Db, query: RawBuilder<unknown>): Promise<number> {
  const result = await db.execute(query).finally(db.noteWrite);
  return Number(result.numAffectedRows ?? 0n);
}

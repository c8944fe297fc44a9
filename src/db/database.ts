import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  Kysely,
  type RawBuilder,
  SqliteAdapter,
  SqliteDriver,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
} from 'kysely';
import { type Db, withAmbientTransactions } from './ambient-db.js';
import { templateStatement } from './template-statement.js';

export type { Db, Engine, Executor } from './ambient-db.js';

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
export async function openConfiguredDatabase(
  location: DatabaseLocation,
  { readOnly = false } = {},
): Promise<Db> {
  if (!location.databaseUrl) {
    return readOnly ? openDatabaseReadOnly(location.databasePath) : openDatabase(location.databasePath);
  }
  const { openPostgres } = await import('./postgres-database.js');
  return openPostgres(location.databaseUrl, {
    poolSize: location.databasePoolSize,
    schema: location.databaseSchema,
    settings: readOnly ? { default_transaction_read_only: 'on' } : {},
  });
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

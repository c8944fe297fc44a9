import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { type Db, withAmbientTransactions } from './ambient-db.js';

// PostgreSQL, loaded only when DATABASE_URL is set (see `openConfiguredDatabase`): a SQLite process does not carry
// node-postgres (a few MB a worker) for nothing.

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

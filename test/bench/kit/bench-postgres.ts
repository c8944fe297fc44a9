/**
 * The bench's PostgreSQL databases (`npm run bench -- --db postgres`): the same data as the SQLite scale, so that the
 * two engines answer the same requests over the same rows.
 *
 * The scale's cached SQLite file (bench-data.ts) is copied into a PostgreSQL database made by the app's own
 * migrations: every table the PostgreSQL schema has, column by column (a generated column, such as the search
 * vector of posts, is computed by PostgreSQL as it loads), with COPY, triggers and foreign-key checks off
 * (session_replication_role = replica: the counts the triggers keep come along from SQLite, where the triggers
 * made them) into tables emptied first (the rows migrations insert come from the file too), then identity sequences moved past the highest id, row counts compared table by table, and
 * VACUUM ANALYZE. That database is kept on the server as the scale's template, keyed like the SQLite file (plus the
 * PostgreSQL migrations); each run gets a copy (CREATE DATABASE … TEMPLATE, a file copy on the server), dropped
 * when the scale is done. A run stopped outright leaves its copy behind: the next run drops it.
 *
 * BENCH_POSTGRES_URL: the server, as a URL to a database the bench can connect to and create databases from
 * (default: the test suite's, postgres://postgres@127.0.0.1:5432/postgres).
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { type Db, openDatabaseReadOnly } from '../../../src/db/database.js';
import { migrate, migrationsDir, readMigrations } from '../../../src/db/migrate.js';
import { openPostgres } from '../../../src/db/postgres-database.js';
import type { Prepared } from './bench-data.js';
import { claimPostgresDatabase, releasePostgresDatabase } from './bench-kit.js';

export const BENCH_POSTGRES_URL =
  process.env.BENCH_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

const TEMPLATE_PREFIX = 'ikrar_bench_';
const RUN_PREFIX = 'ikrar_bench_run_';
/** Rows sent to COPY per write: large enough that the stream's own work is small beside the rows'. */
const COPY_CHUNK_BYTES = 1 << 20;

/** The URL of database `name` on the bench's server. */
export function postgresUrl(name: string): string {
  const url = new URL(BENCH_POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: BENCH_POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Whether a process of this machine with that pid still runs. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface PostgresRun {
  name: string;
  url: string;
  /** Drops the run's copy (its connections are closed by force). */
  drop: () => Promise<void>;
  loadSeconds: number;
  copySeconds: number;
  cached: boolean;
}

/**
 * A fresh copy of the scale's data in a database of its own on the bench's server, loading (and keeping) the
 * template from `sqlite` first unless a current one exists.
 */
export async function preparePostgres(
  sqlite: Prepared,
  sqliteFile: string,
  log: (line: string) => void,
): Promise<PostgresRun> {
  const { info } = sqlite;
  const migrationsKey = createHash('sha256')
    .update(JSON.stringify(readMigrations(migrationsDir('postgres'))))
    .digest('hex')
    .slice(0, 8);
  const template = `${TEMPLATE_PREFIX}${info.scale}_${info.cacheKey}_${migrationsKey}`;
  const stamp = info.createdAt;
  const found = await withServer(async (client) => {
    await dropAbandonedRuns(client);
    const { rows } = await client.query<{ datname: string; stamp: string | null }>(
      `SELECT datname, shobj_description(oid, 'pg_database') AS stamp FROM pg_database
       WHERE datname LIKE $1 AND datname NOT LIKE $2`,
      [`${TEMPLATE_PREFIX}${info.scale}\\_%`, `${RUN_PREFIX}%`],
    );
    const current = rows.some((row) => row.datname === template && row.stamp === stamp);
    // Templates of older data or migrations, and a load that never finished, are of no further use.
    for (const row of rows) {
      if (current && row.datname === template) continue;
      await client.query(`DROP DATABASE IF EXISTS ${ident(row.datname)} WITH (FORCE)`);
    }
    return current;
  });
  let loadSeconds = 0;
  if (!found) {
    const started = performance.now();
    await loadTemplate(template, stamp, sqliteFile, log);
    loadSeconds = (performance.now() - started) / 1000;
    log(`${info.scale}: loaded into PostgreSQL in ${loadSeconds.toFixed(1)} s (kept as ${template})`);
  }
  const name = `${RUN_PREFIX}${process.pid}_${info.scale}`;
  const started = performance.now();
  await withServer(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${ident(name)} TEMPLATE ${ident(template)}`);
  });
  claimPostgresDatabase(name);
  return {
    name,
    url: postgresUrl(name),
    loadSeconds,
    copySeconds: (performance.now() - started) / 1000,
    cached: found,
    drop: async () => {
      releasePostgresDatabase(name);
      await withServer((client) => client.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`));
    },
  };
}

/** Run copies left by benches that were killed outright (their pid is in the name, and no longer runs). */
async function dropAbandonedRuns(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ datname: string }>(
    'SELECT datname FROM pg_database WHERE datname LIKE $1',
    [`${RUN_PREFIX}%`],
  );
  for (const { datname } of rows) {
    const pid = Number(datname.slice(RUN_PREFIX.length).split('_')[0]);
    if (Number.isInteger(pid) && !alive(pid)) {
      await client.query(`DROP DATABASE IF EXISTS ${ident(datname)} WITH (FORCE)`);
    }
  }
}

async function loadTemplate(
  template: string,
  stamp: string,
  sqliteFile: string,
  log: (line: string) => void,
): Promise<void> {
  const loading = `${template}_loading`;
  await withServer(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${ident(loading)} WITH (FORCE)`);
    // As README asks of a production database: C collation, so that lists sort as on SQLite.
    await client.query(
      `CREATE DATABASE ${ident(loading)} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`,
    );
  });
  const target = openPostgres(postgresUrl(loading), { poolSize: 1 });
  try {
    await migrate(target);
  } finally {
    await target.close();
  }
  const source = openDatabaseReadOnly(sqliteFile);
  const client = new pg.Client({ connectionString: postgresUrl(loading) });
  await client.connect();
  try {
    await copyTables(source, client, log);
    await client.query('VACUUM ANALYZE');
  } finally {
    await client.end();
    await source.close();
  }
  await withServer(async (server) => {
    await server.query(`ALTER DATABASE ${ident(loading)} RENAME TO ${ident(template)}`);
    await server.query(`COMMENT ON DATABASE ${ident(template)} IS ${pg.escapeLiteral(stamp)}`);
  });
}

/** A value as a CSV field of COPY: NULL unquoted and empty, text always quoted, bytes in bytea's hex form. */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  return `"${String(value).replace(/"/g, '""')}"`;
}

/** Every table of the PostgreSQL schema but the migrations' own, filled from the SQLite file's table of that name. */
async function copyTables(source: Db, client: pg.Client, log: (line: string) => void): Promise<void> {
  const sqlite = source.sqlite as Database.Database;
  const { rows: columns } = await client.query<{ table_name: string; column_name: string }>(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.is_generated = 'NEVER'
       AND c.table_name <> 'schema_migrations'
     ORDER BY c.table_name, c.ordinal_position`,
  );
  const tables = new Map<string, string[]>();
  for (const { table_name, column_name } of columns) {
    tables.set(table_name, [...(tables.get(table_name) ?? []), column_name]);
  }
  await client.query('SET session_replication_role = replica');
  await client.query('SET synchronous_commit = off');
  // What the migrations put in (the cache epochs, default settings) comes from the SQLite file as it is there.
  await client.query(`TRUNCATE ${[...tables.keys()].map(ident).join(', ')}`);
  for (const [table, names] of tables) {
    const started = performance.now();
    const list = names.map(ident).join(', ');
    const stream = client.query(copyFrom(`COPY ${ident(table)} (${list}) FROM STDIN WITH (FORMAT csv)`));
    const done = new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
    });
    let chunk = '';
    let rows = 0;
    for (const row of sqlite
      .prepare(`SELECT ${list} FROM ${ident(table)}`)
      .raw()
      .iterate()) {
      chunk += `${(row as unknown[]).map(csvField).join(',')}\n`;
      rows += 1;
      if (chunk.length >= COPY_CHUNK_BYTES) {
        if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve));
        chunk = '';
      }
    }
    stream.end(chunk);
    await done;
    const { rows: counted } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${ident(table)}`);
    if (Number(counted[0]?.n) !== rows) {
      throw new Error(`${table}: ${rows} rows read from SQLite, ${counted[0]?.n} in PostgreSQL`);
    }
    if (rows >= 100_000) {
      log(
        `    ${table}: ${rows.toLocaleString('en')} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    }
  }
  // The next id of every identity column: past the highest copied.
  const { rows: identities } = await client.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND is_identity = 'YES'`,
  );
  for (const { table_name, column_name } of identities) {
    await client.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max(${ident(column_name)}), 0) + 1, false)
       FROM ${ident(table_name)}`,
      [ident(table_name), column_name],
    );
  }
  await client.query('SET session_replication_role = origin');
}

import { randomBytes } from 'node:crypto';
import { copyFileSync } from 'node:fs';
import { sql } from 'kysely';
import pg from 'pg';
import { type Db, openDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { openPostgres } from '../../src/db/postgres-database.js';

/** Which database the tests of this project run on, and where it is (vitest's provide/inject). */
export type TestDatabase = { engine: 'sqlite'; template: string } | { engine: 'postgres'; url: string };

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabase: TestDatabase;
  }
}

/** The PostgreSQL server the tests use: a database of their own is made on it for each run. */
export const TEST_POSTGRES_URL =
  process.env.IKRAR_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Makes the SQLite template: a fresh database at `path`, migrated, then closed, so that the whole database is in
 * that one file (closing the last connection checkpoints the write-ahead log into it and removes the log).
 */
export async function makeTemplateDatabase(path: string): Promise<void> {
  const db = openDatabase(path);
  await migrate(db);
  await db.close();
}

/**
 * A database of this run's own on the test PostgreSQL server, with the extensions the migrations expect; returns
 * its URL and a function that drops it (and every schema the tests made in it).
 */
export async function makePostgresTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `ikrar_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  const inside = new pg.Client({ connectionString: url.href });
  await inside.connect();
  // Once here, not in each schema's migration at the same time (two CREATE EXTENSION at once collide).
  await inside.query('CREATE EXTENSION IF NOT EXISTS citext SCHEMA public');
  await inside.query('CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public');
  await inside.end();
  return {
    url: url.href,
    drop: async () => {
      const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * PostgreSQL schemas this worker has made and migrated, free for the next test. Making and migrating one costs
 * about a second on this machine's disk; emptying one costs a few milliseconds.
 */
const freeSchemas: string[] = [];

/**
 * What a schema is made of: its tables' columns, indexes and triggers, counted. A test that changed the schema
 * (dropped a guard trigger to play an attacker) leaves a different shape, and its schema is not used again.
 */
async function schemaShape(db: Db): Promise<string> {
  const { rows } = await sql<{ columns: number; indexes: number; triggers: number }>`
    SELECT (SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema()) AS columns,
           (SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema()) AS indexes,
           (SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal) AS triggers`.execute(
    db.q,
  );
  return JSON.stringify(rows[0]);
}

/** The shape of a freshly migrated schema, taken from the first one this worker makes. */
let freshShape: string | undefined;

/** Empties a test schema: every row, as a fresh migration leaves it (triggers off, so nothing refuses). */
async function emptySchema(db: Db): Promise<void> {
  await db.transaction(async () => {
    await sql`SET LOCAL session_replication_role = replica`.execute(db.q);
    const tables = await sql<{ name: string }>`
      SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
        AND table_name NOT IN ('schema_migrations', 'cache_epochs')`.execute(db.q);
    for (const { name } of tables.rows) await sql`DELETE FROM ${sql.id(name)}`.execute(db.q);
    await sql`UPDATE cache_epochs SET n = 0`.execute(db.q);
    await sql`
      SELECT setval(pg_get_serial_sequence(table_name, column_name), 1, false)
      FROM information_schema.columns
      WHERE table_schema = current_schema() AND is_identity = 'YES'`.execute(db.q);
  });
}

/**
 * A fresh, migrated, empty database for one test, and what gives it back. SQLite: a copy of the run's template file
 * at `path` (migrate still runs on it: it finds every migration recorded and applies nothing, or applies one added
 * since the template was made, in watch mode). PostgreSQL: a schema of this run's database, made and migrated the
 * first time, emptied when given back.
 */
export async function openMigratedDatabase(
  path: string,
  where: TestDatabase | undefined,
): Promise<{ db: Db; release: () => Promise<void>; location: Record<string, string> }> {
  if (where?.engine === 'postgres') {
    const schema = freeSchemas.pop() ?? `t_${randomBytes(6).toString('hex')}`;
    // Commits need not wait for the disk in tests: no test can see the difference but the time.
    const db = openPostgres(where.url, { schema, poolSize: 4, settings: { synchronous_commit: 'off' } });
    await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`.execute(db.q);
    await migrate(db);
    freshShape ??= await schemaShape(db);
    return {
      db,
      location: { DATABASE_URL: where.url, DATABASE_SCHEMA: schema },
      release: async () => {
        try {
          if ((await schemaShape(db)) === freshShape) {
            await emptySchema(db);
            freeSchemas.push(schema);
          }
        } catch {
          // The test closed the database itself (or broke it): the schema stays unused until the run's database
          // is dropped.
        }
        await db.close();
      },
    };
  }
  if (where) copyFileSync(where.template, path);
  const db = openDatabase(path);
  await migrate(db);
  return { db, release: () => db.close(), location: {} };
}

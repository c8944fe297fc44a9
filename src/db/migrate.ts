import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { projectPath } from '../core/paths.js';
import { allRows, type Db, type Engine, inTransaction, run } from './database.js';

/** Each engine's migrations, numbered alike: version N brings both schemas to the same meaning. */
export const migrationsDir = (engine: Engine): string => projectPath('db', 'migrations', engine);

const FILE_PATTERN = /^(\d{3})_([a-z0-9_]+)\.sql$/;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function readMigrations(dir: string): Migration[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = FILE_PATTERN.exec(file);
      if (!match) throw new Error(`Nama berkas migrasi tidak sah: ${file} (harus NNN_nama.sql)`);
      return {
        version: Number(match[1]),
        name: match[2] as string,
        sql: readFileSync(join(dir, file), 'utf8'),
      };
    })
    .sort((a, b) => a.version - b.version);
}

/** Runs a file of several statements on the current transaction's connection. */
async function runScript(db: Db, script: string): Promise<void> {
  // better-sqlite3 prepares one statement at a time; its exec() takes a script, on the one connection the
  // transaction holds. PostgreSQL takes a script as one simple query.
  if (db.sqlite) db.sqlite.exec(script);
  else await sql.raw(script).execute(db.q);
}

/**
 * The first line of a migration that rebuilds a table other tables refer to (SQLite changes a CHECK rule no other
 * way). SQLite's documented procedure for it turns foreign keys off for the rebuild, which a transaction cannot do:
 * such a migration runs with them off and is checked with foreign_key_check before it commits. PostgreSQL ignores it.
 */
const FOREIGN_KEYS_OFF = '-- migrate: foreign keys off';

/** Whether a migration runs with SQLite's foreign keys off: see FOREIGN_KEYS_OFF. */
const runsWithForeignKeysOff = (db: Db, migration: Migration): boolean =>
  db.sqlite !== undefined && migration.sql.startsWith(FOREIGN_KEYS_OFF);

/** Runs `work` (one migration's transaction) as the migration's first line asks: see FOREIGN_KEYS_OFF. */
async function withForeignKeysAsAsked<T>(db: Db, migration: Migration, work: () => Promise<T>): Promise<T> {
  const sqlite = db.sqlite;
  if (!sqlite || !runsWithForeignKeysOff(db, migration)) return work();
  sqlite.pragma('foreign_keys = OFF');
  try {
    return await work();
  } finally {
    sqlite.pragma('foreign_keys = ON');
  }
}

/**
 * Refuses to commit a migration run with foreign keys off that left a row pointing at nothing. Any other migration
 * ran with them enforced, so the check (a scan of every table) is skipped.
 */
function checkForeignKeys(db: Db, migration: Migration): void {
  if (!runsWithForeignKeysOff(db, migration)) return;
  const broken = db.sqlite?.pragma('foreign_key_check') as unknown[] | undefined;
  if (broken && broken.length > 0) {
    throw new Error(`Migrasi ${migration.version} meninggalkan ${broken.length} rujukan yang putus`);
  }
}

/** The advisory lock key of migrating (PostgreSQL): "IKRM" in ASCII, and the schema's hash, as the other locks. */
const MIGRATE_LOCK = 0x494b524d;

/**
 * Runs `work` in a transaction that several app nodes starting at once take one at a time: on PostgreSQL behind a
 * transaction advisory lock taken first, so that each reads schema_migrations only after the node before it has
 * committed; on SQLite the transaction's IMMEDIATE write lock already does this.
 */
function oneNodeAtATime<T>(db: Db, work: () => Promise<T>): Promise<T> {
  return inTransaction(db, async () => {
    if (db.engine === 'postgres') {
      await run(db, sql`SELECT pg_advisory_xact_lock(${MIGRATE_LOCK}, hashtext(current_schema()))`);
    }
    return work();
  });
}

const appliedVersions = async (db: Db): Promise<Set<number>> =>
  new Set(
    (await allRows(db, sql<{ version: number }>`SELECT version FROM schema_migrations`)).map((row) =>
      Number(row.version),
    ),
  );

/**
 * Applies every migration not yet recorded in schema_migrations, each in its own transaction. Nodes of one database
 * may start together: each migration is applied by the first to take the lock and skipped by the rest. Returns the
 * versions this call applied.
 */
export async function migrate(
  db: Db,
  migrations = readMigrations(migrationsDir(db.engine)),
  now = () => new Date(),
): Promise<number[]> {
  // Two nodes' CREATE TABLE IF NOT EXISTS at once can both find it missing: one would fail on PostgreSQL.
  await oneNodeAtATime(db, () =>
    run(
      db,
      sql`CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at TEXT NOT NULL
      )`,
    ),
  );
  const applied = await appliedVersions(db);
  const done: number[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.version)) continue;
    const appliedHere = await withForeignKeysAsAsked(db, migration, () =>
      oneNodeAtATime(db, async () => {
        // Read again under the lock: another node may have applied it since.
        if ((await appliedVersions(db)).has(migration.version)) return false;
        await runScript(db, migration.sql);
        checkForeignKeys(db, migration);
        await run(
          db,
          sql`INSERT INTO schema_migrations (version, name, applied_at)
            VALUES (${migration.version}, ${migration.name}, ${now().toISOString()})`,
        );
        return true;
      }),
    );
    if (appliedHere) done.push(migration.version);
  }
  return done;
}

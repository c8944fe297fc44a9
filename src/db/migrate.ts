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
 * Applies every migration not yet recorded in schema_migrations, each in its own transaction. Returns the versions
 * applied.
 */
export async function migrate(
  db: Db,
  migrations = readMigrations(migrationsDir(db.engine)),
  now = () => new Date(),
): Promise<number[]> {
  await run(
    db,
    sql`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TEXT NOT NULL
    )`,
  );
  const applied = new Set(
    (await allRows(db, sql<{ version: number }>`SELECT version FROM schema_migrations`)).map((row) =>
      Number(row.version),
    ),
  );
  const done: number[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.version)) continue;
    await inTransaction(db, async () => {
      await runScript(db, migration.sql);
      await run(
        db,
        sql`INSERT INTO schema_migrations (version, name, applied_at)
            VALUES (${migration.version}, ${migration.name}, ${now().toISOString()})`,
      );
    });
    done.push(migration.version);
  }
  return done;
}

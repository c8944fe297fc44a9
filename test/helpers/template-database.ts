import { copyFileSync } from 'node:fs';
import { type Db, openDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';

// What the global setup hands to the tests (vitest's provide/inject).
declare module 'vitest' {
  export interface ProvidedContext {
    /** A database file with every migration applied, made once per run by the global setup. */
    templateDatabase: string;
  }
}

/**
 * Makes the template: a fresh database at `path`, migrated, then closed, so that the whole database is in that one
 * file (closing the last connection checkpoints the write-ahead log into it and removes the log).
 */
export function makeTemplateDatabase(path: string): void {
  const db = openDatabase(path);
  migrate(db);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/**
 * A fresh, migrated, empty database at `path`, as `openDatabase` + `migrate` make it, but from a copy of the run's
 * template file rather than by running every migration again (about ten transactions, each flushed to disk). The
 * copy is opened with the app's own `openDatabase` (same pragmas), and `migrate` still runs on it: it finds every
 * migration recorded and applies nothing, or applies one added since the template was made (watch mode).
 * Without a template (a test run without the global setup), every migration runs as before.
 */
export function openMigratedDatabase(path: string, template: string | undefined): Db {
  if (template) copyFileSync(template, path);
  const db = openDatabase(path);
  migrate(db);
  return db;
}

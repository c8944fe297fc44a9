import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/** How long a connection waits for another process's lock before giving up with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 20_000;

/**
 * The page cache of one connection, in KiB. better-sqlite3's build sets 16 MiB; a worker that read a whole
 * province's people once (an export, an import) then kept those 16 MiB for good. The file's pages stay in the
 * kernel's cache either way; this is only SQLite's own copy of the busiest ones (docs/CAPACITY.md).
 */
const PAGE_CACHE_KIB = 4096;

/** Opens (creating if needed) the SQLite file with the pragmas every connection of Ikrar relies on. */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // Several processes may write the same file (cluster mode): wait for the write lock rather than fail, for longer
  // than the longest write transaction Ikrar makes (confirming a 50,000-row roster import at national scale: 7.7 s).
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // In WAL mode NORMAL is durable against application crashes; FULL adds power-loss durability for commits.
  db.pragma('synchronous = FULL');
  db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  return db;
}

/** Opens an existing database for reading only (checks and reports that must not change what they inspect). */
export function openDatabaseReadOnly(path: string): Db {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return db;
}

/**
 * Runs `work` in a write transaction that takes the write lock at BEGIN (IMMEDIATE), so two processes never
 * deadlock upgrading read locks; rolls back on any throw.
 */
export function inTransaction<T>(db: Db, work: () => T): T {
  return db.transaction(work).immediate();
}

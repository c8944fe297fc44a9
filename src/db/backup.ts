import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabaseReadOnly } from './database.js';

export type BackupOutcome =
  | { ok: true; pages: number; bytes: number }
  | { ok: false; problem: 'no_source' | 'target_exists' | 'corrupt_copy'; detail?: string };

/**
 * An online copy of the database at `sourcePath` into a new file `targetPath`, with SQLite's backup API (through
 * better-sqlite3): a consistent snapshot even while the app keeps reading and writing (WAL included), without
 * stopping it. The copy is then opened and checked with `PRAGMA integrity_check`. Never overwrites a file.
 */
export async function backupDatabase(
  sourcePath: string,
  targetPath: string,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<BackupOutcome> {
  if (!existsSync(sourcePath)) return { ok: false, problem: 'no_source' };
  if (existsSync(targetPath)) return { ok: false, problem: 'target_exists' };
  mkdirSync(dirname(targetPath), { recursive: true });
  const source = openDatabaseReadOnly(sourcePath);
  let pages = 0;
  try {
    await source.backup(targetPath, {
      progress: ({ totalPages, remainingPages }) => {
        pages = totalPages;
        onProgress(totalPages - remainingPages, totalPages);
        // Pages per step: large steps finish sooner, and the app's writers wait only between steps.
        return 1000;
      },
    });
  } finally {
    source.close();
  }
  const copy = new Database(targetPath, { fileMustExist: true });
  try {
    // One self-contained file, without -wal and -shm beside it (the app turns WAL on again when it opens a restore).
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') return { ok: false, problem: 'corrupt_copy', detail: String(check) };
    const bytes =
      (copy.pragma('page_count', { simple: true }) as number) *
      (copy.pragma('page_size', { simple: true }) as number);
    return { ok: true, pages, bytes };
  } finally {
    copy.close();
  }
}

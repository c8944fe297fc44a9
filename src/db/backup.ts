import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabaseReadOnly } from './database.js';

export type BackupOutcome =
  | { ok: true; pages: number; bytes: number }
  | {
      ok: false;
      problem: 'no_source' | 'not_owner' | 'target_exists' | 'cannot_write' | 'corrupt_copy';
      detail?: string;
    };

/** Every page in one step: a step reads one snapshot, and a write by the app between steps starts the copy over. */
const ALL_PAGES = 0x7fffffff;

/**
 * An online copy of the database at `sourcePath` into a new file `targetPath`, with SQLite's backup API (through
 * better-sqlite3): one consistent snapshot while the app keeps reading and writing (WAL readers never block its
 * writers). The copy is written as `<target>.partial`, made one self-contained file (no -wal/-shm), checked with
 * `PRAGMA integrity_check` and only then renamed, so a file with the target's name is always a whole, checked copy.
 * Never overwrites a file. Refuses to run as anyone but the database file's owner: opening a WAL database may
 * create its -wal and -shm files, which the app could then not write.
 */
export async function backupDatabase(
  sourcePath: string,
  targetPath: string,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<BackupOutcome> {
  if (!existsSync(sourcePath)) return { ok: false, problem: 'no_source' };
  if (process.getuid && statSync(sourcePath).uid !== process.getuid())
    return { ok: false, problem: 'not_owner' };
  if (existsSync(targetPath)) return { ok: false, problem: 'target_exists' };
  const partial = `${targetPath}.partial`;
  // Best effort: when the folder cannot be made or read, there is nothing of ours in it to remove.
  const removePartial = () => {
    for (const file of [partial, `${partial}-journal`, `${partial}-wal`, `${partial}-shm`]) {
      try {
        rmSync(file, { force: true });
      } catch {}
    }
  };

  let pages = 0;
  try {
    mkdirSync(dirname(targetPath), { recursive: true });
    removePartial();
    const source = openDatabaseReadOnly(sourcePath);
    try {
      await (source.sqlite as Database.Database).backup(partial, {
        progress: ({ totalPages, remainingPages }) => {
          pages = totalPages;
          onProgress(totalPages - remainingPages, totalPages);
          return ALL_PAGES;
        },
      });
    } finally {
      await source.close();
    }
    const copy = new Database(partial, { fileMustExist: true });
    let bytes: number;
    try {
      // One self-contained file (the app turns WAL on again when it opens a restored copy).
      copy.pragma('journal_mode = DELETE');
      const check = copy.pragma('integrity_check', { simple: true });
      if (check !== 'ok') {
        removePartial();
        return { ok: false, problem: 'corrupt_copy', detail: String(check) };
      }
      bytes =
        (copy.pragma('page_count', { simple: true }) as number) *
        (copy.pragma('page_size', { simple: true }) as number);
    } finally {
      copy.close();
    }
    renameSync(partial, targetPath);
    return { ok: true, pages, bytes };
  } catch (err) {
    removePartial();
    return { ok: false, problem: 'cannot_write', detail: err instanceof Error ? err.message : String(err) };
  }
}

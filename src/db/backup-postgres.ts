import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import type { BackupOutcome } from './backup.js';

const run = promisify(execFile);

/**
 * A copy of the PostgreSQL database (its schema, when one is configured) into a new file `targetPath`, with
 * pg_dump in its custom format: one consistent snapshot while the app keeps reading and writing, restored with
 * pg_restore. Written as `<target>.partial`, read back whole with `pg_restore --list` and only then renamed, so a
 * file with the target's name is always a whole, readable dump. Never overwrites a file. pg_dump must be of the
 * server's major version or newer (Debian: postgresql-client-15).
 */
export async function backupPostgres(
  location: { databaseUrl: string; databaseSchema: string | undefined },
  targetPath: string,
): Promise<BackupOutcome> {
  if (existsSync(targetPath)) return { ok: false, problem: 'target_exists' };
  const partial = `${targetPath}.partial`;
  const removePartial = () => {
    try {
      rmSync(partial, { force: true });
    } catch {}
  };
  try {
    mkdirSync(dirname(targetPath), { recursive: true });
    removePartial();
    const schema = location.databaseSchema ? ['--schema', location.databaseSchema] : [];
    await run('pg_dump', [
      '--format=custom',
      '--no-owner',
      ...schema,
      '--file',
      partial,
      location.databaseUrl,
    ]);
    // The whole archive read back: a truncated or garbled file fails here.
    await run('pg_restore', ['--list', partial], { maxBuffer: 64 * 1024 * 1024 });
    const bytes = statSync(partial).size;
    renameSync(partial, targetPath);
    return { ok: true, pages: 0, bytes };
  } catch (err) {
    removePartial();
    // What the tool said, never the command line (the URL may hold a password).
    const said = (err as { stderr?: string }).stderr ?? (err as { code?: string }).code ?? 'unknown';
    const detail = String(said).trim().split('\n').slice(0, 2).join(' ');
    // The server is out of reach or refuses: there is nothing to copy from. Anything else: the copy failed.
    const unreachable = /connection|could not connect|does not exist|authentication/i.test(detail);
    return { ok: false, problem: unreachable ? 'no_source' : 'cannot_write', detail };
  }
}

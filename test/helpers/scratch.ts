import { accessSync, constants, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A folder for temporary files that lives in memory (tmpfs), if this machine has one we may write to. */
function memoryFolder(): string | undefined {
  try {
    if (!statSync('/dev/shm').isDirectory()) return undefined;
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return undefined;
  }
}

const PREFIX = 'ikrar-tests-';
const DAY_MS = 24 * 60 * 60 * 1000;

/** Folders left by runs that were killed before their teardown, untouched for a day (memory is not freed on exit). */
function removeStale(parent: string): void {
  for (const name of readdirSync(parent)) {
    if (!name.startsWith(PREFIX)) continue;
    const path = join(parent, name);
    try {
      if (Date.now() - statSync(path).mtimeMs > DAY_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Another run removed it meanwhile.
    }
  }
}

/**
 * A temporary folder of the test run's own, made the TMPDIR of the test workers, the apps and the browsers they
 * start (for everything that uses os.tmpdir()), and removed with all that is left in it when the run ends.
 *
 * It is in memory (/dev/shm) where there is one: every test's SQLite files live there, and the app's
 * `synchronous = FULL` flushes each commit, which on a disk costs a millisecond or two (tens when the disk is busy)
 * and a run makes thousands of commits. In memory the same code runs with the same pragmas; only the wait
 * for the disk goes, which no test can observe. IKRAR_TEST_TMPDIR chooses another parent folder.
 */
export function useScratchTmpdir(): { dir: string; remove: () => void } {
  const parent = process.env.IKRAR_TEST_TMPDIR || memoryFolder() || tmpdir();
  removeStale(parent);
  const dir = mkdtempSync(join(parent, PREFIX));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  return {
    dir,
    remove: () => {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

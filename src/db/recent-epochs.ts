import type { Db } from './database.js';

/** How old a read of the cache epochs may be before it is made again, when this process has written nothing since. */
export const EPOCHS_MAX_AGE_MS = 100;

/**
 * The cache epochs as the page cache reads them for every anonymous reader, without a read of the database each time:
 * read again once this process has written anything since the last read (so that its own changes show at once), or
 * when that read is `maxAgeMs` old (so that another process's or node's show within it). Readers arriving while a
 * read is under way share it. One read a request was a tenth of a cached page's time on SQLite and a round trip on
 * PostgreSQL; a reader may now get a page up to 100 ms older than another node's change, never an older page for
 * a change of this process.
 */
export function recentEpochs(
  read: () => Promise<string>,
  db: Pick<Db, 'writes'>,
  {
    maxAgeMs = EPOCHS_MAX_AGE_MS,
    now = () => performance.now(),
  }: { maxAgeMs?: number; now?: () => number } = {},
): () => Promise<string> {
  let last: { value: Promise<string>; at: number; writes: number } | null = null;
  return () => {
    if (last && last.writes === db.writes && now() - last.at < maxAgeMs) return last.value;
    const value = read();
    const taken = { value, at: now(), writes: db.writes };
    last = taken;
    // A failed read is not kept: the next reader tries again.
    value.catch(() => {
      if (last === taken) last = null;
    });
    return value;
  };
}

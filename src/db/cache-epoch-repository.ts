import { sql } from 'kysely';
import { allRows, countOf, type Db } from './database.js';

/** The counters that triggers bump on every change an in-memory cache depends on (migration 010). */
export function cacheEpochRepository(db: Db) {
  return {
    /** Every counter in one string: equal strings mean nothing a public page shows has changed. */
    all: async (): Promise<string> =>
      (await allRows(db, sql<{ n: number }>`SELECT n FROM cache_epochs ORDER BY name`))
        .map((row) => row.n)
        .join('.'),
    /** The `settings` counter alone: the instance settings and the units' time zones (migrations 010 and 018). */
    settings: async (): Promise<string> =>
      String(await countOf(db, sql<{ n: number }>`SELECT n FROM cache_epochs WHERE name = 'settings'`)),
  };
}

export type CacheEpochRepository = ReturnType<typeof cacheEpochRepository>;

import { sql } from 'kysely';
import { allRows, type Db } from './database.js';

/** The counters that triggers bump on every change an in-memory cache depends on (migration 010). */
export function cacheEpochRepository(db: Db) {
  return {
    /** Every counter in one string: equal strings mean nothing a public page shows has changed. */
    all: async (): Promise<string> =>
      (await allRows(db, sql<{ n: number }>`SELECT n FROM cache_epochs ORDER BY name`))
        .map((row) => row.n)
        .join('.'),
  };
}

export type CacheEpochRepository = ReturnType<typeof cacheEpochRepository>;

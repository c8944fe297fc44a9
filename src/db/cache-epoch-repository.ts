import type { Db } from './database.js';

/** The counters that triggers bump on every change an in-memory cache depends on (migration 010). */
export function cacheEpochRepository(db: Db) {
  const all = db
    .prepare<[], string>("SELECT group_concat(n, '.') FROM (SELECT n FROM cache_epochs ORDER BY name)")
    .pluck();
  return {
    /** Every counter in one string: equal strings mean nothing a public page shows has changed. */
    all: (): string => all.get() as string,
  };
}

export type CacheEpochRepository = ReturnType<typeof cacheEpochRepository>;

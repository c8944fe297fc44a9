import { sql } from 'kysely';
import { type Db, firstRow, run } from './database.js';

/** Counters of requests per key and window (migration 016), for limiters shared by several app nodes. */
export function rateLimitRepository(db: Db) {
  return {
    /** Counts one request for `key` in a window of `windowMs` from its first request; a window that ended starts anew. */
    hit: async (
      key: string,
      nowMs: number,
      windowMs: number,
    ): Promise<{ hits: number; resetsAt: number }> => {
      const row = await firstRow(
        db,
        sql<{ hits: number; resets_at: number }>`
          INSERT INTO rate_limit_hits (key, hits, resets_at) VALUES (${key}, 1, ${nowMs + windowMs})
          ON CONFLICT (key) DO UPDATE SET
            hits = CASE WHEN rate_limit_hits.resets_at <= ${nowMs} THEN 1 ELSE rate_limit_hits.hits + 1 END,
            resets_at = CASE WHEN rate_limit_hits.resets_at <= ${nowMs} THEN ${nowMs + windowMs}
                             ELSE rate_limit_hits.resets_at END
          RETURNING hits, resets_at`,
      );
      const counted = row as { hits: number; resets_at: number };
      return { hits: counted.hits, resetsAt: Number(counted.resets_at) };
    },
    /** Takes one request back (a limiter that counts only failures). */
    unhit: async (key: string): Promise<void> => {
      await run(db, sql`UPDATE rate_limit_hits SET hits = hits - 1 WHERE key = ${key} AND hits > 0`);
    },
    reset: async (key: string): Promise<void> => {
      await run(db, sql`DELETE FROM rate_limit_hits WHERE key = ${key}`);
    },
    /** Forgets windows that ended before `nowMs`. */
    pruneEnded: (nowMs: number): Promise<number> =>
      run(db, sql`DELETE FROM rate_limit_hits WHERE resets_at < ${nowMs}`),
  };
}

export type RateLimitRepository = ReturnType<typeof rateLimitRepository>;

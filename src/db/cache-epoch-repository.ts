import { sql } from 'kysely';
import { allRows, countOf, type Db } from './database.js';
import { nowIso } from './dialect.js';

/**
 * The compliance counter as caches read it: the triggers' count, plus how many exemptions have begun and how many
 * have ended by now (migration 023). Time passing moves who must sign without any write; this moves with it, and
 * like the count it only grows.
 */
export const complianceEpoch = (db: Db) => sql<{ n: number }>`
  SELECT CAST((SELECT n FROM cache_epochs WHERE name = 'compliance')
              + (SELECT count(*) FROM pact_exemptions WHERE starts_at <= ${nowIso(db)})
              + (SELECT count(*) FROM pact_exemptions WHERE ends_at <= ${nowIso(db)}) AS integer) AS n`;

/** The counters that triggers bump on every change an in-memory cache depends on (migration 010). */
export function cacheEpochRepository(db: Db) {
  return {
    /** Every counter in one string: equal strings mean nothing a public page shows has changed. */
    all: async (): Promise<string> => {
      const compliance = await countOf(db, complianceEpoch(db));
      return (
        await allRows(db, sql<{ name: string; n: number }>`SELECT name, n FROM cache_epochs ORDER BY name`)
      )
        .map((row) => (row.name === 'compliance' ? compliance : row.n))
        .join('.');
    },
    /** The `settings` counter alone: the instance settings and the units' time zones (migrations 010 and 018). */
    settings: async (): Promise<string> =>
      String(await countOf(db, sql<{ n: number }>`SELECT n FROM cache_epochs WHERE name = 'settings'`)),
  };
}

export type CacheEpochRepository = ReturnType<typeof cacheEpochRepository>;

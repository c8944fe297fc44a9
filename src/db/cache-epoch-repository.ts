import { sql } from 'kysely';
import { allRows, countOf, type Db, firstRow } from './database.js';
import { nowIso } from './dialect.js';

/**
 * The compliance epoch as caches read it: the triggers' counter, and the latest moment by now at which an exemption
 * began and at which one ended (migration 023). Time passing changes who must sign without any write; the moment
 * an exemption begins or ends, one of these moves. Each is one indexed row (the maxima through their indexes).
 */
export async function complianceEpoch(db: Db): Promise<string> {
  const row = await firstRow(
    db,
    sql<{ n: number; began: string | null; ended: string | null }>`
      SELECT (SELECT n FROM cache_epochs WHERE name = 'compliance') AS n,
             (SELECT max(starts_at) FROM pact_exemptions WHERE starts_at <= ${nowIso(db)}) AS began,
             (SELECT max(ends_at) FROM pact_exemptions WHERE ends_at <= ${nowIso(db)}) AS ended`,
  );
  return `${row?.n}/${row?.began ?? ''}/${row?.ended ?? ''}`;
}

/** The counters that triggers bump on every change an in-memory cache depends on (migration 010). */
export function cacheEpochRepository(db: Db) {
  return {
    /** Every counter in one string: equal strings mean nothing a public page shows has changed. */
    all: async (): Promise<string> => {
      const compliance = await complianceEpoch(db);
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

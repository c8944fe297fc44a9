import { sql } from 'kysely';
import { allRows, type Db, firstRow, run } from '../db/database.js';

export function settingsRepository(db: Db) {
  const get = async (key: string): Promise<string | undefined> =>
    (await firstRow(db, sql<{ value: string }>`SELECT value FROM settings WHERE key = ${key}`))?.value;
  return {
    get,
    all: async (): Promise<Map<string, string>> =>
      new Map(
        (await allRows(db, sql<{ key: string; value: string }>`SELECT key, value FROM settings`)).map(
          (row) => [row.key, row.value],
        ),
      ),
    put: async (key: string, value: string, at: Date): Promise<void> => {
      await run(
        db,
        sql`INSERT INTO settings (key, value, updated_at) VALUES (${key}, ${value}, ${at.toISOString()})
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      );
    },
    /** Stores the value unless the key exists; returns whichever value is now stored (race-safe across processes). */
    getOrPut: async (key: string, value: string, at: Date): Promise<string> => {
      await run(
        db,
        sql`INSERT INTO settings (key, value, updated_at) VALUES (${key}, ${value}, ${at.toISOString()})
            ON CONFLICT (key) DO NOTHING`,
      );
      return (await get(key)) as string;
    },
  };
}

export type SettingsRepository = ReturnType<typeof settingsRepository>;

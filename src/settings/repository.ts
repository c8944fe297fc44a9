import type { Db } from '../db/database.js';

export function settingsRepository(db: Db) {
  const get = db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck();
  const all = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings');
  const put = db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );
  const putIfAbsent = db.prepare(
    'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING',
  );
  return {
    get: (key: string): string | undefined => get.get(key),
    all: (): Map<string, string> => new Map(all.all().map((row) => [row.key, row.value])),
    put: (key: string, value: string, at: Date): void => {
      put.run(key, value, at.toISOString());
    },
    /** Stores the value unless the key exists; returns whichever value is now stored (race-safe across processes). */
    getOrPut: (key: string, value: string, at: Date): string => {
      putIfAbsent.run(key, value, at.toISOString());
      return get.get(key) as string;
    },
  };
}

export type SettingsRepository = ReturnType<typeof settingsRepository>;

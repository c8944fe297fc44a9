import { sql } from 'kysely';
import { allRows, type Db, firstRow, run } from '../db/database.js';
import type { CheckedLogo, LogoMime } from './logo-file.js';

interface LogoRow {
  sha256: string;
  mime: LogoMime;
  bytes: Buffer | Uint8Array;
  width: number;
  height: number;
  print_png: Buffer | Uint8Array;
}

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
    /** The instance's logo (migration 026), or undefined while the default shield stands. */
    logo: async (): Promise<CheckedLogo | undefined> => {
      const row = await firstRow(
        db,
        sql<LogoRow>`SELECT sha256, mime, bytes, width, height, print_png FROM instance_logo WHERE id = 1`,
      );
      return (
        row && {
          sha256: row.sha256,
          mime: row.mime,
          bytes: Buffer.from(row.bytes),
          width: Number(row.width),
          height: Number(row.height),
          printPng: Buffer.from(row.print_png),
        }
      );
    },
    putLogo: async (logo: CheckedLogo, at: Date): Promise<void> => {
      await run(
        db,
        sql`INSERT INTO instance_logo (id, sha256, mime, bytes, width, height, print_png, updated_at)
            VALUES (1, ${logo.sha256}, ${logo.mime}, ${logo.bytes}, ${logo.width}, ${logo.height}, ${logo.printPng},
                    ${at.toISOString()})
            ON CONFLICT (id) DO UPDATE SET sha256 = excluded.sha256, mime = excluded.mime, bytes = excluded.bytes,
              width = excluded.width, height = excluded.height, print_png = excluded.print_png,
              updated_at = excluded.updated_at`,
      );
    },
    deleteLogo: async (): Promise<void> => {
      await run(db, sql`DELETE FROM instance_logo`);
    },
  };
}

export type SettingsRepository = ReturnType<typeof settingsRepository>;

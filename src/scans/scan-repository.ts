import { sql } from 'kysely';
import { type Db, firstRow } from '../db/database.js';
import type { CheckedScan, ScanMime } from './scan-file.js';

/** A stored scan without its bytes. */
export interface ScanInfo {
  id: number;
  sha256: string;
  mime: ScanMime;
  size: number;
  fileName: string;
  createdAt: string;
}

interface ScanRow {
  id: number;
  sha256: string;
  mime: ScanMime;
  size: number;
  file_name: string;
  created_at: string;
}

const toInfo = (row: ScanRow): ScanInfo => ({
  id: row.id,
  sha256: row.sha256,
  mime: row.mime,
  size: Number(row.size),
  fileName: row.file_name,
  createdAt: row.created_at,
});

export type ScanRepository = ReturnType<typeof scanRepository>;

export function scanRepository(db: Db) {
  return {
    insert: async (scan: CheckedScan, createdBy: number | null, at: Date): Promise<number> =>
      (
        (await firstRow(
          db,
          sql<{ id: number }>`
            INSERT INTO scans (sha256, mime, size, file_name, bytes, created_by, created_at)
            VALUES (${scan.sha256}, ${scan.mime}, ${scan.bytes.length}, ${scan.fileName}, ${scan.bytes},
                    ${createdBy}, ${at.toISOString()})
            RETURNING id`,
        )) as { id: number }
      ).id,
    info: async (id: number): Promise<ScanInfo | undefined> => {
      const row = await firstRow(
        db,
        sql<ScanRow>`SELECT id, sha256, mime, size, file_name, created_at FROM scans WHERE id = ${id}`,
      );
      return row && toInfo(row);
    },
    withBytes: async (id: number): Promise<(ScanInfo & { bytes: Buffer }) | undefined> => {
      const row = await firstRow(
        db,
        sql<ScanRow & { bytes: Buffer | Uint8Array }>`
          SELECT id, sha256, mime, size, file_name, created_at, bytes FROM scans WHERE id = ${id}`,
      );
      return row && { ...toInfo(row), bytes: Buffer.from(row.bytes) };
    },
  };
}

import { type RawBuilder, sql } from 'kysely';
import { allRows, type Db, firstRow, insertRows, run } from '../../db/database.js';
import { jsonInteger } from '../../db/dialect.js';
import type { RosterApplyResult, RosterHeader, RosterSummary, RowStatus, StoredRow } from './types.js';

export type RosterImportStatus = 'previewed' | 'applied';

export interface RosterImport {
  id: number;
  createdBy: number;
  createdAt: string;
  expiresAt: string;
  fileName: string;
  status: RosterImportStatus;
  summary: RosterSummary;
  appliedAt: string | null;
  result: RosterApplyResult | null;
  /** False while the rows are being written, and once they have been pruned. */
  hasRows: boolean;
}

interface RosterImportRow {
  id: number;
  created_by: number;
  created_at: string;
  expires_at: string;
  file_name: string;
  status: RosterImportStatus;
  summary: string;
  applied_at: string | null;
  result: string | null;
  has_rows: number;
}

const toImport = (row: RosterImportRow): RosterImport => ({
  id: row.id,
  createdBy: row.created_by,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  fileName: row.file_name,
  status: row.status,
  summary: JSON.parse(row.summary) as RosterSummary,
  appliedAt: row.applied_at,
  result: row.result === null ? null : (JSON.parse(row.result) as RosterApplyResult),
  hasRows: row.has_rows === 1,
});

interface StoredRowRecord {
  row: string;
  outcome: string;
}

const toStoredRow = (record: StoredRowRecord): StoredRow => ({
  row: JSON.parse(record.row) as StoredRow['row'],
  outcome: JSON.parse(record.outcome) as StoredRow['outcome'],
});

const NO_ROWS_YET: RosterSummary = { total: 0, new: 0, changed: 0, unchanged: 0, rejected: 0 };

export function rosterImportRepository(db: Db) {
  const ids = async (query: RawBuilder<{ id: number }>): Promise<number[]> =>
    (await allRows(db, query)).map((row) => row.id);
  const storedRows = async (query: RawBuilder<StoredRowRecord>): Promise<StoredRow[]> =>
    (await allRows(db, query)).map(toStoredRow);
  return {
    /** A new import without rows yet: they are added, then `finish` makes it a preview. */
    begin: async (record: { createdBy: number; createdAt: Date; fileName: string }): Promise<number> => {
      const createdAt = record.createdAt.toISOString();
      // Not a preview yet: it expires when it is made, and becomes one (with its hour) in `finish`.
      const row = await firstRow(
        db,
        sql<{ id: number }>`
          INSERT INTO roster_imports (created_by, created_at, expires_at, file_name, summary)
          VALUES (${record.createdBy}, ${createdAt}, ${createdAt}, ${record.fileName}, ${JSON.stringify(NO_ROWS_YET)})
          RETURNING id`,
      );
      return (row as { id: number }).id;
    },
    /** Adds rows to an import begun; returns the bytes of text they take. */
    addRows: async (importId: number, rows: readonly StoredRow[]): Promise<number> => {
      let bytes = 0;
      const values = rows.map(({ row, outcome }) => {
        const stored = { row: JSON.stringify(row), outcome: JSON.stringify(outcome) };
        bytes += Buffer.byteLength(stored.row) + Buffer.byteLength(stored.outcome);
        return sql`(${importId}, ${row.line}, ${outcome.status}, ${stored.row}, ${stored.outcome})`;
      });
      await insertRows(
        db,
        sql`INSERT INTO roster_import_rows (import_id, line, status, row, outcome)`,
        values,
      );
      return bytes;
    },
    /** Makes an import whose rows are all written a preview, with the file's header, the counts and its hour. */
    finish: async (
      importId: number,
      preview: { header: RosterHeader; summary: RosterSummary; expiresAt: Date },
    ): Promise<void> => {
      await run(
        db,
        sql`UPDATE roster_imports
            SET header = ${JSON.stringify(preview.header)}, summary = ${JSON.stringify(preview.summary)},
                expires_at = ${preview.expiresAt.toISOString()}
            WHERE id = ${importId}`,
      );
    },
    /** An import, gone (an upload refused: its rows are deleted first, a batch at a time, with deleteRows). */
    remove: async (importId: number): Promise<void> => {
      await run(db, sql`DELETE FROM roster_imports WHERE id = ${importId}`);
    },
    /** Deletes up to `limit` rows of an import; returns how many. */
    deleteRows: (importId: number, limit: number): Promise<number> =>
      run(
        db,
        sql`DELETE FROM roster_import_rows
            WHERE import_id = ${importId}
              AND line IN (SELECT line FROM roster_import_rows WHERE import_id = ${importId} ORDER BY line LIMIT ${limit})`,
      ),
    /** The imports made before `before` that still have rows (or a header): those to prune. */
    withRowsBefore: (before: Date): Promise<number[]> =>
      ids(sql`
        SELECT id FROM roster_imports WHERE created_at < ${before.toISOString()}
          AND (header IS NOT NULL OR EXISTS (SELECT 1 FROM roster_import_rows WHERE import_id = id))`),
    /** Marks an import's rows gone (before they are deleted). */
    dropHeader: async (importId: number): Promise<void> => {
      await run(db, sql`UPDATE roster_imports SET header = NULL WHERE id = ${importId}`);
    },
    /** Uploads made before `before` that never became a preview (the process stopped while their rows were written). */
    unfinishedBefore: (before: Date): Promise<number[]> =>
      ids(sql`
        SELECT id FROM roster_imports
        WHERE created_at < ${before.toISOString()} AND status = 'previewed' AND header IS NULL
          AND ${jsonInteger(db, sql`summary`, 'total')} = 0`),
    findById: async (id: number): Promise<RosterImport | undefined> => {
      const row = await firstRow(
        db,
        sql<RosterImportRow>`
          SELECT id, created_by, created_at, expires_at, file_name, status, summary, applied_at, result,
                 CASE WHEN header IS NOT NULL THEN 1 ELSE 0 END AS has_rows
          FROM roster_imports WHERE id = ${id}`,
      );
      return row && toImport(row);
    },
    /** The file's header, or null while the rows are being written or once they are pruned. */
    header: async (id: number): Promise<RosterHeader | null> => {
      const json = (
        await firstRow(db, sql<{ header: string | null }>`SELECT header FROM roster_imports WHERE id = ${id}`)
      )?.header;
      return json ? (JSON.parse(json) as RosterHeader) : null;
    },
    /** Every row of an import in file order, `size` at a time, each batch read when it is asked for. */
    async *rowBatches(importId: number, size: number): AsyncGenerator<StoredRow[]> {
      for (let after = 0; ; ) {
        const batch = await storedRows(
          sql`SELECT row, outcome FROM roster_import_rows
              WHERE import_id = ${importId} AND line > ${after} ORDER BY line LIMIT ${size}`,
        );
        const last = batch.at(-1);
        if (!last) return;
        yield batch;
        after = last.row.line;
      }
    },
    /** A page of the rows with one decision, in file order. */
    rowsWithStatus: (
      importId: number,
      status: RowStatus,
      page: { offset: number; limit: number },
    ): Promise<StoredRow[]> =>
      storedRows(
        sql`SELECT row, outcome FROM roster_import_rows WHERE import_id = ${importId} AND status = ${status}
            ORDER BY line LIMIT ${page.limit} OFFSET ${page.offset}`,
      ),
    /** Marks a previewed import applied; false when it was applied already. */
    markApplied: async (id: number, at: Date, result: RosterApplyResult): Promise<boolean> =>
      (await run(
        db,
        sql`UPDATE roster_imports SET status = 'applied', applied_at = ${at.toISOString()}, result = ${JSON.stringify(result)}
            WHERE id = ${id} AND status = 'previewed'`,
      )) > 0,
    /** Records who an applied import added or changed (its people, for activation letters). */
    addPeople: async (importId: number, userIds: readonly number[]): Promise<void> => {
      await insertRows(
        db,
        sql`INSERT INTO roster_import_people (import_id, user_id)`,
        userIds.map((userId) => sql`(${importId}, ${userId})`),
      );
    },
    /** Who an applied import added or changed. */
    peopleOf: (importId: number): Promise<number[]> =>
      ids(sql`SELECT user_id AS id FROM roster_import_people WHERE import_id = ${importId}`),
    /** The newest applied imports (of one creator, or everyone's when `createdBy` is null) that added or changed people. */
    recentApplied: async (createdBy: number | null, limit: number): Promise<RosterImport[]> =>
      (
        await allRows(
          db,
          sql<RosterImportRow>`
            SELECT i.*, 0 AS has_rows FROM roster_imports i
            WHERE i.status = 'applied' ${createdBy === null ? sql`` : sql`AND i.created_by = ${createdBy}`}
              AND EXISTS (SELECT 1 FROM roster_import_people p WHERE p.import_id = i.id)
            ORDER BY i.applied_at DESC, i.id DESC LIMIT ${limit}`,
        )
      ).map(toImport),
    setResult: async (id: number, result: RosterApplyResult): Promise<void> => {
      await run(db, sql`UPDATE roster_imports SET result = ${JSON.stringify(result)} WHERE id = ${id}`);
    },
  };
}

export type RosterImportRepository = ReturnType<typeof rosterImportRepository>;

import type { Db } from '../../db/database.js';
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
  // Not a preview yet: it expires when it is made, and becomes one (with its hour) in `finish`.
  const insert = db.prepare(
    `INSERT INTO roster_imports (created_by, created_at, expires_at, file_name, summary)
     VALUES (@createdBy, @createdAt, @createdAt, @fileName, @summary)`,
  );
  const insertRow = db.prepare(
    `INSERT INTO roster_import_rows (import_id, line, status, row, outcome)
     VALUES (@importId, @line, @status, @row, @outcome)`,
  );
  const finish = db.prepare(
    'UPDATE roster_imports SET header = @header, summary = @summary, expires_at = @expiresAt WHERE id = @id',
  );
  const remove = db.prepare('DELETE FROM roster_imports WHERE id = ?');
  const byId = db.prepare<[number], RosterImportRow>(
    `SELECT id, created_by, created_at, expires_at, file_name, status, summary, applied_at, result,
            header IS NOT NULL AS has_rows
     FROM roster_imports WHERE id = ?`,
  );
  const header = db
    .prepare<[number], string | null>('SELECT header FROM roster_imports WHERE id = ?')
    .pluck();
  const rowsAfter = db.prepare<[number, number, number], StoredRowRecord>(
    `SELECT row, outcome FROM roster_import_rows WHERE import_id = ? AND line > ? ORDER BY line LIMIT ?`,
  );
  const rowsWithStatus = db.prepare<[number, RowStatus, number, number], StoredRowRecord>(
    `SELECT row, outcome FROM roster_import_rows WHERE import_id = ? AND status = ? ORDER BY line LIMIT ? OFFSET ?`,
  );
  const markApplied = db.prepare(
    `UPDATE roster_imports SET status = 'applied', applied_at = @at, result = @result
     WHERE id = @id AND status = 'previewed'`,
  );
  const setResult = db.prepare('UPDATE roster_imports SET result = @result WHERE id = @id');
  const deleteRows = db.prepare(
    `DELETE FROM roster_import_rows
     WHERE import_id = @importId
       AND line IN (SELECT line FROM roster_import_rows WHERE import_id = @importId ORDER BY line LIMIT @limit)`,
  );
  const withRowsBefore = db
    .prepare<[string], number>(
      `SELECT id FROM roster_imports WHERE created_at < ?
         AND (header IS NOT NULL OR EXISTS (SELECT 1 FROM roster_import_rows WHERE import_id = id))`,
    )
    .pluck();
  const dropHeader = db.prepare('UPDATE roster_imports SET header = NULL WHERE id = ?');
  const unfinishedBefore = db
    .prepare<[string], number>(
      `SELECT id FROM roster_imports
       WHERE created_at < ? AND status = 'previewed' AND header IS NULL AND json_extract(summary, '$.total') = 0`,
    )
    .pluck();
  return {
    /** A new import without rows yet: they are added, then `finish` makes it a preview. */
    begin: (record: { createdBy: number; createdAt: Date; fileName: string }): number =>
      Number(
        insert.run({
          ...record,
          createdAt: record.createdAt.toISOString(),
          summary: JSON.stringify(NO_ROWS_YET),
        }).lastInsertRowid,
      ),
    /** Adds rows to an import begun; returns the bytes of text they take. */
    addRows: (importId: number, rows: readonly StoredRow[]): number => {
      let bytes = 0;
      for (const { row, outcome } of rows) {
        const stored = {
          importId,
          line: row.line,
          status: outcome.status,
          row: JSON.stringify(row),
          outcome: JSON.stringify(outcome),
        };
        insertRow.run(stored);
        bytes += Buffer.byteLength(stored.row) + Buffer.byteLength(stored.outcome);
      }
      return bytes;
    },
    /** Makes an import whose rows are all written a preview, with the file's header, the counts and its hour. */
    finish: (
      importId: number,
      preview: { header: RosterHeader; summary: RosterSummary; expiresAt: Date },
    ): void => {
      finish.run({
        id: importId,
        header: JSON.stringify(preview.header),
        summary: JSON.stringify(preview.summary),
        expiresAt: preview.expiresAt.toISOString(),
      });
    },
    /** An import, gone (an upload refused: its rows are deleted first, a batch at a time, with deleteRows). */
    remove: (importId: number): void => {
      remove.run(importId);
    },
    /** Deletes up to `limit` rows of an import; returns how many. */
    deleteRows: (importId: number, limit: number): number => deleteRows.run({ importId, limit }).changes,
    /** The imports made before `before` that still have rows (or a header): those to prune. */
    withRowsBefore: (before: Date): number[] => withRowsBefore.all(before.toISOString()),
    /** Marks an import's rows gone (before they are deleted). */
    dropHeader: (importId: number): void => {
      dropHeader.run(importId);
    },
    /** Uploads made before `before` that never became a preview (the process stopped while their rows were written). */
    unfinishedBefore: (before: Date): number[] => unfinishedBefore.all(before.toISOString()),
    findById: (id: number): RosterImport | undefined => {
      const row = byId.get(id);
      return row && toImport(row);
    },
    /** The file's header, or null while the rows are being written or once they are pruned. */
    header: (id: number): RosterHeader | null => {
      const json = header.get(id);
      return json ? (JSON.parse(json) as RosterHeader) : null;
    },
    /** Every row of an import in file order, `size` at a time, each batch read when it is asked for. */
    *rowBatches(importId: number, size: number): Generator<StoredRow[]> {
      for (let after = 0; ; ) {
        const batch = rowsAfter.all(importId, after, size).map(toStoredRow);
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
    ): StoredRow[] => rowsWithStatus.all(importId, status, page.limit, page.offset).map(toStoredRow),
    /** Marks a previewed import applied; false when it was applied already. */
    markApplied: (id: number, at: Date, result: RosterApplyResult): boolean =>
      markApplied.run({ id, at: at.toISOString(), result: JSON.stringify(result) }).changes > 0,
    setResult: (id: number, result: RosterApplyResult): void => {
      setResult.run({ id, result: JSON.stringify(result) });
    },
  };
}

export type RosterImportRepository = ReturnType<typeof rosterImportRepository>;

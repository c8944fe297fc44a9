import type { Db } from '../../db/database.js';
import type { RosterApplyResult, RosterSummary } from './types.js';

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
  /** False once the rows have been pruned. */
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

export function rosterImportRepository(db: Db) {
  const insert = db.prepare(
    `INSERT INTO roster_imports (created_by, created_at, expires_at, file_name, summary, rows)
     VALUES (@createdBy, @createdAt, @expiresAt, @fileName, @summary, @rows)`,
  );
  const byId = db.prepare<[number], RosterImportRow>(
    `SELECT id, created_by, created_at, expires_at, file_name, status, summary, applied_at, result,
            rows IS NOT NULL AS has_rows
     FROM roster_imports WHERE id = ?`,
  );
  const rows = db.prepare<[number], string | null>('SELECT rows FROM roster_imports WHERE id = ?').pluck();
  const markApplied = db.prepare(
    `UPDATE roster_imports SET status = 'applied', applied_at = @at, result = @result
     WHERE id = @id AND status = 'previewed'`,
  );
  const setResult = db.prepare('UPDATE roster_imports SET result = @result WHERE id = @id');
  const prune = db.prepare('UPDATE roster_imports SET rows = NULL WHERE rows IS NOT NULL AND created_at < ?');
  return {
    insert: (record: {
      createdBy: number;
      createdAt: Date;
      expiresAt: Date;
      fileName: string;
      summary: RosterSummary;
      rows: string;
    }): number =>
      Number(
        insert.run({
          ...record,
          createdAt: record.createdAt.toISOString(),
          expiresAt: record.expiresAt.toISOString(),
          summary: JSON.stringify(record.summary),
        }).lastInsertRowid,
      ),
    findById: (id: number): RosterImport | undefined => {
      const row = byId.get(id);
      return row && toImport(row);
    },
    /** The stored rows (JSON text), or null once pruned. */
    rows: (id: number): string | null => rows.get(id) ?? null,
    /** Marks a previewed import applied; false when it was applied already. */
    markApplied: (id: number, at: Date, result: RosterApplyResult): boolean =>
      markApplied.run({ id, at: at.toISOString(), result: JSON.stringify(result) }).changes > 0,
    setResult: (id: number, result: RosterApplyResult): void => {
      setResult.run({ id, result: JSON.stringify(result) });
    },
    /** Drops the rows of imports made before `before`; returns how many. */
    pruneRows: (before: Date): number => prune.run(before.toISOString()).changes,
  };
}

export type RosterImportRepository = ReturnType<typeof rosterImportRepository>;

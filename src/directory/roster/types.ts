import type { Role } from '../types.js';

/** The columns of Ikrar's own roster template, in its order. */
export const ROSTER_COLUMNS = [
  'nip',
  'nama',
  'jabatan',
  'pangkat',
  'kode_unit',
  'email',
  'jenis',
  'kepala',
] as const;
/**
 * Columns read besides the template's, as BKN's SIASN exports carry them (see siasn.ts): academic titles, composed
 * with the name, and the unit by name (the work unit, else its parent) for files without Ikrar's unit codes.
 */
export const SIASN_COLUMNS = ['gelar_depan', 'gelar_belakang', 'unit_nama', 'unit_induk_nama'] as const;
export type RosterColumn = (typeof ROSTER_COLUMNS)[number] | (typeof SIASN_COLUMNS)[number];
export const REQUIRED_COLUMNS: readonly RosterColumn[] = ['nip', 'nama'];
/** A file must say each person's unit one of these ways: by code, or by name. */
export const UNIT_COLUMNS: readonly RosterColumn[] = ['kode_unit', 'unit_nama', 'unit_induk_nama'];

/** The header of a roster as read from a file: the columns its rows' cells are under. */
export interface RosterHeader {
  /** The header cells as written in the file, in file order. */
  headers: string[];
  /** The roster column each header names (same order). */
  columns: RosterColumn[];
  /** Headers of a SIASN export that no roster column reads, as written: not read, and said so on the preview. */
  ignored?: string[];
}

export interface RosterRow {
  /** The row number a spreadsheet shows for it (the header is row 1). */
  line: number;
  /** The cells under each header, trimmed (same order as the headers). */
  cells: string[];
  /** Something wrong with the row found while reading it. */
  problem?: 'extra_cells' | 'nip_number';
}

/** The value of one column in a row ('' when the file has no such column). */
export function cellOf(header: Pick<RosterHeader, 'columns'>, row: RosterRow, column: RosterColumn): string {
  const index = header.columns.indexOf(column);
  return index < 0 ? '' : (row.cells[index] ?? '');
}

export type RowStatus = 'new' | 'changed' | 'unchanged' | 'rejected';

/** A message from the catalogue with its parameters: why a row is rejected. */
export interface RowReason {
  key: string;
  params?: Record<string, string | number>;
}

export type ChangedField = 'fullName' | 'position' | 'pangkat' | 'email' | 'employeeType' | 'unit' | 'head';

/** One field an import changes, with the values as shown (the unit by its code). */
export interface RowChange {
  field: ChangedField;
  from: string | null;
  to: string | null;
}

/** What the preview decided for one row. */
export interface RowOutcome {
  line: number;
  status: RowStatus;
  reason?: RowReason;
  changes?: RowChange[];
}

export interface RosterSummary {
  total: number;
  new: number;
  changed: number;
  unchanged: number;
  rejected: number;
}

/** One row of an import as kept between preview and confirm: the row as read and the decision shown on it. */
export interface StoredRow {
  row: RosterRow;
  outcome: RowOutcome;
}

export interface InvitationReport {
  /** Invitations to send: new people with an email, and people without a password given a new email. */
  total: number;
  sent: number;
  /** Kept in the outbox (no SMTP configured). */
  kept: number;
  failed: number;
  /** New people without an email (not invited). */
  noEmail: number;
  done: boolean;
}

export interface RosterApplyResult {
  created: number;
  /** New people without an email: nobody can mail them a link; they get one from the user page. */
  createdWithoutEmail: number;
  updated: number;
  unchanged: number;
  rejected: number;
  headsSet: number;
  invitations: InvitationReport | null;
}

/** The role a person gets from an import (an existing person keeps theirs). */
export const IMPORTED_ROLE: Role = 'signer';

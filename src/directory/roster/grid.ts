// The rows of a roster file as they are read, before the header is matched to the roster's columns: every limit
// that keeps a small file from becoming a large import is checked here, one cell at a time, as the readers (CSV and
// XLSX) hand each cell over, so that nothing over-long is ever kept, stored or shown back.
import { MAX_LENGTH } from '../field-limits.js';
import { SIASN_ALIASES } from './siasn.js';
import { ROSTER_COLUMNS, type RosterColumn, SIASN_COLUMNS } from './types.js';

/** Rows of data in one file: twice the province's largest realistic roster. */
export const MAX_ROSTER_ROWS = 100_000;
// Ikrar's template has seven columns; a SIASN export about seventy, of which the roster reads a few. Far wider rows
// are refused before any per-cell work.
export const MAX_ROSTER_COLUMNS = 100;
/**
 * What an import may keep (its rows and the decision on each, as JSON): 32 MB. A 100,000-row roster of long names
 * and positions, every row with an email, needs about 25 MB; a file that needs more is refused while it is read.
 */
export const MAX_STORED_BYTES = 32 * 1024 * 1024;

/** The longest value of each roster column: what the user and unit forms accept (jenis and kepala: a few words). */
export const CELL_LIMITS: Record<RosterColumn, number> = {
  nip: MAX_LENGTH.nip,
  nama: MAX_LENGTH.fullName,
  jabatan: MAX_LENGTH.position,
  pangkat: MAX_LENGTH.pangkat,
  kode_unit: MAX_LENGTH.unitCode,
  email: MAX_LENGTH.email,
  jenis: 20,
  kepala: 20,
  gelar_depan: 60,
  gelar_belakang: 60,
  unit_nama: 250,
  unit_induk_nama: 250,
};
/** A header cell. */
const HEADER_LIMIT = 100;
/** A cell under any other header (`alasan`, an unknown one) or beyond the last. */
const OTHER_LIMIT = 1000;

export type ParseProblem =
  | 'empty'
  | 'not_text'
  | 'xls'
  | 'not_xlsx'
  | 'malformed_csv'
  | 'malformed_xlsx'
  | 'xlsx_too_large'
  | 'too_many_rows'
  | 'too_many_columns'
  | 'cell_too_long'
  | 'too_much_text'
  | 'unknown_columns'
  | 'unnamed_column'
  | 'duplicate_columns'
  | 'missing_columns'
  | 'no_rows'
  /** Reading took more memory or time than a file may (see read-in-worker.ts). */
  | 'too_heavy';

export class ParseFailure extends Error {
  constructor(
    readonly problem: ParseProblem,
    readonly params?: Record<string, string | number>,
  ) {
    super(problem);
  }
}

/** One row of a file as read: its number and its cells as text. */
export interface GridRow {
  line: number;
  cells: string[];
  /** Indexes of cells that held a number too large to be exact (an 18-digit NIP typed as a number in Excel). */
  inexact?: number[];
}

/** 'Kode Unit', ' KODE_UNIT ', 'jenis (PNS/PPPK)' → 'kode_unit', 'kode_unit', 'jenis'. */
export function normaliseHeader(header: string): string {
  return header
    .replace(/\(.*\)\s*$/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

const COLUMNS: readonly string[] = [...ROSTER_COLUMNS, ...SIASN_COLUMNS];

/** The roster column a header names, by Ikrar's name or SIASN's ('NIP_BARU' → nip); null for any other. */
export function rosterColumnOf(header: string): RosterColumn | null {
  const name = normaliseHeader(header);
  if (COLUMNS.includes(name)) return name as RosterColumn;
  return SIASN_ALIASES[name] ?? null;
}

/**
 * A cell as our own exports wrote it: they prefix a `'` to text starting with `=`, `+`, `-` or `@` so that Excel
 * shows it rather than computing it; reading it back removes that prefix, so a corrected file round-trips.
 */
const cleanCell = (cell: string): string => {
  const trimmed = cell.trim();
  return /^'[=+\-@]/.test(trimmed) ? trimmed.slice(1) : trimmed;
};

/**
 * The non-blank rows of a file, in order, the first of them the header, each handed on as soon as it is read (the
 * grid keeps none of them). A reader passes each cell through `cell()` as soon as it has it, then the row to
 * `add()`. Refused (a ParseFailure naming the row and column, never the value):
 * a cell beyond the 50th column, a cell longer than its column allows, more rows than MAX_ROSTER_ROWS and more text
 * in the roster's columns than an import may keep.
 */
export class Grid {
  /** The rows handed on so far, the header included. */
  count = 0;
  /** The roster column under each header, once the header is read (null: another header, or none). */
  private columns: (RosterColumn | null)[] | null = null;
  private budget = MAX_STORED_BYTES;

  constructor(private readonly onRow: (row: GridRow) => void) {}

  /** A cell's text, trimmed; `index` counts from 0. */
  cell(line: number, index: number, text: string): string {
    if (index >= MAX_ROSTER_COLUMNS) throw new ParseFailure('too_many_columns', { max: MAX_ROSTER_COLUMNS });
    const clean = cleanCell(text);
    if (clean.length > this.limitOf(index)) this.refuseTooLong(line, index);
    return clean;
  }

  /** Refuses the file for the cell at `index` of row `line`: longer than its column allows, or one too many. */
  refuseTooLong(line: number, index: number): never {
    if (index >= MAX_ROSTER_COLUMNS) throw new ParseFailure('too_many_columns', { max: MAX_ROSTER_COLUMNS });
    const column = this.columns?.[index];
    throw new ParseFailure('cell_too_long', {
      line,
      column: column ?? index + 1,
      max: this.limitOf(index),
    });
  }

  add(row: GridRow): void {
    if (row.cells.every((cell) => cell === '')) return;
    if (this.columns === null) {
      this.columns = row.cells.map(rosterColumnOf);
    } else if (this.count > MAX_ROSTER_ROWS) {
      throw new ParseFailure('too_many_rows', { max: MAX_ROSTER_ROWS });
    }
    // What the roster's columns will take as JSON, at least: the text, two quotes and a comma a cell.
    for (const [index, cell] of row.cells.entries()) {
      if (this.columns[index]) this.budget -= cell.length + 3;
    }
    if (this.budget < 0) throw new ParseFailure('too_much_text', { max: MAX_STORED_BYTES / (1024 * 1024) });
    this.count += 1;
    this.onRow(row);
  }

  private limitOf(index: number): number {
    if (this.columns === null) return HEADER_LIMIT;
    const column = this.columns[index];
    return column ? CELL_LIMITS[column] : OTHER_LIMIT;
  }
}

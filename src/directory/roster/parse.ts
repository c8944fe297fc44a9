// Reading a roster file (CSV or XLSX) into text cells. No rule about people is applied here: that is the preview's
// job. Every value stays text: a cell written `=HYPERLINK(...)` is read as those characters, never evaluated.
import { type GridRow, normaliseHeader, ParseFailure, type ParseProblem, rosterColumnOf } from './grid.js';
import { readCsv } from './read-csv.js';
import { readXlsx } from './read-xlsx.js';
import { SIASN_MARK, SIASN_NAMES } from './siasn.js';
import {
  REQUIRED_COLUMNS,
  type RosterColumn,
  type RosterHeader,
  type RosterRow,
  UNIT_COLUMNS,
} from './types.js';

/** The largest upload accepted (multer's limit): 20 MB. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export type RosterFormat = 'csv' | 'xlsx';

export type ParseResult =
  | { ok: true; format: RosterFormat; rows: number }
  | { ok: false; problem: ParseProblem; params?: Record<string, string | number> };

/** Where a roster goes as it is read: its header once, then each row of data, in order. */
export interface SheetSink {
  header(header: RosterHeader): void;
  row(row: RosterRow): void;
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
// The old binary Excel format (.xls) and other OLE2 documents.
const OLE2_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/**
 * Reads an uploaded roster into `sink`, row by row, keeping none of it. The format is told by the content, not the
 * file name: a zip is an XLSX (first sheet), anything else must be UTF-8 text separated by `,` or `;` (or tabs). A
 * refused file may have handed some rows on before the problem was found: the sink's owner drops them.
 */
export async function parseRoster(data: Buffer, sink: SheetSink): Promise<ParseResult> {
  try {
    if (data.length === 0) throw new ParseFailure('empty');
    const sheet = new SheetReader(sink);
    const onRow = (row: GridRow) => sheet.add(row);
    let format: RosterFormat;
    if (data.subarray(0, 4).equals(ZIP_MAGIC)) {
      await readXlsx(data, onRow);
      format = 'xlsx';
    } else {
      if (data.subarray(0, 8).equals(OLE2_MAGIC)) throw new ParseFailure('xls');
      readCsv(data, onRow);
      format = 'csv';
    }
    return { ok: true, format, rows: sheet.finish() };
  } catch (err) {
    if (err instanceof ParseFailure) return { ok: false, problem: err.problem, params: err.params };
    throw err;
  }
}

const IGNORED_COLUMN = 'alasan';

/**
 * The rows read (none is blank), the first the header: matched to the roster's columns as soon as it is read, the
 * others handed on with only the roster's columns kept. A column without a header is ignored when it is empty all
 * the way down, which only the last row can tell: `finish()` says so.
 */
class SheetReader {
  /** The file's column of each kept header, in order; null until the header is read. */
  private kept: number[] | null = null;
  /** Columns ignored: `alasan` (the reason column of the rejected-rows CSV, so that it can be corrected and uploaded
   * again), and the columns of a SIASN export that no roster column reads. */
  private readonly ignored = new Set<number>();
  private readonly unnamed = new Set<number>();
  /** The first column without a header that holds something. */
  private unnamedUsed: number | null = null;
  private nipIndex = -1;
  private rows = 0;

  constructor(private readonly sink: SheetSink) {}

  add(row: GridRow): void {
    if (this.kept === null) {
      this.readHeader(row.cells);
      return;
    }
    const kept = this.kept;
    const cells = kept.map((index) => row.cells[index] ?? '');
    let extra = false;
    for (const [index, cell] of row.cells.entries()) {
      if (cell === '' || kept.includes(index) || this.ignored.has(index)) continue;
      if (this.unnamed.has(index)) this.unnamedUsed = Math.min(this.unnamedUsed ?? index, index);
      else extra = true;
    }
    const problem = extra ? 'extra_cells' : row.inexact?.includes(this.nipIndex) ? 'nip_number' : undefined;
    this.rows += 1;
    this.sink.row({ line: row.line, cells, ...(problem ? { problem } : {}) });
  }

  /** The number of data rows, once every row has been added; or why the file is refused. */
  finish(): number {
    if (this.kept === null) throw new ParseFailure('empty');
    if (this.unnamedUsed !== null) throw new ParseFailure('unnamed_column', { column: this.unnamedUsed + 1 });
    if (this.rows === 0) throw new ParseFailure('no_rows');
    return this.rows;
  }

  /**
   * Matches the header to the roster's columns. A header no column reads is refused (a typo in a hand-made file
   * must not silently drop a column), except in a SIASN export, which carries dozens Ikrar has no use for: those
   * are ignored and listed on the preview.
   */
  private readHeader(names: string[]): void {
    const siasn = names.some((name) => normaliseHeader(name) === SIASN_MARK);
    const kept: number[] = [];
    const columns: RosterColumn[] = [];
    const unknown: string[] = [];
    const ignored: string[] = [];
    for (const [index, name] of names.entries()) {
      const column = rosterColumnOf(name);
      if (name === '') this.unnamed.add(index);
      else if (normaliseHeader(name) === IGNORED_COLUMN) this.ignored.add(index);
      // A SIASN export may say a thing twice (JENIS_PEGAWAI and JENIS_PEGAWAI_NAMA): the first is read.
      else if (column && !(siasn && columns.includes(column))) {
        kept.push(index);
        columns.push(column);
      } else if (siasn) {
        this.ignored.add(index);
        ignored.push(name);
      } else unknown.push(name);
    }
    if (unknown.length > 0) throw new ParseFailure('unknown_columns', { columns: unknown.join(', ') });
    const headers = kept.map((index) => names[index] as string);
    const duplicated = headers.filter(
      (_, i) =>
        columns.indexOf(columns[i] as RosterColumn) !== columns.lastIndexOf(columns[i] as RosterColumn),
    );
    if (duplicated.length > 0)
      throw new ParseFailure('duplicate_columns', { columns: duplicated.join(', ') });
    const missing: string[] = REQUIRED_COLUMNS.filter((column) => !columns.includes(column));
    if (!UNIT_COLUMNS.some((column) => columns.includes(column))) missing.push('kode_unit');
    if (missing.length > 0) {
      const named = siasn ? missing.map((column) => SIASN_NAMES[column] ?? column) : missing;
      throw new ParseFailure('missing_columns', { columns: named.join(', ') });
    }
    this.kept = kept;
    this.nipIndex = kept[columns.indexOf('nip')] as number;
    this.sink.header({ headers, columns, ...(ignored.length > 0 ? { ignored } : {}) });
  }
}

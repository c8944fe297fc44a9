// Reading a roster file (CSV or XLSX) into text cells. No rule about people is applied here: that is the preview's
// job. Every value stays text: a cell written `=HYPERLINK(...)` is read as those characters, never evaluated, and
// of an XLSX formula cell only its stored result is read.
import { Readable } from 'node:stream';
import { inflateRawSync } from 'node:zlib';
import { CsvError } from 'csv-parse';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import {
  REQUIRED_COLUMNS,
  ROSTER_COLUMNS,
  type RosterColumn,
  type RosterRow,
  type RosterSheet,
} from './types.js';

/** The largest upload accepted (multer's limit): 20 MB. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
/** Rows of data in one file: twice the province's largest realistic roster. */
export const MAX_ROSTER_ROWS = 100_000;
// What the parts of an XLSX (a zip) may add up to once unpacked: a 20 MB upload must not become gigabytes.
const MAX_XLSX_UNPACKED_BYTES = 256 * 1024 * 1024;
// A roster has seven columns; an export may carry a few more. Far wider rows are refused before any per-cell work.
export const MAX_ROSTER_COLUMNS = 50;
// A damaged zip can leave the XLSX reader waiting forever: give up and call the file unreadable.
const XLSX_READ_TIMEOUT_MS = 30_000;

export type RosterFormat = 'csv' | 'xlsx';

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
  | 'unknown_columns'
  | 'unnamed_column'
  | 'duplicate_columns'
  | 'missing_columns'
  | 'no_rows';

export type ParseResult =
  | { ok: true; format: RosterFormat; sheet: RosterSheet }
  | { ok: false; problem: ParseProblem; params?: Record<string, string | number> };

/** One row of a file as read: its number and its cells as text. */
interface GridRow {
  line: number;
  cells: string[];
  /** Indexes of cells that held a number too large to be exact (an 18-digit NIP typed as a number in Excel). */
  inexact?: number[];
}

class ParseFailure extends Error {
  constructor(
    readonly problem: ParseProblem,
    readonly params?: Record<string, string | number>,
  ) {
    super(problem);
  }
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
// The old binary Excel format (.xls) and other OLE2 documents.
const OLE2_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/**
 * Reads an uploaded roster. The format is told by the content, not the file name: a zip is an XLSX (first sheet),
 * anything else must be UTF-8 text (with or without a byte order mark) separated by `,` or `;` (or tabs), as
 * decided by the header line.
 */
export async function parseRoster(data: Buffer): Promise<ParseResult> {
  try {
    if (data.length === 0) throw new ParseFailure('empty');
    if (data.subarray(0, 4).equals(ZIP_MAGIC)) {
      return { ok: true, format: 'xlsx', sheet: toSheet(await readXlsx(data)) };
    }
    if (data.subarray(0, 8).equals(OLE2_MAGIC)) throw new ParseFailure('xls');
    return { ok: true, format: 'csv', sheet: toSheet(readCsv(data)) };
  } catch (err) {
    if (err instanceof ParseFailure) return { ok: false, problem: err.problem, params: err.params };
    throw err;
  }
}

// --- CSV --------------------------------------------------------------------------------------------------------

function readCsv(data: Buffer): GridRow[] {
  let text: string;
  try {
    // fatal: bytes that are not UTF-8 (a binary file, or a CSV saved as ANSI/Windows-1252) are refused, never
    // turned into U+FFFD. The decoder drops a byte order mark.
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    throw new ParseFailure('not_text');
  }
  if (text.includes('\u0000')) throw new ParseFailure('not_text');
  if (text.trim() === '') throw new ParseFailure('empty');
  let rows: GridRow[];
  let tooWide = false;
  try {
    rows = parseCsv(text, {
      delimiter: separatorOf(text),
      relax_column_count: true,
      relax_quotes: true,
      // Blank lines are skipped by the parser itself: a file of blank lines must cost nothing.
      skip_empty_lines: true,
      bom: true,
      // Each record becomes a row numbered as a spreadsheet shows it (blank lines count, line breaks inside a quoted
      // cell do not); a far too wide one is dropped
      // at once (and the file refused below) rather than carried through.
      on_record: (record: string[], context) => {
        if (record.length > MAX_ROSTER_COLUMNS) {
          tooWide = true;
          return null;
        }
        return {
          line: context.records + context.empty_lines,
          cells: record.map(cleanCell),
        } as unknown as string[];
      },
    }) as unknown as GridRow[];
  } catch (err) {
    if (err instanceof CsvError) {
      const line = typeof err.lines === 'number' ? err.lines : 0;
      throw new ParseFailure('malformed_csv', { line });
    }
    throw err;
  }
  if (tooWide) throw new ParseFailure('too_many_columns', { max: MAX_ROSTER_COLUMNS });
  // The header is one of the rows.
  if (rows.filter((row) => row.cells.some((cell) => cell !== '')).length > MAX_ROSTER_ROWS + 1) {
    throw new ParseFailure('too_many_rows', { max: MAX_ROSTER_ROWS });
  }
  return rows;
}

/**
 * A cell as our own exports wrote it: they prefix a `'` to text starting with `=`, `+`, `-` or `@` so that Excel
 * shows it rather than computing it; reading it back removes that prefix, so a corrected file round-trips.
 */
const cleanCell = (cell: string): string => {
  const trimmed = cell.trim();
  return /^'[=+\-@]/.test(trimmed) ? trimmed.slice(1) : trimmed;
};

/** `,`, `;` or a tab: whichever occurs most in the first line outside quotes (`,` when none does). */
function separatorOf(text: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best = ',';
  for (const [separator, count] of counts) if (count > (counts.get(best) ?? 0)) best = separator;
  return best;
}

// --- XLSX -------------------------------------------------------------------------------------------------------

async function readXlsx(data: Buffer): Promise<GridRow[]> {
  checkZip(data);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ParseFailure('malformed_xlsx')), XLSX_READ_TIMEOUT_MS);
  });
  try {
    return await Promise.race([readFirstSheet(data), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function readFirstSheet(data: Buffer): Promise<GridRow[]> {
  // The streaming reader: a 50 000-row sheet is read in about a second with a third of the memory of load().
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([data]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  const rows: GridRow[] = [];
  try {
    let firstSheet = true;
    for await (const worksheet of reader) {
      // The first sheet only. The others are still read through (their rows skipped): exceljs keeps the sheets that
      // come before the shared strings in temporary files and removes them only when it reaches the end.
      if (!firstSheet) {
        for await (const _ of worksheet) void _;
        continue;
      }
      firstSheet = false;
      for await (const row of worksheet) {
        const values = Array.isArray(row.values) ? (row.values as ExcelJS.CellValue[]) : [];
        // values[0] is always empty; a cell far to the right (column XFD) would make every row that wide.
        if (values.length - 1 > MAX_ROSTER_COLUMNS) {
          throw new ParseFailure('too_many_columns', { max: MAX_ROSTER_COLUMNS });
        }
        const cells: string[] = [];
        const inexact: number[] = [];
        // values[0] is always empty: columns count from 1.
        for (let column = 1; column < values.length; column += 1) {
          const cell = cellText(values[column]);
          cells.push(cleanCell(cell.text));
          if (cell.inexact) inexact.push(column - 1);
        }
        if (cells.every((cell) => cell === '')) continue;
        rows.push({ line: row.number, cells, ...(inexact.length > 0 ? { inexact } : {}) });
        if (rows.length > MAX_ROSTER_ROWS + 1) {
          throw new ParseFailure('too_many_rows', { max: MAX_ROSTER_ROWS });
        }
      }
    }
  } catch (err) {
    if (err instanceof ParseFailure) throw err;
    throw new ParseFailure('malformed_xlsx');
  }
  if (rows.length === 0) throw new ParseFailure('empty');
  return rows;
}

/**
 * A cell as text: a string as it is (even one starting with '='), a formula by its stored result, a hyperlink by
 * its text, rich text joined, a date as YYYY-MM-DD, an error as its code. An integer too large to be exact (what
 * Excel makes of an 18-digit NIP typed as a number) is flagged: its last digits are already lost.
 */
export function cellText(value: ExcelJS.CellValue): { text: string; inexact?: boolean } {
  if (value === null || value === undefined) return { text: '' };
  if (typeof value === 'string') return { text: value };
  if (typeof value === 'number') {
    if (Number.isInteger(value) && !Number.isSafeInteger(value))
      return { text: String(value), inexact: true };
    return { text: String(value) };
  }
  if (typeof value === 'boolean') return { text: value ? 'TRUE' : 'FALSE' };
  if (value instanceof Date) {
    return { text: Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10) };
  }
  if ('richText' in value && Array.isArray(value.richText)) {
    return { text: value.richText.map((part) => part.text).join('') };
  }
  if ('formula' in value || 'sharedFormula' in value) {
    return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
  }
  if ('text' in value) {
    const text = (value as { text: unknown }).text;
    return typeof text === 'string' ? { text } : cellText(text as ExcelJS.CellValue);
  }
  if ('error' in value) return { text: String(value.error) };
  return { text: '' };
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;

/**
 * Looks at the zip's central directory before anything is unpacked: it must be an XLSX (it has xl/workbook.xml)
 * and its parts must not unpack to more than MAX_XLSX_UNPACKED_BYTES.
 */
function checkZip(data: Buffer): void {
  let end = -1;
  // The end-of-central-directory record is 22 bytes plus a comment of at most 65 535.
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 65_535); i -= 1) {
    if (data.readUInt32LE(i) === EOCD_SIGNATURE) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new ParseFailure('malformed_xlsx');
  const entries = data.readUInt16LE(end + 10);
  let position = data.readUInt32LE(end + 16);
  let unpacked = 0;
  let workbook = false;
  for (let n = 0; n < entries; n += 1) {
    if (position + 46 > data.length || data.readUInt32LE(position) !== CENTRAL_SIGNATURE) {
      throw new ParseFailure('malformed_xlsx');
    }
    const nameLength = data.readUInt16LE(position + 28);
    const name = data.toString('utf8', position + 46, position + 46 + nameLength);
    if (name === 'xl/workbook.xml') workbook = true;
    // A zip64 entry says 0xFFFFFFFF here: counted as that large, it is refused.
    unpacked += data.readUInt32LE(position + 24);
    position += 46 + nameLength + data.readUInt16LE(position + 30) + data.readUInt16LE(position + 32);
  }
  if (!workbook) throw new ParseFailure('not_xlsx');
  if (unpacked > MAX_XLSX_UNPACKED_BYTES) throw new ParseFailure('xlsx_too_large');
  checkInflatedSize(data);
}

const LOCAL_SIGNATURE = 0x04034b50;
const DESCRIPTOR_SIGNATURE = 0x08074b50;

/**
 * The sizes in a zip's directory are only claims, and the XLSX reader does not use them: it walks the entries one
 * after another and inflates each until its data ends. Walk them the same way and really inflate them, under one
 * budget, so that a file that lies about its sizes is refused before the reader (and its temporary files) see it.
 */
export function checkInflatedSize(data: Buffer, limit = MAX_XLSX_UNPACKED_BYTES): void {
  let budget = limit;
  let position = 0;
  while (position + 30 <= data.length && data.readUInt32LE(position) === LOCAL_SIGNATURE) {
    const flags = data.readUInt16LE(position + 6);
    const method = data.readUInt16LE(position + 8);
    let compressed = data.readUInt32LE(position + 18);
    const start = position + 30 + data.readUInt16LE(position + 26) + data.readUInt16LE(position + 28);
    if (start > data.length) throw new ParseFailure('malformed_xlsx');
    if (method === 8) {
      let inflated: { buffer: Buffer; engine: { bytesWritten: number } };
      try {
        inflated = inflateRawSync(data.subarray(start), {
          info: true,
          maxOutputLength: Math.max(budget, 1),
        }) as unknown as typeof inflated;
      } catch (err) {
        throw new ParseFailure(
          (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? 'xlsx_too_large' : 'malformed_xlsx',
        );
      }
      budget -= inflated.buffer.length;
      compressed = inflated.engine.bytesWritten;
    } else if (method === 0 && (flags & 8) === 0) {
      budget -= compressed;
    } else {
      throw new ParseFailure('malformed_xlsx');
    }
    if (budget < 0) throw new ParseFailure('xlsx_too_large');
    position = start + compressed;
    // A data descriptor follows the data when bit 3 is set (with or without its own signature).
    if ((flags & 8) !== 0)
      position +=
        position + 4 <= data.length && data.readUInt32LE(position) === DESCRIPTOR_SIGNATURE ? 16 : 12;
  }
}

// --- Header and rows --------------------------------------------------------------------------------------------

/** 'Kode Unit', ' KODE_UNIT ', 'jenis (PNS/PPPK)' → 'kode_unit', 'kode_unit', 'jenis'. */
export function normaliseHeader(header: string): string {
  return header
    .replace(/\(.*\)\s*$/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

const IGNORED_COLUMN = 'alasan';

const isRosterColumn = (name: string): name is RosterColumn =>
  (ROSTER_COLUMNS as readonly string[]).includes(name);

/** The first non-empty row is the header; the rows after it with any value are the data. */
function toSheet(grid: GridRow[]): RosterSheet {
  const start = grid.findIndex((row) => row.cells.some((cell) => cell !== ''));
  if (start < 0) throw new ParseFailure('empty');
  const header = grid[start] as GridRow;
  const body = grid.slice(start + 1).filter((row) => row.cells.some((cell) => cell !== ''));
  if (body.length > MAX_ROSTER_ROWS) throw new ParseFailure('too_many_rows', { max: MAX_ROSTER_ROWS });

  // Columns with a header; a column without one is ignored when it is empty all the way down, and so is `alasan`
  // (the reason column of the rejected-rows CSV, so that it can be corrected and uploaded again).
  const kept: number[] = [];
  const ignored = new Set<number>();
  const unknown: string[] = [];
  for (const [index, name] of header.cells.entries()) {
    if (name === '') {
      if (body.some((row) => (row.cells[index] ?? '') !== '')) {
        throw new ParseFailure('unnamed_column', { column: index + 1 });
      }
      continue;
    }
    if (normaliseHeader(name) === IGNORED_COLUMN) {
      ignored.add(index);
      continue;
    }
    if (!isRosterColumn(normaliseHeader(name))) unknown.push(name);
    kept.push(index);
  }
  if (unknown.length > 0) throw new ParseFailure('unknown_columns', { columns: unknown.join(', ') });
  const headers = kept.map((index) => header.cells[index] as string);
  const columns = headers.map((name) => normaliseHeader(name) as RosterColumn);
  const duplicates = [...new Set(columns.filter((column, i) => columns.indexOf(column) !== i))];
  if (duplicates.length > 0) throw new ParseFailure('duplicate_columns', { columns: duplicates.join(', ') });
  const missing = REQUIRED_COLUMNS.filter((column) => !columns.includes(column));
  if (missing.length > 0) throw new ParseFailure('missing_columns', { columns: missing.join(', ') });
  if (body.length === 0) throw new ParseFailure('no_rows');

  const nipIndex = kept[columns.indexOf('nip')] as number;
  const rows = body.map((row): RosterRow => {
    const cells = kept.map((index) => row.cells[index] ?? '');
    const extra = row.cells.some(
      (cell, index) => cell !== '' && !kept.includes(index) && !ignored.has(index),
    );
    const problem = extra ? 'extra_cells' : row.inexact?.includes(nipIndex) ? 'nip_number' : undefined;
    return { line: row.line, cells, ...(problem ? { problem } : {}) };
  });
  return { headers, columns, rows };
}

// Reading a roster file (CSV or XLSX) into text cells. No rule about people is applied here: that is the preview's
// job. Every value stays text: a cell written `=HYPERLINK(...)` is read as those characters, never evaluated.
import { type GridRow, isRosterColumn, normaliseHeader, ParseFailure, type ParseProblem } from './grid.js';
import { readCsv } from './read-csv.js';
import { readXlsx } from './read-xlsx.js';
import { REQUIRED_COLUMNS, type RosterColumn, type RosterRow, type RosterSheet } from './types.js';

/** The largest upload accepted (multer's limit): 20 MB. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export type RosterFormat = 'csv' | 'xlsx';

export type ParseResult =
  | { ok: true; format: RosterFormat; sheet: RosterSheet }
  | { ok: false; problem: ParseProblem; params?: Record<string, string | number> };

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
// The old binary Excel format (.xls) and other OLE2 documents.
const OLE2_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/**
 * Reads an uploaded roster. The format is told by the content, not the file name: a zip is an XLSX (first sheet),
 * anything else must be UTF-8 text separated by `,` or `;` (or tabs).
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

const IGNORED_COLUMN = 'alasan';

/** The first of the rows read (none is blank) is the header; the others are the data. */
function toSheet(grid: GridRow[]): RosterSheet {
  const [header, ...body] = grid;
  if (!header) throw new ParseFailure('empty');

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

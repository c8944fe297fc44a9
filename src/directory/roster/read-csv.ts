import { CsvError } from 'csv-parse';
import { parse as parseCsv } from 'csv-parse/sync';
import { Grid, type GridRow, MAX_ROSTER_COLUMNS, ParseFailure } from './grid.js';

// The most a record may hold while it is read: more than the widest row of the longest cells allowed (50 × 1,000
// characters), so that only a cell far too long reaches it (the one being read then is named: it is that cell, or
// comes after it), and little enough that a 19 MB cell is never held.
const MAX_RECORD_BYTES = 64 * 1024;
// The header line is looked at for its separator; a header of 50 names of 100 characters is far shorter.
const SEPARATOR_SCAN = 64 * 1024;

/**
 * Reads UTF-8 text (with or without a byte order mark) separated by `,` or `;` (or tabs), as decided by the header
 * line, handing each non-blank row to `onRow` as it is read. The Grid checks each record's cells as soon as it is
 * read; a cell too long (or too many) stops the parse while it is being read.
 */
export function readCsv(data: Buffer, onRow: (row: GridRow) => void): void {
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
  const grid = new Grid(onRow);
  // The row a spreadsheet shows: blank lines count, line breaks inside a quoted cell do not. Once a record is read,
  // `records` counts it; while it is being read, only those before it.
  const lineOf = (info: { records: number; empty_lines: number }) => info.records + info.empty_lines;
  try {
    parseCsv(text, {
      delimiter: separatorOf(text),
      relax_column_count: true,
      relax_quotes: true,
      // Blank lines are skipped by the parser itself: a file of blank lines must cost nothing.
      skip_empty_lines: true,
      bom: true,
      // Past the 50th cell the separators are read as text, so that a line of 19 million separators is one cell too
      // many that grows until MAX_RECORD_BYTES stops it, not 19 million cells.
      ignore_last_delimiters: MAX_ROSTER_COLUMNS + 1,
      max_record_size: MAX_RECORD_BYTES,
      on_record: (record: string[], info) => {
        const line = lineOf(info);
        grid.add({ line, cells: record.map((cell, index) => grid.cell(line, index, cell)) });
        return null;
      },
    });
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    if (err.code === 'CSV_MAX_RECORD_SIZE') {
      const info = err as CsvError & { records: number; empty_lines: number; index: number };
      grid.refuseTooLong(lineOf(info) + 1, info.index);
    }
    throw new ParseFailure('malformed_csv', { line: typeof err.lines === 'number' ? err.lines : 0 });
  }
}

/** `,`, `;` or a tab: whichever occurs most in the first line outside quotes (`,` when none does). */
function separatorOf(text: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const char of text.slice(0, SEPARATOR_SCAN)) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best = ',';
  for (const [separator, count] of counts) if (count > (counts.get(best) ?? 0)) best = separator;
  return best;
}

// A small CSV writer for spreadsheet exports (csv-stringify is not a dependency, and we need only this much).
// Excel in an Indonesian locale splits on ';' (the decimal separator is ','), reads UTF-8 only after a byte order
// mark, and runs a cell that starts with '=', '+', '-' or '@' as a formula: every cell written here is safe to open.

import { finished } from 'node:stream/promises';
import { roomIn } from '../core/streams.js';

export const CSV_SEPARATOR = ';';
export const CSV_BOM = '\ufeff';
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
const LINE_END = '\r\n';

export type CsvValue = string | number | boolean | null | undefined;

// A formula trigger, also after leading spaces (some spreadsheets trim them) and in its full-width form.
const FORMULA_START = /^[\t\r]|^\s*[=+\-@\uff1d\uff0b\uff0d\uff20]/;
const NEEDS_QUOTES = /[";\r\n,]|^\s|\s$/;

/**
 * One cell: text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP "CSV injection"), and
 * a cell with the separator, a quote, a line break or edge spaces is quoted with its quotes doubled.
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One line, CRLF-terminated (RFC 4180). */
export const csvRow = (values: readonly CsvValue[]): string =>
  values.map(csvCell).join(CSV_SEPARATOR) + LINE_END;

/** A whole document: the byte order mark, then one line per row. */
export const toCsv = (rows: readonly (readonly CsvValue[])[]): string => CSV_BOM + rows.map(csvRow).join('');

/** Rows written to the stream in one go, between waits for the reader. */
const STREAM_BATCH = 500;

/**
 * A whole document streamed to `out` without holding its rows: the byte order mark and `header`, then the rows
 * (read once, so a generator will do) a batch at a time, each batch written once the reader has taken the last.
 * Ends `out` and resolves once it has finished; rejects if it closed first (the reader left), reading no further.
 */
export async function writeCsv(
  out: NodeJS.WritableStream,
  header: readonly CsvValue[],
  rows: Iterable<readonly CsvValue[]> | AsyncIterable<readonly CsvValue[]>,
): Promise<void> {
  out.write(CSV_BOM + csvRow(header));
  let chunk = '';
  let count = 0;
  for await (const row of rows) {
    chunk += csvRow(row);
    if (++count % STREAM_BATCH === 0) {
      out.write(chunk);
      chunk = '';
      await roomIn(out);
    }
  }
  out.end(chunk);
  await finished(out, { readable: false });
}

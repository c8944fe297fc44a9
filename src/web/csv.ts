// A small CSV writer for spreadsheet exports (csv-stringify is not a dependency, and we need only this much).
// Excel splits on its locale's list separator: ';' in an Indonesian locale (whose decimal separator is ','), ',' in an
// English one (decimal '.'), so a file is written for the language it is in. Excel reads UTF-8 only after a byte
// order mark, and runs a cell that starts with '=', '+', '-' or '@' as a formula: every cell written here is safe to
// open.

import { finished } from 'node:stream/promises';
import { roomIn } from '../core/streams.js';
import { DEFAULT_LANGUAGE, type Language } from './i18n.js';

/** The separator of a file in each language: the one a spreadsheet in that language's locale splits on. */
export const CSV_SEPARATORS: Readonly<Record<Language, string>> = { id: ';', en: ',' };
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

/**
 * One line in `language` (its separator; undefined, from a translator made by hand, counts as Indonesian),
 * CRLF-terminated (RFC 4180).
 */
export const csvRow = (values: readonly CsvValue[], language: Language | undefined): string =>
  values.map(csvCell).join(CSV_SEPARATORS[language ?? DEFAULT_LANGUAGE]) + LINE_END;

/** A whole document in `language`: the byte order mark, then one line per row. */
export const toCsv = (rows: readonly (readonly CsvValue[])[], language: Language | undefined): string =>
  CSV_BOM + rows.map((row) => csvRow(row, language)).join('');

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
  language: Language | undefined,
): Promise<void> {
  out.write(CSV_BOM + csvRow(header, language));
  let chunk = '';
  let count = 0;
  for await (const row of rows) {
    chunk += csvRow(row, language);
    if (++count % STREAM_BATCH === 0) {
      out.write(chunk);
      chunk = '';
      await roomIn(out);
    }
  }
  out.end(chunk);
  await finished(out, { readable: false });
}

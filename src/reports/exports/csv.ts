// The compliance report as CSV (byte order mark, ';', formula-safe: see ../../web/csv.ts).

import type { DetailRow } from '../../compliance/people-repository.js';
import { CSV_BOM, csvRow, writeCsv } from '../../web/csv.js';
import { defaultTranslator, type Translate } from '../../web/i18n.js';
import { DETAIL_COLUMNS, inOrder, type ReportExport, UNIT_COLUMNS } from './columns.js';

/** The per-unit table: unit code, unit name, kind, head, required, signed, percent, last signing (local time). */
export function reportCsv(report: ReportExport, t: Translate = defaultTranslator()): string {
  const columns = inOrder(UNIT_COLUMNS);
  return (
    CSV_BOM +
    csvRow(columns.map((column) => column.header(t))) +
    report.units.map((unit) => csvRow(columns.map((column) => column.csv(unit, t)))).join('')
  );
}

/**
 * Detail rows (one person each) streamed to `out` without holding them all: unit, name, NIP, position, email,
 * status (Sudah/Belum), signed at (local time), receipt code. Ends `out`; rejects if it closed first.
 */
export function writeDetailCsv(
  rows: Iterable<DetailRow>,
  out: NodeJS.WritableStream,
  t: Translate = defaultTranslator(),
): Promise<void> {
  const columns = inOrder(DETAIL_COLUMNS);
  function* lines() {
    for (const row of rows) yield columns.map((column) => column.csv(row, t));
  }
  return writeCsv(
    out,
    columns.map((column) => column.header(t)),
    lines(),
  );
}

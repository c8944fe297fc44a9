// The compliance report as CSV (byte order mark, the separator of its language, formula-safe: see ../../web/csv.ts).

import type { DetailRow } from '../../compliance/people-repository.js';
import type { TimeZone } from '../../core/time-zone.js';
import { CSV_BOM, csvRow, writeCsv } from '../../web/csv.js';
import type { Translate } from '../../web/i18n.js';
import { DETAIL_COLUMNS, exportContext, inOrder, type ReportExport, UNIT_COLUMNS } from './columns.js';

/** The per-unit table: unit code, unit name, kind, head, required, signed, percent, last signing (local time). */
export function reportCsv(report: ReportExport, t: Translate): string {
  const columns = inOrder(UNIT_COLUMNS);
  const cx = exportContext(t, report.zone);
  return (
    CSV_BOM +
    csvRow(
      columns.map((column) => column.header(cx)),
      t.language,
    ) +
    report.units
      .map((unit) =>
        csvRow(
          columns.map((column) => column.csv(unit, cx)),
          t.language,
        ),
      )
      .join('')
  );
}

/**
 * Detail rows (one person each) streamed to `out` without holding them all: unit, name, NIP, position, email,
 * status (Sudah/Belum), signed at (on the clocks of `zone`), receipt code. Ends `out`; rejects if it closed first.
 */
export function writeDetailCsv(
  rows: AsyncIterable<DetailRow>,
  out: NodeJS.WritableStream,
  zone: TimeZone,
  t: Translate,
): Promise<void> {
  const columns = inOrder(DETAIL_COLUMNS);
  const cx = exportContext(t, zone);
  async function* lines() {
    for await (const row of rows) yield columns.map((column) => column.csv(row, cx));
  }
  return writeCsv(
    out,
    columns.map((column) => column.header(cx)),
    lines(),
    t.language,
  );
}

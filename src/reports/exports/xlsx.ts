// The compliance report as XLSX, through exceljs's streaming WorkbookWriter: rows are committed as they are written,
// so 50,000 detail rows never sit in memory at once.

import type { Stream } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import type { DetailRow } from '../../compliance/people-repository.js';
import { roomIn } from '../../core/streams.js';
import type { Translate } from '../../web/i18n.js';
import {
  DETAIL_COLUMNS,
  type ExportColumn,
  type ExportContext,
  exportContext,
  inOrder,
  PERCENT_FORMAT,
  type ReportExport,
  UNIT_COLUMNS,
} from './columns.js';

/**
 * A whole report's XLSX lists people on its "Rincian" sheet up to this many (a province's ~50,000 fit easily).
 * exceljs queues sheet XML ahead of its zip compressor (about 400 bytes a row that only the HTTP response's
 * backpressure holds back), and Excel stops at 1,048,576 rows a sheet anyway: beyond it the sheet says to download
 * unit by unit (a unit's drill-down always lists its people), rather than growing memory without bound.
 */
export const XLSX_DETAIL_LIMIT = 200_000;
/**
 * Detail rows written between two pauses. exceljs hands a sheet's XML to its zip without backpressure, and the zip
 * takes about one 16 KB chunk each turn of the event loop: 500 rows (200 KB of XML) a turn queued the whole sheet,
 * 20 MB for 50,000 people, which the worker then kept; 50 rows a turn keep under 2 MB, at the same speed.
 */
const BATCH = 50;
const BOLD = { bold: true } as const;

type Sheet = ExcelJS.Worksheet;

/** Sets a cell by its column number: numbers stay numbers, strings stay strings (exceljs never writes a formula from a string). */
function setCell(row: ExcelJS.Row, column: number, value: ExcelJS.CellValue, numFmt?: string): ExcelJS.Cell {
  const cell = row.getCell(column);
  cell.value = value;
  if (numFmt) cell.numFmt = numFmt;
  return cell;
}

/** The column widths of a table: set before the sheet's first row. */
function setWidths<T>(sheet: Sheet, columns: readonly ExportColumn<T>[]): void {
  sheet.columns = columns.map((column) => ({ width: column.xlsx.width }));
}

/** The bold header row of a table. */
function writeHeader<T>(sheet: Sheet, columns: readonly ExportColumn<T>[], cx: ExportContext): void {
  const row = sheet.addRow(columns.map((column) => column.header(cx)));
  row.eachCell((cell) => {
    cell.font = BOLD;
  });
  row.commit();
}

function writeRow<T>(sheet: Sheet, columns: readonly ExportColumn<T>[], item: T, cx: ExportContext): void {
  const row = sheet.addRow([]);
  for (const [i, column] of columns.entries()) {
    setCell(row, i + 1, column.xlsx.value(item, cx), column.xlsx.numFmt);
  }
  row.commit();
}

/** "Ringkasan": a title block (instance, pact title and version, printed date, totals), then the unit table. */
function writeSummarySheet(workbook: ExcelJS.Workbook, report: ReportExport, cx: ExportContext): void {
  const { instance, pact, summary } = report;
  const { t } = cx;
  // Title block (rows 1–8), then the table header on row 9, frozen with everything above it.
  const headerRow = 9;
  const sheet = workbook.addWorksheet(t('compliance.export.sheet.summary'), {
    views: [{ state: 'frozen', ySplit: headerRow }],
  });
  const columns = inOrder(UNIT_COLUMNS);
  setWidths(sheet, columns);

  const title = sheet.addRow([instance.name]);
  title.getCell(1).font = { bold: true, size: 14 };
  title.commit();
  const pactRow = sheet.addRow([
    t('compliance.export.pact_version', { title: pact.title, version: pact.version }),
  ]);
  pactRow.getCell(1).font = BOLD;
  pactRow.commit();
  sheet.addRow([t('compliance.export.printed', { at: cx.fmt.formatDateTime(report.generatedAt) })]).commit();
  const totals: [string, ExcelJS.CellValue, string?][] = [
    [UNIT_COLUMNS.required.header(cx), summary.required],
    [UNIT_COLUMNS.signed.header(cx), summary.signed],
    [UNIT_COLUMNS.unsigned.header(cx), summary.unsigned],
    [
      UNIT_COLUMNS.percent.header(cx),
      summary.percent === null ? null : summary.percent / 100,
      PERCENT_FORMAT,
    ],
  ];
  for (const [label, value, numFmt] of totals) {
    const row = sheet.addRow([label]);
    row.getCell(1).font = BOLD;
    setCell(row, 2, value, numFmt).alignment = { horizontal: 'left' };
    row.commit();
  }
  sheet.addRow([]).commit();

  writeHeader(sheet, columns, cx);
  for (const unit of report.units) writeRow(sheet, columns, unit, cx);
  // Finish this sheet's zip entry before the next sheet starts, or the detail rows would queue up behind it.
  sheet.commit();
}

/** "Rincian": one row per person, frozen header. */
async function writeDetailSheet(
  workbook: ExcelJS.Workbook,
  detail: AsyncIterable<DetailRow>,
  out: NodeJS.WritableStream,
  cx: ExportContext,
): Promise<void> {
  const sheet = workbook.addWorksheet(cx.t('compliance.export.sheet.detail'), {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  const columns = inOrder(DETAIL_COLUMNS);
  setWidths(sheet, columns);
  writeHeader(sheet, columns, cx);
  let count = 0;
  for await (const person of detail) {
    writeRow(sheet, columns, person, cx);
    if (++count % BATCH === 0) {
      // Let the zip compress what is written so far, and wait while the client is slower than we are.
      await nextTurn();
      await roomIn(out);
    }
  }
  sheet.commit();
}

/** The "Rincian" sheet of a report with more people than XLSX_DETAIL_LIMIT: one line saying where to find them. */
function writeDetailTooLarge(workbook: ExcelJS.Workbook, people: number, { t, fmt }: ExportContext): void {
  const sheet = workbook.addWorksheet(t('compliance.export.sheet.detail'));
  sheet.columns = [{ width: 120 }];
  sheet
    .addRow([
      t('compliance.export.detail_too_large', {
        people: fmt.formatNumber(people),
        limit: fmt.formatNumber(XLSX_DETAIL_LIMIT),
      }),
    ])
    .commit();
  sheet.commit();
}

/**
 * The report as XLSX to `out`: sheet "Ringkasan" (title block, then the unit table: bold frozen header, widths,
 * numbers as numbers, percent as a number formatted 0.0%, times as Excel dates) and sheet "Rincian" (the people).
 * Ends `out` and resolves once it has finished; rejects if it closed first.
 */
export async function writeReportXlsx(
  report: ReportExport,
  detail: AsyncIterable<DetailRow>,
  out: NodeJS.WritableStream,
  t: Translate,
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out as unknown as Stream,
    useStyles: true,
    // Inline strings: a shared-string table would keep every distinct name and email in memory until the end.
    useSharedStrings: false,
  });
  workbook.creator = 'Ikrar';
  workbook.created = report.generatedAt;
  const cx = exportContext(t, report.zone);
  writeSummarySheet(workbook, report, cx);
  const people = report.units.reduce((sum, unit) => sum + unit.required, 0);
  if (people <= XLSX_DETAIL_LIMIT) await writeDetailSheet(workbook, detail, out, cx);
  else writeDetailTooLarge(workbook, people, cx);
  // Resolves once `out` has finished (the zip ends it).
  await workbook.commit();
}

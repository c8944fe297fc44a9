// The compliance report as files an admin downloads: the per-unit table as CSV, XLSX and a printable PDF, and the
// person-by-person detail as CSV and XLSX (and, for one unit, as a printable PDF). Every number comes from the same UnitCompliance values the screen shows;
// every time is read in Asia/Jakarta (WIB, UTC+7 all year: Indonesia has no daylight saving time).
//
// Each writer ends `out` and resolves once it has finished (it rejects if `out` closes first, e.g. the client left).

import type { Stream, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import type { DetailRow } from '../compliance/people-repository.js';
import type { PactCompliance, UnitCompliance } from '../compliance/summary.js';
import { formatNip } from '../directory/nip.js';
import { formatReceiptCode } from '../pledges/receipt-code.js';
import { winAnsi } from '../pledges/receipts/receipt-pdf.js';
import type { Pact } from '../pledges/types.js';
import type { InstanceSettings } from '../settings/instance.js';
import { CSV_BOM, type CsvValue, csvRow } from '../web/csv.js';
import { formatDate, formatDateTime, formatNumber, formatPercent } from '../web/format.js';
import { type Catalogue, loadCatalogue } from '../web/i18n.js';

export interface ReportExport {
  instance: InstanceSettings;
  pact: Pick<Pact, 'id' | 'title' | 'version' | 'audience' | 'deadline'>;
  summary: Pick<PactCompliance, 'required' | 'signed' | 'percent'>;
  /** The per-unit rows exactly as shown on screen (already filtered and sorted). */
  units: readonly UnitCompliance[];
  generatedAt: Date;
}

const UNIT_HEADERS = [
  'Kode unit',
  'Unit kerja',
  'Jenis',
  'Kepala',
  'Wajib',
  'Sudah',
  'Persentase',
  'Penandatanganan terakhir',
] as const;

const DETAIL_HEADERS = [
  'Unit kerja',
  'Nama',
  'NIP',
  'Jabatan',
  'Email',
  'Status',
  'Waktu tanda tangan (WIB)',
  'Kode tanda terima',
] as const;

const JAKARTA_OFFSET_MS = 7 * 3_600_000;
/** Detail rows are written (CSV) or given a pause (XLSX) this many at a time. */
const BATCH = 500;
/**
 * A whole report's XLSX lists people on its "Rincian" sheet up to this many (a province's ~50,000 fit easily).
 * exceljs queues sheet XML ahead of its zip compressor (about 400 bytes a row that only the HTTP response's
 * backpressure holds back), and Excel stops at 1,048,576 rows a sheet anyway: beyond it the sheet says to download
 * unit by unit (a unit's drill-down always lists its people), rather than growing memory without bound.
 */
export const XLSX_DETAIL_LIMIT = 200_000;

// ---------------------------------------------------------------------------------------------------------
// Shared helpers

let catalogue: Catalogue | undefined;
/** 'kabupaten' → 'Kabupaten', as the screen names a unit kind (`unit.kind.<kind>`); an unknown kind as stored. */
function kindLabel(kind: string): string {
  catalogue ??= loadCatalogue('id');
  return catalogue[`unit.kind.${kind}`] ?? kind;
}

/** A UTC instant as 'YYYY-MM-DD HH:MM:SS' in WIB: text that spreadsheets read as a date and time. */
const jakartaStamp = (iso: string): string =>
  new Date(Date.parse(iso) + JAKARTA_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');

/**
 * Excel has no time zones: a date cell holds a wall-clock time and shows it as it is wherever the file is opened.
 * So the cell stores the WIB wall-clock time (the UTC instant shifted by +7 h), which exceljs writes as if UTC.
 */
const excelWib = (iso: string): Date => new Date(Date.parse(iso) + JAKARTA_OFFSET_MS);

/** The CSV percent as Indonesian Excel reads a number (decimal comma): 66.6 → '66,6'; none required → empty. */
const csvPercent = (percent: number | null): string =>
  percent === null ? '' : String(percent).replace('.', ',');

const detailStatus = (row: DetailRow): string => (row.signedAt === null ? 'Belum' : 'Sudah');

/** Resolves when `out` can take more (at once unless a write returned false); rejects if it has closed. */
async function roomIn(out: NodeJS.WritableStream): Promise<void> {
  const stream = out as Partial<Writable> & NodeJS.WritableStream;
  if (stream.writableNeedDrain && !stream.destroyed) {
    await new Promise<void>((resolve) => {
      const done = () => {
        out.removeListener('drain', done);
        out.removeListener('close', done);
        resolve();
      };
      out.on('drain', done);
      out.on('close', done);
    });
  }
  if (stream.destroyed) throw new Error('report export: the output closed before the end');
}

// ---------------------------------------------------------------------------------------------------------
// CSV

const unitCells = (unit: UnitCompliance): CsvValue[] => [
  unit.code,
  unit.name,
  kindLabel(unit.kind),
  unit.headName,
  unit.required,
  unit.signed,
  csvPercent(unit.percent),
  unit.lastSignedAt === null ? null : jakartaStamp(unit.lastSignedAt),
];

/** The per-unit table as CSV (BOM, `;`, formula-safe): unit code, unit name, kind, head, required, signed, percent, last signing (WIB). */
export function reportCsv(report: ReportExport): string {
  return CSV_BOM + csvRow(UNIT_HEADERS) + report.units.map((unit) => csvRow(unitCells(unit))).join('');
}

/** Detail rows (one person each) streamed as CSV to `out` without holding them all: unit, name, NIP, position, email, status (Sudah/Belum), signed at (WIB), receipt code. */
export async function writeDetailCsv(rows: Iterable<DetailRow>, out: NodeJS.WritableStream): Promise<void> {
  out.write(CSV_BOM + csvRow(DETAIL_HEADERS));
  let chunk = '';
  let count = 0;
  for (const row of rows) {
    chunk += csvRow([
      row.unitName,
      row.fullName,
      // Grouped ('19860926 201505 1 001'): Excel would read 18 bare digits as a number and round the last three.
      row.nip === null ? null : formatNip(row.nip),
      row.position,
      row.email,
      detailStatus(row),
      row.signedAt === null ? null : jakartaStamp(row.signedAt),
      row.receiptCode === null ? null : formatReceiptCode(row.receiptCode),
    ]);
    if (++count % BATCH === 0) {
      out.write(chunk);
      chunk = '';
      await roomIn(out);
    }
  }
  out.end(chunk);
  await finished(out, { readable: false });
}

// ---------------------------------------------------------------------------------------------------------
// XLSX

const BOLD = { bold: true } as const;
const PERCENT_FORMAT = '0.0%';
const DATE_TIME_FORMAT = 'dd/mm/yyyy hh:mm';

/** Column widths (characters) of the unit table and of the detail sheet, in header order. */
const UNIT_WIDTHS = [14, 40, 14, 28, 10, 10, 12, 24];
const DETAIL_WIDTHS = [36, 30, 22, 30, 30, 10, 24, 22];

type Sheet = ExcelJS.Worksheet;

/** Sets a cell by its column number: numbers stay numbers, strings stay strings (exceljs never writes a formula from a string). */
function setCell(row: ExcelJS.Row, column: number, value: ExcelJS.CellValue, numFmt?: string): ExcelJS.Cell {
  const cell = row.getCell(column);
  cell.value = value;
  if (numFmt) cell.numFmt = numFmt;
  return cell;
}

function writeHeader(sheet: Sheet, headers: readonly string[]): void {
  const row = sheet.addRow([...headers]);
  row.eachCell((cell) => {
    cell.font = BOLD;
  });
  row.commit();
}

function writeSummarySheet(workbook: ExcelJS.Workbook, report: ReportExport): void {
  const { instance, pact, summary } = report;
  // Title block (rows 1–7), then the table header on row 8, frozen with everything above it.
  const headerRow = 8;
  const sheet = workbook.addWorksheet('Ringkasan', { views: [{ state: 'frozen', ySplit: headerRow }] });
  sheet.columns = UNIT_WIDTHS.map((width) => ({ width }));

  const title = sheet.addRow([instance.name]);
  title.getCell(1).font = { bold: true, size: 14 };
  title.commit();
  const pactRow = sheet.addRow([`${pact.title} (versi ${pact.version})`]);
  pactRow.getCell(1).font = BOLD;
  pactRow.commit();
  sheet.addRow([`Dicetak ${formatDateTime(report.generatedAt)}`]).commit();
  const totals: [string, ExcelJS.CellValue, string?][] = [
    ['Wajib', summary.required],
    ['Sudah', summary.signed],
    ['Persentase', summary.percent === null ? null : summary.percent / 100, PERCENT_FORMAT],
  ];
  for (const [label, value, numFmt] of totals) {
    const row = sheet.addRow([label]);
    row.getCell(1).font = BOLD;
    setCell(row, 2, value, numFmt).alignment = { horizontal: 'left' };
    row.commit();
  }
  sheet.addRow([]).commit();

  writeHeader(sheet, UNIT_HEADERS);
  for (const unit of report.units) {
    const row = sheet.addRow([unit.code, unit.name, kindLabel(unit.kind), unit.headName ?? '']);
    setCell(row, 5, unit.required);
    setCell(row, 6, unit.signed);
    setCell(row, 7, unit.percent === null ? null : unit.percent / 100, PERCENT_FORMAT);
    setCell(row, 8, unit.lastSignedAt === null ? null : excelWib(unit.lastSignedAt), DATE_TIME_FORMAT);
    row.commit();
  }
  // Finish this sheet's zip entry before the next sheet starts, or the detail rows would queue up behind it.
  sheet.commit();
}

async function writeDetailSheet(
  workbook: ExcelJS.Workbook,
  detail: Iterable<DetailRow>,
  out: NodeJS.WritableStream,
): Promise<void> {
  const sheet = workbook.addWorksheet('Rincian', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = DETAIL_WIDTHS.map((width) => ({ width }));
  writeHeader(sheet, DETAIL_HEADERS);
  let count = 0;
  for (const person of detail) {
    // The NIP is a text cell with its 18 digits as stored (a number cell would round them).
    const row = sheet.addRow([
      person.unitName,
      person.fullName,
      person.nip ?? '',
      person.position,
      person.email ?? '',
      detailStatus(person),
    ]);
    setCell(row, 7, person.signedAt === null ? null : excelWib(person.signedAt), DATE_TIME_FORMAT);
    setCell(row, 8, person.receiptCode === null ? null : formatReceiptCode(person.receiptCode));
    row.commit();
    if (++count % BATCH === 0) {
      // Let the zip compress what is written so far, and wait while the client is slower than we are.
      await nextTurn();
      await roomIn(out);
    }
  }
  sheet.commit();
}

/** The "Rincian" sheet of a report with more people than XLSX_DETAIL_LIMIT: one line saying where to find them. */
function writeDetailTooLarge(workbook: ExcelJS.Workbook, people: number): void {
  const sheet = workbook.addWorksheet('Rincian');
  sheet.columns = [{ width: 120 }];
  sheet
    .addRow([
      `Rincian ${formatNumber(people)} orang terlalu besar untuk satu berkas (batas ${formatNumber(XLSX_DETAIL_LIMIT)}). ` +
        'Unduh rincian per unit dari halaman unit di laporan kepatuhan.',
    ])
    .commit();
  sheet.commit();
}

/** XLSX via exceljs's streaming WorkbookWriter: sheet "Ringkasan" (a title block: instance, pact title + version, printed date, totals; then the unit table with a bold frozen header row, column widths, numbers as numbers, percent as a number formatted 0.0%, dates as real Excel dates) and sheet "Rincian" (the detail rows, frozen header, widths, signed-at as a date). Commits rows as it goes so 50,000 detail rows never sit in memory at once. */
export async function writeReportXlsx(
  report: ReportExport,
  detail: Iterable<DetailRow>,
  out: NodeJS.WritableStream,
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out as unknown as Stream,
    useStyles: true,
    // Inline strings: a shared-string table would keep every distinct name and email in memory until the end.
    useSharedStrings: false,
  });
  workbook.creator = 'Ikrar';
  workbook.created = report.generatedAt;
  writeSummarySheet(workbook, report);
  const people = report.units.reduce((sum, unit) => sum + unit.required, 0);
  if (people <= XLSX_DETAIL_LIMIT) await writeDetailSheet(workbook, detail, out);
  else writeDetailTooLarge(workbook, people);
  // Resolves once `out` has finished (the zip ends it).
  await workbook.commit();
}

// ---------------------------------------------------------------------------------------------------------
// PDF

type Pdf = PDFKit.PDFDocument;

const MARGIN = 40;
const FOOTER_SPACE = 24;
const TABLE_SIZE = 8;
const CELL_PAD = 3;
const GREY = '#555555';
const FONT = 'Helvetica';
const FONT_BOLD = 'Helvetica-Bold';

/** One column of a PDF table: its header, width (pt), alignment and the text of a row's cell. */
interface PdfColumn<T> {
  header: string;
  width: number;
  align: 'left' | 'right';
  /** `index` counts the rows of the table from 0. */
  text: (row: T, index: number) => string;
}

/** A compact WIB time for the table: '21/11/2023 10.15 WIB'. */
const tableTime = (iso: string): string => {
  const wib = new Date(Date.parse(iso) + JAKARTA_OFFSET_MS).toISOString();
  return `${wib.slice(8, 10)}/${wib.slice(5, 7)}/${wib.slice(0, 4)} ${wib.slice(11, 13)}.${wib.slice(14, 16)} WIB`;
};

/** As on screen: grouped numbers, '66,6%', and '—' where nothing is required. */
const screenPercent = (percent: number | null): string =>
  percent === null ? '—' : formatPercent(percent / 100);

// Widths of each table add up to the A4 content width (595 − 2 × 40 = 515 pt).
const UNIT_COLUMNS: readonly PdfColumn<UnitCompliance>[] = [
  { header: UNIT_HEADERS[0], width: 52, align: 'left', text: (u) => u.code },
  { header: UNIT_HEADERS[1], width: 120, align: 'left', text: (u) => u.name },
  { header: UNIT_HEADERS[2], width: 48, align: 'left', text: (u) => kindLabel(u.kind) },
  { header: UNIT_HEADERS[3], width: 87, align: 'left', text: (u) => u.headName ?? '' },
  { header: UNIT_HEADERS[4], width: 36, align: 'right', text: (u) => formatNumber(u.required) },
  { header: UNIT_HEADERS[5], width: 36, align: 'right', text: (u) => formatNumber(u.signed) },
  { header: UNIT_HEADERS[6], width: 50, align: 'right', text: (u) => screenPercent(u.percent) },
  {
    header: UNIT_HEADERS[7],
    width: 86,
    align: 'left',
    text: (u) => (u.lastSignedAt === null ? '' : tableTime(u.lastSignedAt)),
  },
];

// The people of a unit. Numbers up to '9.999', the NIP ('19860926 201505 1 001'), the time and the receipt code
// fit on one line; names, positions and emails wrap.
const NUMBER_COLUMN: PdfColumn<DetailRow> = {
  header: 'No.',
  width: 30,
  align: 'right',
  text: (_, index) => formatNumber(index + 1),
};
const nameColumn = (width: number): PdfColumn<DetailRow> => ({
  header: DETAIL_HEADERS[1],
  width,
  align: 'left',
  text: (p) => p.fullName,
});
const NIP_COLUMN: PdfColumn<DetailRow> = {
  header: DETAIL_HEADERS[2],
  width: 94,
  align: 'left',
  text: (p) => (p.nip === null ? '' : formatNip(p.nip)),
};
const positionColumn = (width: number): PdfColumn<DetailRow> => ({
  header: DETAIL_HEADERS[3],
  width,
  align: 'left',
  text: (p) => p.position,
});

const OUTSTANDING_COLUMNS: readonly PdfColumn<DetailRow>[] = [
  NUMBER_COLUMN,
  nameColumn(131),
  NIP_COLUMN,
  positionColumn(125),
  { header: DETAIL_HEADERS[4], width: 135, align: 'left', text: (p) => p.email ?? '' },
];

const SIGNED_COLUMNS: readonly PdfColumn<DetailRow>[] = [
  NUMBER_COLUMN,
  nameColumn(108),
  NIP_COLUMN,
  positionColumn(84),
  {
    header: DETAIL_HEADERS[6],
    width: 86,
    align: 'left',
    text: (p) => (p.signedAt === null ? '' : tableTime(p.signedAt)),
  },
  {
    header: DETAIL_HEADERS[7],
    width: 113,
    align: 'left',
    text: (p) => (p.receiptCode === null ? '' : formatReceiptCode(p.receiptCode)),
  },
];

/**
 * An A4 report being written to `out`. pdfkit keeps the pages in memory until end() (`bufferPages`) so that
 * "Halaman N dari M" can be written last: the whole document is held once, a few MB for some thousand rows.
 * `done` settles once `out` has finished, or rejects if it closed first.
 */
function openPdf(
  title: string,
  instance: InstanceSettings,
  out: NodeJS.WritableStream,
): { pdf: Pdf; done: Promise<void> } {
  const pdf = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER_SPACE },
    // Uncompressed like the receipts, so the words can be read back.
    compress: false,
    bufferPages: true,
    info: { Title: winAnsi(title), Author: winAnsi(instance.name), Creator: 'Ikrar' },
  });
  const done = new Promise<void>((resolve, reject) => {
    pdf.on('error', reject);
    finished(out, { readable: false }).then(resolve, reject);
  });
  // Drawing may wait between rows; a reader leaving meanwhile is reported when `done` is awaited, not unhandled.
  done.catch(() => undefined);
  pdf.pipe(out as unknown as Writable);
  return { pdf, done };
}

/** Between batches of table rows: lets other requests run, and stops if the reader has gone. */
const breather = (out: NodeJS.WritableStream) => async (): Promise<void> => {
  await nextTurn();
  await roomIn(out);
};

/** A printable A4 PDF: letterhead (instance name, address, contact), pact title and version, "Dicetak <date> pukul <time> WIB", totals (signed/required, percent), the unit table (repeat the header on each page), page numbers "Halaman N dari M" in the footer. */
export async function writeReportPdf(report: ReportExport, out: NodeJS.WritableStream): Promise<void> {
  const { pdf, done } = openPdf(`Laporan kepatuhan: ${report.pact.title}`, report.instance, out);
  drawLetterhead(pdf, report.instance);
  drawHeading(pdf, report);
  await drawTable(pdf, UNIT_COLUMNS, report.units, {
    empty: 'Tidak ada unit kerja yang sesuai.',
    pause: breather(out),
  });
  drawPageNumbers(pdf);
  pdf.end();
  await done;
}

/**
 * One unit's people as a printable A4 PDF (the drill-down): the same letterhead, heading and page numbers as
 * writeReportPdf, the unit's totals row (`report.units`), then "Belum menandatangani (N)" (No., name, NIP,
 * position, email) and "Sudah menandatangani (N)" (No., name, NIP, position, signed at in WIB, receipt code),
 * each table with its header repeated on every page. `people` are the unit's DetailRows (signedAt null: not yet
 * signed, a voided signature included); they are read once and split in two, since each heading shows its count
 * before its rows: the people of one unit, held alongside the buffered pages that hold them too.
 */
export async function writeUnitPeoplePdf(
  report: ReportExport,
  people: Iterable<DetailRow>,
  out: NodeJS.WritableStream,
): Promise<void> {
  const outstanding: DetailRow[] = [];
  const signed: DetailRow[] = [];
  for (const person of people) (person.signedAt === null ? outstanding : signed).push(person);
  const unitName = report.units.length === 1 ? report.units[0]?.name : undefined;
  const title = `Laporan kepatuhan${unitName ? ` ${unitName}` : ''}: ${report.pact.title}`;
  const { pdf, done } = openPdf(title, report.instance, out);
  const pause = breather(out);

  drawLetterhead(pdf, report.instance);
  drawHeading(pdf, report);
  await drawTable(pdf, UNIT_COLUMNS, report.units, { empty: 'Tidak ada unit kerja yang sesuai.', pause });
  pdf.y += 14;
  await drawTable(pdf, OUTSTANDING_COLUMNS, outstanding, {
    title: `Belum menandatangani (${formatNumber(outstanding.length)})`,
    empty: 'Semua yang wajib sudah menandatangani.',
    pause,
  });
  pdf.y += 14;
  await drawTable(pdf, SIGNED_COLUMNS, signed, {
    title: `Sudah menandatangani (${formatNumber(signed.length)})`,
    empty: 'Belum ada yang menandatangani.',
    pause,
  });
  drawPageNumbers(pdf);
  pdf.end();
  await done;
}

const contentWidth = (pdf: Pdf): number => pdf.page.width - pdf.page.margins.left - pdf.page.margins.right;

function centred(pdf: Pdf, text: string, font: string, size: number, gap = 2): void {
  pdf.font(font).fontSize(size);
  pdf.text(winAnsi(text), MARGIN, pdf.y + gap, { width: contentWidth(pdf), align: 'center' });
}

function drawLetterhead(pdf: Pdf, instance: InstanceSettings): void {
  pdf.fillColor('black');
  centred(pdf, instance.name.toUpperCase(), FONT_BOLD, 14, 0);
  if (instance.address.trim() !== '') centred(pdf, instance.address, FONT, 9.5);
  const contact = [
    instance.phone.trim() && `Telp. ${instance.phone.trim()}`,
    instance.email.trim() && `Email ${instance.email.trim()}`,
  ].filter(Boolean);
  if (contact.length > 0) centred(pdf, contact.join(' · '), FONT, 9.5);
  const y = pdf.y + 6;
  const right = MARGIN + contentWidth(pdf);
  pdf.save().lineWidth(1.5).moveTo(MARGIN, y).lineTo(right, y).stroke();
  pdf
    .lineWidth(0.5)
    .moveTo(MARGIN, y + 2.5)
    .lineTo(right, y + 2.5)
    .stroke()
    .restore();
  pdf.y = y + 14;
}

function drawHeading(pdf: Pdf, report: ReportExport): void {
  const { pact, summary } = report;
  centred(pdf, 'LAPORAN KEPATUHAN PENANDATANGANAN PAKTA INTEGRITAS', FONT_BOLD, 12, 0);
  centred(pdf, pact.title, FONT_BOLD, 11);
  pdf.fillColor(GREY);
  centred(pdf, `Versi ${pact.version} · Dicetak ${formatDateTime(report.generatedAt)}`, FONT, 9);
  pdf.fillColor('black');
  pdf.y += 10;
  const lines = [
    `Sasaran: ${pact.audience === 'heads' ? 'kepala unit kerja' : 'seluruh ASN'}`,
    `Batas waktu: ${formatDate(pact.deadline)}`,
    `Sudah menandatangani: ${formatNumber(summary.signed)} dari ${formatNumber(summary.required)} (${screenPercent(summary.percent)})`,
  ];
  pdf.font(FONT).fontSize(10);
  for (const line of lines) pdf.text(winAnsi(line), MARGIN, pdf.y, { width: contentWidth(pdf) });
  pdf.y += 10;
}

/** The widths and alignment of a table's columns: all drawRow needs of them. */
type ColumnBox = Pick<PdfColumn<never>, 'width' | 'align'>;

/** The height of one table row: the tallest of its (wrapped) cells. */
function rowHeight(pdf: Pdf, columns: readonly ColumnBox[], cells: readonly string[], font: string): number {
  pdf.font(font).fontSize(TABLE_SIZE);
  const heights = cells.map((text, i) =>
    pdf.heightOfString(text, { width: (columns[i]?.width ?? 0) - 2 * CELL_PAD }),
  );
  return Math.max(...heights) + 2 * CELL_PAD;
}

function drawRow(
  pdf: Pdf,
  columns: readonly ColumnBox[],
  cells: readonly string[],
  font: string,
  shade: string | null,
): void {
  const height = rowHeight(pdf, columns, cells, font);
  const top = pdf.y;
  const width = contentWidth(pdf);
  if (shade) pdf.save().rect(MARGIN, top, width, height).fill(shade).restore();
  pdf.font(font).fontSize(TABLE_SIZE).fillColor('black');
  let x = MARGIN;
  for (const [i, column] of columns.entries()) {
    pdf.text(cells[i] ?? '', x + CELL_PAD, top + CELL_PAD, {
      width: column.width - 2 * CELL_PAD,
      align: column.align,
    });
    x += column.width;
  }
  pdf
    .save()
    .lineWidth(0.3)
    .strokeColor('#999999')
    .moveTo(MARGIN, top + height)
    .lineTo(MARGIN + width, top + height)
    .stroke()
    .restore();
  pdf.x = MARGIN;
  pdf.y = top + height;
}

/**
 * A table from `columns`, one row per item of `rows` (WinAnsi text), its header repeated at the top of every page
 * it continues on; `empty` when there are no rows. A `title` (bold, above the header) is kept on the same page as
 * the header and the first row. Every BATCH rows it awaits `pause`.
 */
async function drawTable<T>(
  pdf: Pdf,
  columns: readonly PdfColumn<T>[],
  rows: Iterable<T>,
  options: { empty: string; title?: string; pause?: () => Promise<void> },
): Promise<void> {
  const header = columns.map((column) => winAnsi(column.header));
  const headerHeight = rowHeight(pdf, columns, header, FONT_BOLD);
  const fits = (height: number) => pdf.y + height <= pdf.page.maxY();
  const startPage = () => {
    pdf.addPage();
    drawRow(pdf, columns, header, FONT_BOLD, '#e6e6e6');
  };
  const title = options.title === undefined ? '' : winAnsi(options.title);
  pdf.font(FONT_BOLD).fontSize(10);
  const titleHeight = title === '' ? 0 : pdf.heightOfString(title, { width: contentWidth(pdf) }) + 4;
  if (!fits(titleHeight + headerHeight + 2 * TABLE_SIZE)) pdf.addPage();
  if (title !== '') {
    pdf.fillColor('black').text(title, MARGIN, pdf.y, { width: contentWidth(pdf) });
    pdf.y += 4;
  }
  drawRow(pdf, columns, header, FONT_BOLD, '#e6e6e6');
  let index = 0;
  for (const row of rows) {
    const cells = columns.map((column) => winAnsi(column.text(row, index)));
    if (!fits(rowHeight(pdf, columns, cells, FONT))) startPage();
    drawRow(pdf, columns, cells, FONT, null);
    if (++index % BATCH === 0) await options.pause?.();
  }
  if (index === 0) {
    pdf.font(FONT).fontSize(TABLE_SIZE);
    pdf.text(winAnsi(options.empty), MARGIN + CELL_PAD, pdf.y + CELL_PAD);
    pdf.x = MARGIN;
  }
}

function drawPageNumbers(pdf: Pdf): void {
  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    // Writing below maxY() would start a new page; lift the bottom margin while writing the footer.
    const bottom = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0;
    pdf.font(FONT).fontSize(8).fillColor(GREY);
    pdf.text(`Halaman ${i - range.start + 1} dari ${range.count}`, MARGIN, pdf.page.height - MARGIN - 8, {
      width: contentWidth(pdf),
      align: 'center',
      lineBreak: false,
    });
    pdf.page.margins.bottom = bottom;
  }
  pdf.fillColor('black');
}

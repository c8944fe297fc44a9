// The compliance report as a printable A4 PDF, drawn with the house kit (src/pdf/): the whole report's unit table,
// or one unit's totals and its people.

import { setImmediate as nextTurn } from 'node:timers/promises';
import type { DetailRow } from '../../compliance/people-repository.js';
import { roomIn } from '../../core/streams.js';
import {
  drawHeading,
  drawLetterhead,
  drawLines,
  numberPages,
  openPdf,
  type Pdf,
  pdfInto,
} from '../../pdf/document.js';
import { drawTable, type PdfColumn } from '../../pdf/table.js';
import { letterheadOf } from '../../settings/instance.js';
import { createFormatter, formatNumber } from '../../web/format.js';
import { defaultTranslator, type Translate } from '../../web/i18n.js';
import {
  DETAIL_COLUMNS,
  type ExportColumn,
  type ExportContext,
  type ReportExport,
  screenPercent,
  UNIT_COLUMNS,
} from './columns.js';

const MARGIN = 40;
/** Room under the text for the page numbers. */
const FOOTER_SPACE = 24;

/** The PDF columns of a table: the given columns in this order, each with its width (pt). */
function pdfColumns<T, K extends string>(
  table: Record<K, ExportColumn<T>>,
  layout: readonly (readonly [K, number])[],
  cx: ExportContext,
): PdfColumn<T>[] {
  return layout.map(([key, width]) => {
    const column = table[key];
    return {
      header: column.header(cx),
      width,
      align: column.pdf.align,
      text: (row) => column.pdf.text(row, cx),
    };
  });
}

// Widths of each table add up to the A4 text column (595 − 2 × 40 = 515 pt).
const unitColumns = (cx: ExportContext) =>
  pdfColumns(
    UNIT_COLUMNS,
    [
      ['code', 52],
      ['name', 120],
      ['kind', 48],
      ['head', 87],
      ['required', 36],
      ['signed', 36],
      ['percent', 50],
      ['lastSigned', 86],
    ],
    cx,
  );

// The people of a unit. Numbers up to '9.999', the NIP ('19860926 201505 1 001'), the time and the receipt code
// fit on one line; names, positions and emails wrap.
const numbered = (t: Translate): PdfColumn<DetailRow> => ({
  header: t('compliance.export.col.number'),
  width: 30,
  align: 'right',
  text: (_, index) => formatNumber(index + 1),
});
const outstandingColumns = (cx: ExportContext) => [
  numbered(cx.t),
  ...pdfColumns(
    DETAIL_COLUMNS,
    [
      ['name', 131],
      ['nip', 94],
      ['position', 125],
      ['email', 135],
    ],
    cx,
  ),
];
const exemptColumns = (cx: ExportContext) => [
  numbered(cx.t),
  ...pdfColumns(
    DETAIL_COLUMNS,
    [
      ['name', 131],
      ['nip', 94],
      ['position', 110],
      ['status', 150],
    ],
    cx,
  ),
];
const signedColumns = (cx: ExportContext) => [
  numbered(cx.t),
  ...pdfColumns(
    DETAIL_COLUMNS,
    [
      ['name', 108],
      ['nip', 94],
      ['position', 84],
      ['signedAt', 86],
      ['receipt', 113],
    ],
    cx,
  ),
];

/**
 * An A4 report being written to `out` under the letterhead and the report's heading; `done` settles once `out`
 * has finished, or rejects if it closed first.
 */
function openReport(
  title: string,
  report: ReportExport,
  out: NodeJS.WritableStream,
  t: Translate,
): { pdf: Pdf; done: Promise<void> } {
  const { instance, pact, summary } = report;
  const fmt = createFormatter(report.zone);
  const pdf = openPdf({
    info: { title, author: instance.name },
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER_SPACE },
  });
  const done = pdfInto(pdf, out);
  drawLetterhead(pdf, letterheadOf(instance, t));
  drawHeading(
    pdf,
    [
      { text: t('compliance.export.pdf.heading'), size: 12, bold: true },
      { text: pact.title, size: 11, bold: true },
      {
        text: t('compliance.export.pdf.version_printed', {
          version: pact.version,
          at: fmt.formatDateTime(report.generatedAt),
        }),
        size: 9,
        grey: true,
      },
    ],
    10,
  );
  drawLines(
    pdf,
    [
      t('compliance.export.pdf.audience', {
        audience:
          pact.audience === 'heads'
            ? t('compliance.export.pdf.audience_heads')
            : t('compliance.export.pdf.audience_all'),
      }),
      t('compliance.export.pdf.deadline', { date: fmt.formatDate(pact.deadline) }),
      t('compliance.export.pdf.signed_of', {
        signed: formatNumber(summary.signed),
        required: formatNumber(summary.required),
        percent: screenPercent(summary.percent),
      }),
    ],
    10,
  );
  pdf.y += 10;
  return { pdf, done };
}

/** "Halaman N dari M" on every page, then the end of the document; resolves once `out` has finished. */
async function finish(pdf: Pdf, done: Promise<void>, t: Translate): Promise<void> {
  numberPages(pdf, {
    size: 8,
    fromBottom: MARGIN + 8,
    text: (page, pages) => t('pdf.page_of', { page, pages }),
  });
  pdf.end();
  await done;
}

/** Between batches of table rows: lets other requests run, and stops if the reader has gone. */
const breather = (out: NodeJS.WritableStream) => async (): Promise<void> => {
  await nextTurn();
  await roomIn(out);
};

/**
 * The whole report: letterhead (instance name, address, contact), pact title and version, "Dicetak <date> pukul
 * <time> <zone>", audience, deadline and totals, then the unit table (its header repeated on each page), and
 * "Halaman N dari M" in the footer.
 */
export async function writeReportPdf(
  report: ReportExport,
  out: NodeJS.WritableStream,
  t: Translate = defaultTranslator(),
): Promise<void> {
  const { pdf, done } = openReport(
    t('compliance.export.pdf.title', { title: report.pact.title }),
    report,
    out,
    t,
  );
  await drawTable(pdf, unitColumns({ t, zone: report.zone }), report.units, {
    empty: t('compliance.export.pdf.no_units'),
    pause: breather(out),
  });
  await finish(pdf, done, t);
}

/**
 * One unit's people (the drill-down): the same letterhead, heading and page numbers as writeReportPdf, the unit's
 * totals row (`report.units`), then "Belum menandatangani (N)" (No., name, NIP, position, email) and "Sudah
 * menandatangani (N)" (No., name, NIP, position, signed at, receipt code), each table with its header repeated on
 * every page. `people` are the unit's DetailRows (signedAt null: not yet signed, a voided signature included); they
 * are read once and split in two, since each heading shows its count before its rows: the people of one unit, held
 * alongside the buffered pages that hold them too.
 */
export async function writeUnitPeoplePdf(
  report: ReportExport,
  people: AsyncIterable<DetailRow>,
  out: NodeJS.WritableStream,
  t: Translate = defaultTranslator(),
): Promise<void> {
  const outstanding: DetailRow[] = [];
  const signed: DetailRow[] = [];
  const exempt: DetailRow[] = [];
  for await (const person of people) {
    (person.exemption ? exempt : person.signedAt === null ? outstanding : signed).push(person);
  }
  const unit = report.units.length === 1 ? report.units[0]?.name : undefined;
  const title = unit
    ? t('compliance.export.pdf.unit_title', { unit, title: report.pact.title })
    : t('compliance.export.pdf.title', { title: report.pact.title });
  const { pdf, done } = openReport(title, report, out, t);
  const pause = breather(out);
  const cx = { t, zone: report.zone };

  await drawTable(pdf, unitColumns(cx), report.units, { empty: t('compliance.export.pdf.no_units'), pause });
  pdf.y += 14;
  await drawTable(pdf, outstandingColumns(cx), outstanding, {
    title: t('compliance.export.pdf.outstanding', { count: formatNumber(outstanding.length) }),
    empty: t('compliance.export.pdf.all_signed'),
    pause,
  });
  pdf.y += 14;
  await drawTable(pdf, signedColumns(cx), signed, {
    title: t('compliance.export.pdf.signed', { count: formatNumber(signed.length) }),
    empty: t('compliance.export.pdf.none_signed'),
    pause,
  });
  if (exempt.length > 0) {
    pdf.y += 14;
    await drawTable(pdf, exemptColumns(cx), exempt, {
      title: t('compliance.export.pdf.exempt', { count: formatNumber(exempt.length) }),
      empty: '',
      pause,
    });
  }
  await finish(pdf, done, t);
}

// The compliance report as a printable A4 PDF, drawn with the house kit (src/pdf/): the whole report's unit table,
// or one unit's totals and its people.

import { setImmediate as nextTurn } from 'node:timers/promises';
import type { DetailRow } from '../../compliance/people-repository.js';
import { roomIn } from '../../core/streams.js';
import { formatNip } from '../../directory/nip.js';
import {
  contentBox,
  drawHeading,
  drawLetterhead,
  drawLines,
  numberPages,
  openPdf,
  type Pdf,
  pdfInto,
} from '../../pdf/document.js';
import { drawSignatureBlock, type SignatureBlock, signatureBlockHeight } from '../../pdf/signature.js';
import { drawTable, fitColumns, type PdfColumn } from '../../pdf/table.js';
import { letterheadOf } from '../../settings/instance.js';
import type { Translate } from '../../web/i18n.js';
import {
  DETAIL_COLUMNS,
  type ExportColumn,
  type ExportContext,
  exportContext,
  type ReportExport,
  screenPercent,
  UNIT_COLUMNS,
} from './columns.js';

const MARGIN = 40;
/** Room under the text for the page numbers. */
const FOOTER_SPACE = 24;

/** The PDF columns of a table: the given columns in this order, their widths still to be fitted (fitted). */
function pdfColumns<T, K extends string>(
  table: Record<K, ExportColumn<T>>,
  keys: readonly K[],
  cx: ExportContext,
): PdfColumn<T>[] {
  return keys.map((key) => {
    const column = table[key];
    return {
      header: column.header(cx),
      width: 0,
      align: column.pdf.align,
      wrap: column.pdf.wrap,
      text: (row) => column.pdf.text(row, cx),
    };
  });
}

/** The columns sized to the rows they will show, across the text column (595 − 2 × 40 = 515 pt on A4). */
const fitted = <T>(pdf: Pdf, columns: readonly PdfColumn<T>[], rows: readonly T[]): PdfColumn<T>[] =>
  fitColumns(pdf, columns, rows, contentBox(pdf).width);

const unitColumns = (cx: ExportContext) =>
  pdfColumns(
    UNIT_COLUMNS,
    ['code', 'name', 'kind', 'head', 'required', 'signed', 'unsigned', 'percent', 'lastSigned'],
    cx,
  );

// The people of a unit: numbers, the NIP ('19860926 201505 1 001') and the receipt code on one line; names,
// positions, emails and times wrap at spaces.
const numbered = ({ t, fmt }: ExportContext): PdfColumn<DetailRow> => ({
  header: t('compliance.export.col.number'),
  width: 0,
  align: 'right',
  wrap: 'none',
  text: (_, index) => fmt.formatNumber(index + 1),
});
const outstandingColumns = (cx: ExportContext) => [
  numbered(cx),
  ...pdfColumns(DETAIL_COLUMNS, ['name', 'nip', 'position', 'email'], cx),
];
const exemptColumns = (cx: ExportContext) => [
  numbered(cx),
  ...pdfColumns(DETAIL_COLUMNS, ['name', 'nip', 'position', 'status'], cx),
];
const signedColumns = (cx: ExportContext) => [
  numbered(cx),
  ...pdfColumns(DETAIL_COLUMNS, ['name', 'nip', 'position', 'signedAt', 'receipt'], cx),
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
  const { fmt } = exportContext(t, report.zone);
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
        signed: fmt.formatNumber(summary.signed),
        required: fmt.formatNumber(summary.required),
        unsigned: fmt.formatNumber(summary.unsigned),
        percent: screenPercent(summary.percent, fmt),
      }),
    ],
    10,
  );
  pdf.y += 10;
  return { pdf, done };
}

/** A line to fill in by hand. */
const dots = (n: number) => '.'.repeat(n);

/**
 * 'Mengetahui,' as on the receipt and the signing sheet: the pact's place (else the instance's) and the day printed,
 * the signing official's title, name and NIP from the settings (a blank one leaves dots to fill in by hand), kept
 * whole on one page at the right of the text column.
 */
function drawAcknowledgement(pdf: Pdf, report: ReportExport, t: Translate): void {
  const { instance } = report;
  const place = report.pact.place.trim() || instance.place.trim();
  const name = instance.officialName.trim();
  const nip = instance.officialNip.trim();
  const title = instance.officialTitle.trim();
  const block: SignatureBlock = {
    above: [
      t('compliance.export.pdf.place_date', {
        place: place === '' ? dots(20) : place,
        date: exportContext(t, report.zone).fmt.formatShortDate(report.generatedAt),
      }),
      t('compliance.export.pdf.acknowledged'),
      ...(title === '' ? [] : [title]),
    ],
    image: null,
    note: '',
    name: name === '' ? `(${dots(44)})` : name,
    below: t('compliance.export.pdf.official_nip', { nip: nip === '' ? dots(36) : formatNip(nip) }),
  };
  if (pdf.y + signatureBlockHeight(pdf, block) > pdf.page.maxY()) pdf.addPage();
  drawSignatureBlock(pdf, block, 'right');
}

/**
 * The 'Mengetahui,' block, "Halaman N dari M" on every page, then the end of the document; resolves once `out` has
 * finished.
 */
async function finish(pdf: Pdf, done: Promise<void>, report: ReportExport, t: Translate): Promise<void> {
  drawAcknowledgement(pdf, report, t);
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
 * <time> <zone>", audience, deadline and totals, then the unit table (its header repeated on each page, its columns
 * sized to their content so that no code or word is broken), the 'Mengetahui,' block of the signing official, and
 * "Halaman N dari M" in the footer.
 */
export async function writeReportPdf(
  report: ReportExport,
  out: NodeJS.WritableStream,
  t: Translate,
): Promise<void> {
  const { pdf, done } = openReport(
    t('compliance.export.pdf.title', { title: report.pact.title }),
    report,
    out,
    t,
  );
  await drawTable(pdf, fitted(pdf, unitColumns(exportContext(t, report.zone)), report.units), report.units, {
    empty: t('compliance.export.pdf.no_units'),
    pause: breather(out),
  });
  await finish(pdf, done, report, t);
}

/**
 * One unit's people (the drill-down): the same letterhead, heading, closing block and page numbers as
 * writeReportPdf, the unit's totals row (`report.units`), then "Belum menandatangani (N)" (No., name, NIP, position, email) and "Sudah
 * menandatangani (N)" (No., name, NIP, position, signed at, receipt code), each table with its header repeated on
 * every page. `people` are the unit's DetailRows (signedAt null: not yet signed, a voided signature included); they
 * are read once and split in two, since each heading shows its count before its rows: the people of one unit, held
 * alongside the buffered pages that hold them too.
 */
export async function writeUnitPeoplePdf(
  report: ReportExport,
  people: AsyncIterable<DetailRow>,
  out: NodeJS.WritableStream,
  t: Translate,
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
  const cx = exportContext(t, report.zone);

  await drawTable(pdf, fitted(pdf, unitColumns(cx), report.units), report.units, {
    empty: t('compliance.export.pdf.no_units'),
    pause,
  });
  pdf.y += 14;
  await drawTable(pdf, fitted(pdf, outstandingColumns(cx), outstanding), outstanding, {
    title: t('compliance.export.pdf.outstanding', { count: cx.fmt.formatNumber(outstanding.length) }),
    empty: t('compliance.export.pdf.all_signed'),
    pause,
  });
  pdf.y += 14;
  await drawTable(pdf, fitted(pdf, signedColumns(cx), signed), signed, {
    title: t('compliance.export.pdf.signed', { count: cx.fmt.formatNumber(signed.length) }),
    empty: t('compliance.export.pdf.none_signed'),
    pause,
  });
  if (exempt.length > 0) {
    pdf.y += 14;
    await drawTable(pdf, fitted(pdf, exemptColumns(cx), exempt), exempt, {
      title: t('compliance.export.pdf.exempt', { count: cx.fmt.formatNumber(exempt.length) }),
      empty: '',
      pause,
    });
  }
  await finish(pdf, done, report, t);
}

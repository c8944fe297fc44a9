// A table in the house style: 8 pt cells that wrap within their column, a shaded bold header row repeated at the top
// of every page the table continues on, a thin rule under each row.

import { contentBox, FONTS, type Pdf, RULE_GREY } from './document.js';
import { winAnsi } from './win-ansi.js';

const TABLE_SIZE = 8;
const CELL_PAD = 3;
const HEADER_SHADE = '#e6e6e6';
/**
 * How long a table may draw before it calls its `pause`. By rows it was every 500, and a unit of 969 people (two
 * tables under 500 rows) held a worker's event loop for 0.4–1.6 s: long enough for other requests to time out.
 */
const PAUSE_AFTER_MS = 20;

/** One column: its header, width (pt; a table's widths add up to the text column) and the text of a row's cell. */
export interface PdfColumn<T> {
  header: string;
  width: number;
  align?: 'left' | 'right';
  /**
   * How fitColumns may wrap the cells: at spaces (the default), or 'none', kept on one line (a unit code, a NIP, a
   * number: their spaces are part of them).
   */
  wrap?: 'words' | 'none';
  /** `index` counts the rows of the table from 0. */
  text: (row: T, index: number) => string;
}

export interface TableOptions {
  /** Written instead of rows when there are none. */
  empty: string;
  /** Bold, above the header, kept on one page with the header and the first row. */
  title?: string;
  /** Awaited after every PAUSE_AFTER_MS of drawing: lets other work run, and may throw to stop (the reader has gone). */
  pause?: () => Promise<void>;
}

type ColumnBox = Pick<PdfColumn<never>, 'width' | 'align'>;

/** Slack on a measured width, so that pdfkit's own measure of the same text never finds it a hair too wide. */
const FIT_SLACK = 1;

/**
 * The columns with their widths sized to their content, adding up to `total` (pt). Each column is at least as wide
 * as its widest word, header included (a 'none' column: its widest cell), so that pdfkit never breaks a word
 * ('DISKOMINF O'); the room left goes to the columns that would still wrap, in proportion to what more they need,
 * and once nothing wraps, to the columns that wrap at spaces. Only when even the widest words do not fit do the widths
 * shrink in proportion to them (and a word may break, as it must).
 */
export function fitColumns<T>(
  pdf: Pdf,
  columns: readonly PdfColumn<T>[],
  rows: readonly T[],
  total: number,
): PdfColumn<T>[] {
  const widest = (texts: Iterable<string>, measure: (text: string) => number[]) => {
    let most = 0;
    for (const text of texts) for (const width of measure(text)) most = Math.max(most, width);
    return most;
  };
  const words = (text: string) => text.split(/[ \t\r\n]+/).filter((word) => word !== '');
  const sizes = columns.map((column) => {
    const cells = rows.map((row, index) => winAnsi(column.text(row, index)));
    pdf.font(FONTS.bold).fontSize(TABLE_SIZE);
    const title = winAnsi(column.header);
    const header = widest([title], (text) => words(text).map((w) => pdf.widthOfString(w)));
    const headerWhole = pdf.widthOfString(title);
    pdf.font(FONTS.regular).fontSize(TABLE_SIZE);
    const whole = widest(cells, (text) => [pdf.widthOfString(text)]);
    const word =
      column.wrap === 'none' ? whole : widest(cells, (text) => words(text).map((w) => pdf.widthOfString(w)));
    const room = 2 * CELL_PAD + FIT_SLACK;
    return { least: Math.max(header, word) + room, wanted: Math.max(headerWhole, whole) + room };
  });
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const least = sum(sizes.map((size) => size.least));
  let widths: number[];
  if (least > total) {
    widths = sizes.map((size) => (size.least * total) / least);
  } else {
    const short = sizes.map((size) => size.wanted - size.least);
    const shortfall = sum(short);
    const spare = total - least;
    if (shortfall >= spare) {
      widths = sizes.map((size, i) => size.least + (spare * (short[i] ?? 0)) / shortfall);
    } else {
      // Everything fits on one line: the rest goes to the columns that wrap at spaces (else to all), by their width.
      const growing = columns.map((column) => column.wrap !== 'none');
      const grows = growing.some(Boolean) ? growing : columns.map(() => true);
      const base = sum(sizes.filter((_, i) => grows[i]).map((size) => size.wanted));
      const left = spare - shortfall;
      widths = sizes.map((size, i) => size.wanted + (grows[i] ? (left * size.wanted) / base : 0));
    }
  }
  return columns.map((column, i) => ({ ...column, width: widths[i] ?? 0 }));
}

/** The height of one row: the tallest of its (wrapped) cells. */
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
  const { left, width } = contentBox(pdf);
  if (shade) pdf.save().rect(left, top, width, height).fill(shade).restore();
  pdf.font(font).fontSize(TABLE_SIZE).fillColor('black');
  let x = left;
  for (const [i, column] of columns.entries()) {
    pdf.text(cells[i] ?? '', x + CELL_PAD, top + CELL_PAD, {
      width: column.width - 2 * CELL_PAD,
      align: column.align ?? 'left',
    });
    x += column.width;
  }
  pdf
    .save()
    .lineWidth(0.3)
    .strokeColor(RULE_GREY)
    .moveTo(left, top + height)
    .lineTo(left + width, top + height)
    .stroke()
    .restore();
  pdf.x = left;
  pdf.y = top + height;
}

/**
 * Draws a table from the current position: one row per item of `rows` (read once, so a generator will do), the
 * header repeated at the top of every page the table continues on, `options.empty` when there are no rows.
 */
export async function drawTable<T>(
  pdf: Pdf,
  columns: readonly PdfColumn<T>[],
  rows: Iterable<T>,
  options: TableOptions,
): Promise<void> {
  const header = columns.map((column) => winAnsi(column.header));
  const headerHeight = rowHeight(pdf, columns, header, FONTS.bold);
  const fits = (height: number) => pdf.y + height <= pdf.page.maxY();
  const { left, width } = contentBox(pdf);
  const title = options.title === undefined ? '' : winAnsi(options.title);
  pdf.font(FONTS.bold).fontSize(10);
  const titleHeight = title === '' ? 0 : pdf.heightOfString(title, { width }) + 4;
  if (!fits(titleHeight + headerHeight + 2 * TABLE_SIZE)) pdf.addPage();
  if (title !== '') {
    pdf.fillColor('black').text(title, left, pdf.y, { width });
    pdf.y += 4;
  }
  drawRow(pdf, columns, header, FONTS.bold, HEADER_SHADE);
  let index = 0;
  let drawingSince = performance.now();
  for (const row of rows) {
    const cells = columns.map((column) => winAnsi(column.text(row, index)));
    if (!fits(rowHeight(pdf, columns, cells, FONTS.regular))) {
      pdf.addPage();
      drawRow(pdf, columns, header, FONTS.bold, HEADER_SHADE);
    }
    drawRow(pdf, columns, cells, FONTS.regular, null);
    index += 1;
    if (options.pause && performance.now() - drawingSince >= PAUSE_AFTER_MS) {
      await options.pause();
      drawingSince = performance.now();
    }
  }
  if (index === 0) {
    pdf.font(FONTS.regular).fontSize(TABLE_SIZE);
    pdf.text(winAnsi(options.empty), left + CELL_PAD, pdf.y + CELL_PAD);
    pdf.x = left;
  }
}

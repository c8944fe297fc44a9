// The house style of Ikrar's printable documents (the signing receipt and the compliance reports): an A4 page
// in pdfkit's built-in Helvetica, the letterhead, centred headings, plain lines and the page footer with page
// numbers. Tables, Markdown and signature blocks are in the files beside this one. This folder imports no
// feature: a feature passes its texts in, already translated.

import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import PDFDocument from 'pdfkit';
import { winAnsi } from './win-ansi.js';

export type Pdf = PDFKit.PDFDocument;

export const FONTS = {
  regular: 'Helvetica',
  bold: 'Helvetica-Bold',
  italic: 'Helvetica-Oblique',
  boldItalic: 'Helvetica-BoldOblique',
} as const;

/** Body text (pt): Markdown, the receipt's identity and signature block. */
export const BODY_SIZE = 11;
/** Secondary text: versions, dates, page footers. */
export const GREY = '#555555';
/** Thin rules: table rows, the receipt's footer, Markdown's `---`. */
export const RULE_GREY = '#999999';

export interface PdfOptions {
  /**
   * The document's properties (folded to WinAnsi like every text); `entries`: more of the document information
   * dictionary, by name, written as they are (e.g. the receipt code a seal covers).
   */
  info: { title: string; author: string; subject?: string; entries?: Record<string, string> };
  /** Page margins (pt): one for all four sides, or each. */
  margins: number | { top: number; right: number; bottom: number; left: number };
  /** A4 upright (the default) or on its side. */
  orientation?: 'portrait' | 'landscape';
  /**
   * Each page goes out once the next begins, compressed: for documents of thousands of pages (activation letters),
   * which would not fit in memory whole and have no "page N of M".
   */
  streamed?: boolean;
}

/**
 * A new A4 document in the house style. Unless `streamed`, its content is left uncompressed, so that tests and
 * people grepping the file can read the words back, and its pages stay in memory until end() (`bufferPages`) so
 * that "Halaman N dari M" can be written last (numberPages): a document is held whole once, a few MB for some
 * thousand table rows.
 * Take its bytes with pdfBytes or pdfInto before drawing.
 */
export function openPdf(options: PdfOptions): Pdf {
  const { info, margins, streamed = false } = options;
  const m =
    typeof margins === 'number' ? { top: margins, right: margins, bottom: margins, left: margins } : margins;
  return new PDFDocument({
    size: 'A4',
    layout: options.orientation ?? 'portrait',
    margins: m,
    compress: streamed,
    bufferPages: !streamed,
    info: {
      Title: winAnsi(info.title),
      Author: winAnsi(info.author),
      ...(info.subject === undefined ? {} : { Subject: winAnsi(info.subject) }),
      ...info.entries,
      Creator: 'Ikrar',
    },
  });
}

/** The whole document as one Buffer, once pdf.end() has been called. */
export function pdfBytes(pdf: Pdf): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
}

/**
 * Streams the document into `out`. Settles once `out` has finished after pdf.end(), or rejects if it closed
 * first (the reader left) or pdfkit failed; a rejection before it is awaited is not reported as unhandled.
 */
export function pdfInto(pdf: Pdf, out: NodeJS.WritableStream): Promise<void> {
  const done = new Promise<void>((resolve, reject) => {
    pdf.on('error', reject);
    finished(out, { readable: false }).then(resolve, reject);
  });
  done.catch(() => undefined);
  pdf.pipe(out as unknown as Writable);
  return done;
}

/** The text column of the current page. */
export function contentBox(pdf: Pdf): { left: number; width: number } {
  const { margins, width } = pdf.page;
  return { left: margins.left, width: width - margins.left - margins.right };
}

/** Starts a new page unless `height` more points fit above the bottom margin. */
export function ensureSpace(pdf: Pdf, height: number): void {
  if (pdf.y + height > pdf.page.maxY()) pdf.addPage();
}

/** One line of a centred block: its size (pt), bold or not, grey (secondary) or black. */
export interface CentredLine {
  text: string;
  size: number;
  bold?: boolean;
  grey?: boolean;
}

/**
 * Lines centred across the text column from the current position, 2 pt apart (each wraps if it must), then
 * `spaceAfter` points: a document's title block.
 */
export function drawHeading(pdf: Pdf, lines: readonly CentredLine[], spaceAfter = 0): void {
  const { left, width } = contentBox(pdf);
  for (const [i, line] of lines.entries()) {
    pdf
      .font(line.bold ? FONTS.bold : FONTS.regular)
      .fontSize(line.size)
      .fillColor(line.grey ? GREY : 'black');
    pdf.text(winAnsi(line.text), left, pdf.y + (i === 0 ? 0 : 2), { width, align: 'center' });
  }
  pdf.fillColor('black');
  pdf.y += spaceAfter;
}

/** Who issues the document: what the letterhead shows (InstanceSettings fits). */
export interface Letterhead {
  name: string;
  /** One line; left out when blank. */
  address: string;
  /** The contact line, e.g. 'Telp. (024) 8311174 · Email bkd@…' (already translated); left out when blank. */
  contact?: string;
  /** The issuer's logo, a PNG on white, drawn at the left; none: text only. */
  logo?: Buffer | null;
}

/**
 * The logo's size (pt): as tall as the text beside it, within these bounds, and never wider than `width` (a wide
 * wordmark is drawn lower instead). Sized so, it makes no letterhead taller than its text alone (but for a lone name
 * line), and a receipt keeps to its one page.
 */
const LOGO = { width: 64, minHeight: 28, maxHeight: 44, gap: 10 };

/** pdfkit's image object: opened once per document, embedded once however often it is drawn. */
interface PdfImage {
  width: number;
  height: number;
}
/** pdfkit opens an image and draws an opened one, which its typings leave out (they know only bytes). */
type ImageDrawing = {
  openImage(src: Buffer): PdfImage;
  image(src: PdfImage, x: number, y: number, options: { width: number; height: number }): Pdf;
};
const openedLogos = new WeakMap<Pdf, { png: Buffer; image: PdfImage }>();

function logoImage(pdf: Pdf, png: Buffer): PdfImage {
  const kept = openedLogos.get(pdf);
  if (kept?.png === png) return kept.image;
  const image = (pdf as unknown as ImageDrawing).openImage(png);
  openedLogos.set(pdf, { png, image });
  return image;
}

/**
 * The letterhead: the issuer's name in capitals, its address and contact line, centred; with a logo, the logo at the
 * left and the text centred in the width beside it, the two centred on each other's height. Then a thick and a thin
 * rule and `spaceAfter` points below them.
 */
export function drawLetterhead(pdf: Pdf, head: Letterhead, spaceAfter = 14): void {
  const lines: CentredLine[] = [{ text: head.name.toUpperCase(), size: 14, bold: true }];
  for (const text of [head.address, head.contact ?? '']) {
    if (text.trim() !== '') lines.push({ text, size: 9.5 });
  }
  const { left, width } = contentBox(pdf);
  if (head.logo) {
    const image = logoImage(pdf, head.logo);
    const aspect = image.width / image.height;
    // The text's room is that left by the widest the logo may be; the logo is then as tall as that text.
    const inset = Math.min(LOGO.width, LOGO.maxHeight * aspect) + LOGO.gap;
    const textHeight = headingHeight(pdf, lines, width - inset);
    const logoHeight = Math.min(Math.max(textHeight, LOGO.minHeight), LOGO.maxHeight, LOGO.width / aspect);
    const top = pdf.y;
    const height = Math.max(textHeight, logoHeight);
    (pdf as unknown as ImageDrawing).image(image, left, top + (height - logoHeight) / 2, {
      width: logoHeight * aspect,
      height: logoHeight,
    });
    // The kit's helpers draw within the page's margins: narrowed while the text is drawn.
    pdf.page.margins.left += inset;
    pdf.y = top + (height - textHeight) / 2;
    drawHeading(pdf, lines);
    pdf.page.margins.left -= inset;
    pdf.y = top + height;
  } else {
    drawHeading(pdf, lines);
  }
  const y = pdf.y + 6;
  pdf
    .save()
    .lineWidth(1.5)
    .moveTo(left, y)
    .lineTo(left + width, y)
    .stroke();
  pdf
    .lineWidth(0.5)
    .moveTo(left, y + 2.5)
    .lineTo(left + width, y + 2.5)
    .stroke()
    .restore();
  pdf.y = y + spaceAfter;
}

/** How tall drawHeading would draw these lines in a column of `width` points. */
function headingHeight(pdf: Pdf, lines: readonly CentredLine[], width: number): number {
  let height = 0;
  for (const [i, line] of lines.entries()) {
    pdf.font(line.bold ? FONTS.bold : FONTS.regular).fontSize(line.size);
    height += pdf.heightOfString(winAnsi(line.text), { width, align: 'center' }) + (i === 0 ? 0 : 2);
  }
  return height;
}

/** Left-aligned lines across the text column, one after another (each wraps if it must). */
export function drawLines(pdf: Pdf, lines: readonly string[], size = BODY_SIZE): void {
  const { left, width } = contentBox(pdf);
  pdf.font(FONTS.regular).fontSize(size).fillColor('black');
  for (const line of lines) pdf.text(winAnsi(line), left, pdf.y, { width });
}

export interface PageFooter {
  /** Font size (pt) of the footer line. */
  size: number;
  /** Where the footer line starts, measured up from the bottom edge of the page (pt): inside the bottom margin. */
  fromBottom: number;
  /** The line on page `page` (counted from 1) of `pages`, e.g. 'Halaman 1 dari 3'. */
  text: (page: number, pages: number) => string;
  /** Drawn on every page before its footer line (a watermark). */
  decorate?: (pdf: Pdf) => void;
}

/** Writes the footer line, centred and grey, on every page: call once, when the content is complete, before end(). */
export function numberPages(pdf: Pdf, footer: PageFooter): void {
  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    footer.decorate?.(pdf);
    const { left, width } = contentBox(pdf);
    // Writing below maxY() would start a new page; lift the bottom margin while writing the footer.
    const bottom = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0;
    pdf.font(FONTS.regular).fontSize(footer.size).fillColor(GREY);
    pdf.text(
      winAnsi(footer.text(i - range.start + 1, range.count)),
      left,
      pdf.page.height - footer.fromBottom,
      {
        width,
        align: 'center',
        lineBreak: false,
      },
    );
    pdf.page.margins.bottom = bottom;
  }
  pdf.fillColor('black');
}

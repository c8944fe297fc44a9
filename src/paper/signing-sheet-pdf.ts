// The signing sheet of a ceremony (ikrar bersama) as an A4 PDF to pass around the room: the letterhead, the title
// with the pact's version and the ceremony's date and place, the pact's text, then for each unit a table of the
// people who must sign (No. | Nama / NIP | Jabatan | Tanda Tangan) with a box tall enough to sign by hand, and at the
// end the 'Mengetahui,' block. "<reference> · Halaman N dari M" on every page lets a scanned page be matched to its
// sheet. Drawn with the house kit in src/pdf/; pure: the caller passes every text already formatted.
//
// The table is drawn here rather than with the kit's drawTable: a signing sheet needs a full grid, a minimum row
// height to sign in, a cell of two lines in two styles (the name, then the NIP) and lines that break only at spaces.
//
// Page flow: the first unit follows the pact's text (its signers read what they sign). Every later unit of more than
// SMALL_UNIT people starts on a new page, so that its pages can be taken apart and passed around its own room; a
// smaller unit (a head or two) follows on the same page, kept whole on one page when it fits on one. Numbering
// restarts at 1 in each unit. A unit's heading, the table header and its first row are kept on one page; a page it
// continues on repeats the unit's name ('… (lanjutan)') and the header. A row is never split across pages.

import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  contentBox,
  drawHeading,
  drawLetterhead,
  FONTS,
  GREY,
  numberPages,
  openPdf,
  type Pdf,
  pdfBytes,
} from '../pdf/document.js';
import { drawMarkdown } from '../pdf/markdown.js';
import { drawSignatureBlock, type SignatureBlock, signatureBlockHeight } from '../pdf/signature.js';
import { winAnsi } from '../pdf/win-ansi.js';
import { formatsIn } from '../web/format.js';
import type { Translate } from '../web/i18n.js';

export interface SigningSheetPerson {
  fullName: string;
  /** Already grouped ('19860926 201505 1 001'), or null for someone without one (no NIP line is printed). */
  nip: string | null;
  position: string;
  /** 'Penata Tk. I, III/d', printed small under the position; null when unknown. */
  pangkat: string | null;
}

export interface SigningSheetUnit {
  name: string;
  /** In the order they are to be printed. */
  people: readonly SigningSheetPerson[];
}

export interface SigningSheetDocument {
  /** Letterhead line 1, e.g. 'Pemerintah Provinsi Jawa Tengah'. */
  instanceName: string;
  /** Letterhead line 2; left out when blank. */
  instanceAddress: string;
  /** The instance's logo for the letterhead (a PNG on white), if it has one. */
  instanceLogo?: Buffer | null;
  pactTitle: string;
  pactVersion: number;
  /** Markdown, drawn as text with drawMarkdown (never HTML). */
  pactBody: string;
  /**
   * The ceremony, or null when the pact has none set: `dateText` '26 September 2023' (formatted, maybe with the
   * weekday), `place` 'Semarang' or 'Gedung Gradhika Bhakti Praja, Semarang'. Shown under the title ('Ikrar bersama:
   * 26 September 2023, Semarang') and above the 'Mengetahui,' block ('Semarang, 26 September 2023'); without it that
   * line is left as dots to fill in by hand. `city`, when given, stands before the date above 'Mengetahui,' instead
   * of the whole place ('Semarang, 26 September 2023', as a letter is dated).
   */
  ceremony: { dateText: string; place: string; city?: string } | null;
  /** One section per unit, in the order given, numbered from 1 each. */
  units: readonly SigningSheetUnit[];
  /**
   * The 'Mengetahui,' block: the role line ('Sekretaris Daerah Provinsi Jawa Tengah'), the name and the grouped NIP;
   * a null or blank name or NIP leaves a dotted line to fill in by hand.
   */
  acknowledgedBy: { title: string; name: string | null; nip: string | null };
  /** 'Dicetak oleh Ana Operator pada 7 Desember 2026 pukul 10.15 WIB', printed small under the title. */
  printedText: string;
  /** Printed in every page's footer, e.g. 'Pakta #3 v1 · Lembar 2026-12-07'. */
  reference: string;
}

const MARGIN = 40;
/** Room under the text for the footer line. */
const FOOTER_SPACE = 24;
/** A later unit of more than this many people starts on a new page. */
export const SMALL_UNIT = 5;

/** The columns (pt); the signature box takes the rest of the 515 pt text column (about 135 pt). */
const COLUMN = { number: 30, name: 190, position: 160 } as const;
/** Tall enough to sign in by hand. */
const MIN_ROW_HEIGHT = 34;
const PAD = 4;
/** Below this size a word too long for its column is broken (never happens with real names or positions). */
const MIN_SIZE = 6;
const HEADER_SHADE = '#e6e6e6';
const SIZE = {
  header: 8.5,
  number: 9,
  name: 9.5,
  nip: 8.5,
  position: 8.5,
  pangkat: 8,
  boxNumber: 7.5,
} as const;
/** How long drawing may hold the event loop before it lets other work run. */
const PAUSE_AFTER_MS = 20;
/** A line to fill in by hand. */
const dots = (n: number) => '.'.repeat(n);

/** Lays out a ceremony's signing sheet; `t` gives its fixed texts (the request's translator). */
export async function signingSheetPdf(doc: SigningSheetDocument, t: Translate): Promise<Buffer> {
  const pdf = openPdf({
    info: {
      title: t('paper.sheet.document_title', { title: doc.pactTitle }),
      author: doc.instanceName,
      subject: doc.reference,
    },
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER_SPACE },
  });
  const bytes = pdfBytes(pdf);
  const pause = pacer();

  drawLetterhead(pdf, { name: doc.instanceName, address: doc.instanceAddress, logo: doc.instanceLogo }, 14);
  drawHeading(
    pdf,
    [
      { text: t('paper.sheet.heading'), size: 13, bold: true },
      { text: doc.pactTitle, size: 11.5, bold: true },
      { text: t('paper.sheet.version', { version: doc.pactVersion }), size: 9, grey: true },
      ...(doc.ceremony
        ? [
            {
              text: t('paper.sheet.ceremony', { date: doc.ceremony.dateText, place: doc.ceremony.place }),
              size: 10,
            },
          ]
        : []),
      { text: doc.printedText, size: 8, grey: true },
    ],
    12,
  );
  drawMarkdown(pdf, doc.pactBody);
  pdf.y += 8;

  const columns = columnsOf(pdf, t);
  for (const [i, unit] of doc.units.entries()) {
    await drawUnit(pdf, columns, unit, i === 0, t, pause);
    pdf.y += 14;
  }
  drawAcknowledgement(pdf, doc, t);

  numberPages(pdf, {
    size: 8,
    fromBottom: MARGIN + 8,
    text: (page, pages) => t('paper.sheet.page_footer', { reference: doc.reference, page, pages }),
  });
  pdf.end();
  return bytes;
}

/** Awaited between rows: after PAUSE_AFTER_MS of drawing, lets the event loop run (a sheet of 1,000 people). */
function pacer(): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < PAUSE_AFTER_MS) return;
    await nextTurn();
    since = performance.now();
  };
}

// --- Text that breaks only at spaces ------------------------------------------------------------------------

/** Lines of one style in a cell. */
interface TextBlock {
  lines: string[];
  font: string;
  size: number;
  grey: boolean;
}

const lineHeight = (pdf: Pdf, block: Pick<TextBlock, 'font' | 'size'>) =>
  pdf.font(block.font).fontSize(block.size).currentLineHeight(true);

const blockHeight = (pdf: Pdf, block: TextBlock) => block.lines.length * lineHeight(pdf, block);

/**
 * `text` wrapped into `width` at spaces only (never inside a word, a name or a NIP), at `size` or, when a single
 * word is wider than the column, at the largest size down to MIN_SIZE at which every word fits. Only a word wider
 * than the column even then is broken. A no-break space (U+00A0) binds like a letter.
 */
function wrapAtSpaces(
  pdf: Pdf,
  text: string,
  width: number,
  style: { font: string; size: number; grey?: boolean },
): TextBlock {
  const words = winAnsi(text)
    .split(/[ \t\r\n]+/)
    .filter((word) => word !== '');
  // Widths grow in proportion to the size: measure each word once, at the preferred size.
  pdf.font(style.font).fontSize(style.size);
  const measured = words.map((word) => pdf.widthOfString(word));
  const widest = Math.max(0, ...measured);
  let size = style.size;
  while (size > MIN_SIZE && (widest * size) / style.size > width) size = Math.max(MIN_SIZE, size - 0.5);
  const scale = size / style.size;
  pdf.fontSize(size);
  const space = pdf.widthOfString(' ');
  const lines: string[] = [];
  let line = '';
  let lineWidth = 0;
  for (const [i, whole] of words.entries()) {
    const wordWidth = (measured[i] ?? 0) * scale;
    for (const word of wordWidth > width ? breakWord(pdf, whole, width) : [whole]) {
      const w = word === whole ? wordWidth : pdf.widthOfString(word);
      // Summing the words' widths ignores kerning across the space, which only ever narrows a line.
      if (line === '') {
        line = word;
        lineWidth = w;
      } else if (lineWidth + space + w > width) {
        lines.push(line);
        line = word;
        lineWidth = w;
      } else {
        line = `${line} ${word}`;
        lineWidth += space + w;
      }
    }
  }
  if (line !== '') lines.push(line);
  return { lines, font: style.font, size, grey: style.grey ?? false };
}

/** A word that does not fit even at MIN_SIZE, in pieces that do. */
function breakWord(pdf: Pdf, word: string, width: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const ch of word) {
    if (piece !== '' && pdf.widthOfString(piece + ch) > width) {
      pieces.push(piece);
      piece = '';
    }
    piece += ch;
  }
  if (piece !== '') pieces.push(piece);
  return pieces;
}

/** Draws the blocks one under the other from (x, y) with no wrapping of pdfkit's own; returns the y below them. */
function drawBlocks(
  pdf: Pdf,
  blocks: readonly TextBlock[],
  x: number,
  y: number,
  width: number,
  align: Align,
) {
  let top = y;
  for (const block of blocks) {
    const height = lineHeight(pdf, block);
    pdf.fillColor(block.grey ? GREY : 'black');
    for (const line of block.lines) {
      const room = width - pdf.widthOfString(line);
      const dx = align === 'left' ? 0 : align === 'right' ? room : room / 2;
      pdf.text(line, x + dx, top, { lineBreak: false });
      top += height;
    }
  }
  pdf.fillColor('black');
  return top;
}

type Align = 'left' | 'center' | 'right';

// --- The table ----------------------------------------------------------------------------------------------

interface Column {
  x: number;
  width: number;
  align: Align;
}

interface Columns {
  number: Column;
  name: Column;
  position: Column;
  signature: Column;
  headers: TextBlock[][];
  headerHeight: number;
}

function columnsOf(pdf: Pdf, t: Translate): Columns {
  const { left, width } = contentBox(pdf);
  const number: Column = { x: left, width: COLUMN.number, align: 'center' };
  const name: Column = { x: number.x + number.width, width: COLUMN.name, align: 'left' };
  const position: Column = { x: name.x + name.width, width: COLUMN.position, align: 'left' };
  const signature: Column = {
    x: position.x + position.width,
    width: left + width - position.x - position.width,
    align: 'center',
  };
  const style = { font: FONTS.bold, size: SIZE.header };
  const header = (column: Column, text: string) => [wrapAtSpaces(pdf, text, column.width - 2 * PAD, style)];
  const headers = [
    header(number, t('paper.sheet.col.number')),
    header(name, t('paper.sheet.col.name_nip')),
    header(position, t('paper.sheet.col.position')),
    header(signature, t('paper.sheet.col.signature')),
  ];
  const headerHeight = Math.max(...headers.map((cell) => cellHeight(pdf, cell))) + 2 * PAD;
  return { number, name, position, signature, headers, headerHeight };
}

const cellHeight = (pdf: Pdf, blocks: readonly TextBlock[]) =>
  blocks.reduce((sum, block) => sum + blockHeight(pdf, block), 0);

interface Row {
  index: number;
  /** The row's number as the sheet's language writes it. */
  numberText: string;
  number: TextBlock[];
  name: TextBlock[];
  position: TextBlock[];
  height: number;
}

function layoutRow(pdf: Pdf, columns: Columns, person: SigningSheetPerson, index: number, t: Translate): Row {
  const inner = (column: Column) => column.width - 2 * PAD;
  const numberText = formatsIn(t.language).formatNumber(index + 1);
  const number = [
    wrapAtSpaces(pdf, numberText, inner(columns.number), {
      font: FONTS.regular,
      size: SIZE.number,
    }),
  ];
  const name = [
    wrapAtSpaces(pdf, person.fullName, inner(columns.name), { font: FONTS.bold, size: SIZE.name }),
  ];
  const nip = person.nip?.trim() ?? '';
  if (nip !== '') {
    // The NIP stays on one line: its spaces are the grouping, not places to break.
    const line = t('paper.sheet.nip', { nip }).replace(/ /g, '\u00a0');
    name.push(wrapAtSpaces(pdf, line, inner(columns.name), { font: FONTS.regular, size: SIZE.nip }));
  }
  const position = [
    wrapAtSpaces(pdf, person.position, inner(columns.position), { font: FONTS.regular, size: SIZE.position }),
  ];
  const pangkat = person.pangkat?.trim() ?? '';
  if (pangkat !== '') {
    position.push(
      wrapAtSpaces(pdf, pangkat, inner(columns.position), {
        font: FONTS.regular,
        size: SIZE.pangkat,
        grey: true,
      }),
    );
  }
  const content = Math.max(...[number, name, position].map((cell) => cellHeight(pdf, cell)));
  return { index, numberText, number, name, position, height: Math.max(MIN_ROW_HEIGHT, content + 2 * PAD) };
}

/** Cells with their top left corners in a row starting at `top`, then the row's grid lines. */
function drawRowBox(
  pdf: Pdf,
  columns: Columns,
  cells: readonly (readonly [Column, readonly TextBlock[]])[],
  top: number,
  height: number,
  shade: string | null,
): void {
  const { left, width } = contentBox(pdf);
  if (shade) pdf.save().rect(left, top, width, height).fill(shade).restore();
  for (const [column, blocks] of cells) {
    drawBlocks(pdf, blocks, column.x + PAD, top + PAD, column.width - 2 * PAD, column.align);
  }
  pdf.save().lineWidth(0.6).strokeColor('black').rect(left, top, width, height);
  for (const column of [columns.name, columns.position, columns.signature]) {
    pdf.moveTo(column.x, top).lineTo(column.x, top + height);
  }
  pdf.stroke().restore();
  pdf.x = left;
  pdf.y = top + height;
}

function drawHeaderRow(pdf: Pdf, columns: Columns): void {
  const [number = [], name = [], position = [], signature = []] = columns.headers;
  drawRowBox(
    pdf,
    columns,
    [
      [columns.number, number],
      [columns.name, name],
      [columns.position, position],
      [columns.signature, signature],
    ],
    pdf.y,
    columns.headerHeight,
    HEADER_SHADE,
  );
}

/**
 * One person's row. The signature box carries the row's number small in its top corner, on the left for odd rows
 * and in the middle for even ones, as on an attendance sheet, so that neighbours' signatures do not run together.
 */
function drawPersonRow(pdf: Pdf, columns: Columns, row: Row): void {
  const top = pdf.y;
  drawRowBox(
    pdf,
    columns,
    [
      [columns.number, row.number],
      [columns.name, row.name],
      [columns.position, row.position],
    ],
    top,
    row.height,
    null,
  );
  const box = columns.signature;
  const x = box.x + PAD + (row.index % 2 === 0 ? 0 : box.width / 2);
  pdf.font(FONTS.regular).fontSize(SIZE.boxNumber).fillColor(GREY);
  pdf.text(`${row.numberText}.`, x, top + PAD, { lineBreak: false });
  pdf.fillColor('black');
  pdf.x = contentBox(pdf).left;
  pdf.y = top + row.height;
}

/** A unit's heading (its name and head count) or, on a page it continues on, its name '(lanjutan)'. */
function unitHeading(pdf: Pdf, text: string, continued: boolean): { text: string; height: number } {
  const { width } = contentBox(pdf);
  const folded = winAnsi(text);
  pdf.font(FONTS.bold).fontSize(continued ? 9 : 10.5);
  return { text: folded, height: pdf.heightOfString(folded, { width }) + 5 };
}

function drawUnitHeading(pdf: Pdf, heading: { text: string }, continued: boolean): void {
  const { left, width } = contentBox(pdf);
  pdf
    .font(FONTS.bold)
    .fontSize(continued ? 9 : 10.5)
    .fillColor(continued ? GREY : 'black');
  pdf.text(heading.text, left, pdf.y, { width });
  pdf.fillColor('black');
  pdf.y += 5;
}

async function drawUnit(
  pdf: Pdf,
  columns: Columns,
  unit: SigningSheetUnit,
  first: boolean,
  t: Translate,
  pause: () => Promise<void>,
): Promise<void> {
  const fits = (height: number) => pdf.y + height <= pdf.page.maxY();
  const freshPage = () => pdf.y <= pdf.page.margins.top + 0.5;
  const heading = unitHeading(
    pdf,
    t('paper.sheet.unit', { unit: unit.name, count: formatsIn(t.language).formatNumber(unit.people.length) }),
    false,
  );
  const continuedHeading = unitHeading(pdf, t('paper.sheet.unit_continued', { unit: unit.name }), true);

  if (unit.people.length === 0) {
    pdf.font(FONTS.italic).fontSize(SIZE.position);
    const empty = winAnsi(t('paper.sheet.no_people'));
    if (!fits(heading.height + pdf.heightOfString(empty) + 4)) pdf.addPage();
    drawUnitHeading(pdf, heading, false);
    pdf.font(FONTS.italic).fontSize(SIZE.position).fillColor(GREY);
    pdf.text(empty, contentBox(pdf).left, pdf.y);
    pdf.fillColor('black');
    return;
  }

  const rows = unit.people.map((person, index) => layoutRow(pdf, columns, person, index, t));
  const opening = heading.height + columns.headerHeight + (rows[0]?.height ?? 0);
  if (!freshPage()) {
    const whole = heading.height + columns.headerHeight + rows.reduce((sum, row) => sum + row.height, 0);
    const ownPage = !first && rows.length > SMALL_UNIT;
    if (ownPage || !fits(rows.length > SMALL_UNIT ? opening : whole)) pdf.addPage();
  }
  drawUnitHeading(pdf, heading, false);
  drawHeaderRow(pdf, columns);
  for (const row of rows) {
    if (!fits(row.height)) {
      pdf.addPage();
      drawUnitHeading(pdf, continuedHeading, true);
      drawHeaderRow(pdf, columns);
    }
    drawPersonRow(pdf, columns, row);
    await pause();
  }
}

// --- Mengetahui ---------------------------------------------------------------------------------------------

/** 'Mengetahui,' with the ceremony's place and date, kept whole on one page, at the right of the text column. */
function drawAcknowledgement(pdf: Pdf, doc: SigningSheetDocument, t: Translate): void {
  const { ceremony, acknowledgedBy } = doc;
  const name = acknowledgedBy.name?.trim() ?? '';
  const nip = acknowledgedBy.nip?.trim() ?? '';
  const block: SignatureBlock = {
    above: [
      ceremony
        ? t('paper.sheet.place_date', { place: ceremony.city || ceremony.place, date: ceremony.dateText })
        : t('paper.sheet.place_date', { place: dots(20), date: dots(28) }),
      t('paper.sheet.acknowledged'),
      ...(acknowledgedBy.title.trim() === '' ? [] : [acknowledgedBy.title]),
    ],
    image: null,
    note: '',
    name: name === '' ? `(${dots(44)})` : name,
    below: t('paper.sheet.nip', { nip: nip === '' ? dots(36) : nip }),
  };
  if (pdf.y + signatureBlockHeight(pdf, block) > pdf.page.maxY()) pdf.addPage();
  drawSignatureBlock(pdf, block, 'right');
}

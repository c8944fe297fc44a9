import type { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { roomIn } from '../core/streams.js';
import { clipped } from '../core/text.js';
import type { TimeZone } from '../core/time-zone.js';
import { PASSWORD_MIN_LENGTH } from '../credentials/password.js';
import { formatNip } from '../directory/nip.js';
import {
  BODY_SIZE,
  contentBox,
  drawHeading,
  drawLetterhead,
  FONTS,
  GREY,
  type Letterhead,
  openPdf,
  type Pdf,
  pdfInto,
} from '../pdf/document.js';
import { drawQrCode } from '../pdf/qr.js';
import { winAnsi } from '../pdf/win-ansi.js';
import { type Formatter, formatterFor } from '../web/format.js';
import { type Translate, translatorFor } from '../web/i18n.js';
import type { Letter } from './issue-letters.js';
import type { LetterLayout } from './letter-batch-repository.js';

/**
 * The longest name, position, unit, instance name or address a letter prints (two lines at most, even on A5): a
 * longer one is cut, so that no letter runs onto a second page and pushes every later letter out of place.
 */
const FIELD_MAX = 110;

/** Letters between two progress reports: a database write each, so not every page. */
const PROGRESS_EVERY = 50;

export interface LetterPrint {
  layout: LetterLayout;
  /** The instance's letterhead, its contact line in the language `t` writes. */
  letterheadIn: (t: Translate) => Letterhead;
  /** Where a person activates: `${BASE_URL}/aktivasi`. */
  activationUrl: string;
  /** The address the QR code of a letter opens (NIP and code filled in). */
  linkOf: (letter: Letter) => string;
  printedBy: string;
  printedAt: Date;
  /** The file's own title: in the language of whoever prints it. */
  t: Translate;
  /** The zone the letters' dates are written in. */
  zone: TimeZone;
  /** Called with the number of letters written so far, every few dozen letters and at the end. */
  onProgress: (printed: number) => Promise<void>;
}

/** The two sizes a letter comes in: a whole A4 page, or half a landscape A4 sheet. */
const SHAPES = {
  a4: { orientation: 'portrait', perSheet: 1, margin: 56, scale: 1, qr: 118 },
  a5: { orientation: 'landscape', perSheet: 2, margin: 34, scale: 0.86, qr: 96 },
} as const;

/**
 * Each letter is written to its person, in the language they chose (`users.language`), else the instance's: whoever
 * prints it, the letter is theirs to read.
 */
function writtenFor(letter: Letter, zone: TimeZone): { t: Translate; fmt: Formatter } {
  const t = translatorFor(letter.user.language);
  return { t, fmt: formatterFor(zone, t.language) };
}

/**
 * Writes the letters to `out` as one PDF, page by page as they are drawn (pdfkit's output is piped to `out`, and
 * drawing waits whenever `out` is full), so that 5,000 letters never sit in memory at once. Settles once `out` has
 * taken the last byte; rejects if the reader left first.
 */
export async function writeLetters(
  out: Writable,
  letters: readonly Letter[],
  print: LetterPrint,
): Promise<void> {
  const shape = SHAPES[print.layout];
  const pdf = openPdf({
    info: { title: print.t('activation.pdf.title'), author: print.letterheadIn(print.t).name },
    margins: shape.margin,
    orientation: shape.orientation,
    streamed: true,
  });
  const done = pdfInto(pdf, out);
  const sheetWidth = pdf.page.width;
  const panelWidth = sheetWidth / shape.perSheet;
  for (const [index, letter] of letters.entries()) {
    const panel = index % shape.perSheet;
    if (index > 0 && panel === 0) pdf.addPage();
    if (panel === 1) drawCutLine(pdf, panelWidth);
    // The page's side margins frame the panel, so that the kit's helpers (contentBox) draw inside it.
    pdf.page.margins.left = panel * panelWidth + shape.margin;
    pdf.page.margins.right = sheetWidth - (panel + 1) * panelWidth + shape.margin;
    pdf.y = shape.margin;
    drawLetter(pdf, letter, print, shape);
    const printed = index + 1;
    if (printed % PROGRESS_EVERY === 0) {
      await print.onProgress(printed);
      // Let this process answer others meanwhile (the progress bar asks here too).
      await nextTurn();
    }
    await roomIn(out);
  }
  pdf.end();
  await done;
  await print.onProgress(letters.length);
}

function drawCutLine(pdf: Pdf, x: number): void {
  pdf
    .save()
    .lineWidth(0.5)
    .dash(4, { space: 4 })
    .strokeColor(GREY)
    .moveTo(x, 12)
    .lineTo(x, pdf.page.height - 12)
    .stroke()
    .undash()
    .restore();
}

function drawLetter(
  pdf: Pdf,
  letter: Letter,
  print: LetterPrint,
  shape: (typeof SHAPES)[LetterLayout],
): void {
  const { t, fmt } = writtenFor(letter, print.zone);
  const size = (pt: number) => pt * shape.scale;
  const body = size(BODY_SIZE - 0.5);
  const { left, width } = contentBox(pdf);
  const paragraph = (text: string, options: { bold?: boolean; grey?: boolean; gap?: number } = {}) => {
    pdf
      .font(options.bold ? FONTS.bold : FONTS.regular)
      .fontSize(body)
      .fillColor(options.grey ? GREY : 'black')
      .text(winAnsi(text), left, pdf.y, { width });
    pdf.y += options.gap ?? size(6);
  };

  const head = print.letterheadIn(t);
  drawLetterhead(
    pdf,
    {
      name: clipped(head.name, FIELD_MAX),
      address: clipped(head.address, FIELD_MAX),
      contact: head.contact ?? '',
      logo: head.logo,
    },
    size(12),
  );
  drawHeading(
    pdf,
    [
      { text: t('activation.pdf.heading'), size: size(13), bold: true },
      { text: t('activation.pdf.confidential'), size: size(9), grey: true },
    ],
    size(12),
  );

  const { user } = letter;
  const identity: [string, string][] = [
    [t('activation.pdf.name'), clipped(user.fullName, FIELD_MAX)],
    [t('activation.pdf.nip'), formatNip(user.nip ?? '')],
    ...(user.pangkat ? [[t('activation.pdf.pangkat'), user.pangkat] as [string, string]] : []),
    ...(user.position
      ? [[t('activation.pdf.position'), clipped(user.position, FIELD_MAX)] as [string, string]]
      : []),
    [t('activation.pdf.unit'), clipped(letter.unitName, FIELD_MAX)],
  ];
  paragraph(t('activation.pdf.to'), { gap: size(2) });
  const labelWidth = size(92);
  for (const [label, value] of identity) {
    const y = pdf.y;
    pdf
      .font(FONTS.regular)
      .fontSize(body)
      .fillColor('black')
      .text(winAnsi(label), left, y, { width: labelWidth });
    pdf.font(FONTS.bold).text(winAnsi(`: ${value}`), left + labelWidth, y, { width: width - labelWidth });
  }
  pdf.y += size(8);
  paragraph(t('activation.pdf.intro'));

  // The code and the QR code side by side in a framed box.
  const boxTop = pdf.y + size(2);
  const boxHeight = shape.qr + size(16);
  const qrLeft = left + width - shape.qr - size(8);
  const textWidth = qrLeft - left - size(20);
  pdf
    .save()
    .lineWidth(1)
    .strokeColor('black')
    .roundedRect(left, boxTop, width, boxHeight, 6)
    .stroke()
    .restore();
  drawQrCode(pdf, print.linkOf(letter), qrLeft, boxTop + size(8), shape.qr);
  pdf
    .font(FONTS.bold)
    .fontSize(size(9))
    .fillColor(GREY)
    .text(winAnsi(t('activation.pdf.code_label')), left + size(14), boxTop + size(16), { width: textWidth });
  pdf
    .font('Courier-Bold')
    .fontSize(size(24))
    .fillColor('black')
    .text(letter.code, left + size(14), pdf.y + size(6), { width: textWidth, lineBreak: false });
  pdf.y += size(8);
  pdf
    .font(FONTS.regular)
    .fontSize(size(9))
    .fillColor('black')
    .text(
      winAnsi(t('activation.pdf.valid_until', { date: fmt.formatDate(letter.expiresAt) })),
      left + size(14),
      pdf.y,
      {
        width: textWidth,
      },
    );
  pdf.y += size(4);
  pdf.fillColor(GREY).text(winAnsi(t('activation.pdf.scan')), left + size(14), pdf.y, { width: textWidth });
  pdf.y = boxTop + boxHeight + size(12);

  paragraph(t('activation.pdf.steps_title'), { bold: true, gap: size(3) });
  const steps = [
    t('activation.pdf.step_open', { url: print.activationUrl }),
    t('activation.pdf.step_code'),
    t('activation.pdf.step_password', { min: PASSWORD_MIN_LENGTH }),
    t('activation.pdf.step_sign'),
  ];
  for (const [i, step] of steps.entries()) {
    const y = pdf.y;
    pdf
      .font(FONTS.regular)
      .fontSize(body)
      .fillColor('black')
      .text(`${i + 1}.`, left, y, { width: size(16) });
    pdf.text(winAnsi(step), left + size(16), y, { width: width - size(16) });
    pdf.y += size(2);
  }
  pdf.y += size(6);
  paragraph(t('activation.pdf.warning'), { bold: true });
  pdf
    .font(FONTS.regular)
    .fontSize(size(8))
    .fillColor(GREY)
    .text(
      winAnsi(
        t('activation.pdf.printed', { name: print.printedBy, at: fmt.formatDateTime(print.printedAt) }),
      ),
      left,
      pdf.page.height - shape.margin - size(10),
      { width, lineBreak: false },
    );
  pdf.fillColor('black');
}

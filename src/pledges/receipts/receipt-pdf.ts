// The signing receipt as an A4 PDF that reads like the paper pact: letterhead, title, who signed, the pact's text,
// then the signature block at the right with the verification column beside it at the left (QR code, receipt code,
// ledger position), as on an electronically signed letter; on a voided receipt a banner and a watermark. Drawn with
// the house kit in src/pdf/. One sheet, like the paper: the text is set a little smaller when that makes it fit.
//
// Two languages, kept apart: the statement (heading, "Yang bertanda tangan di bawah ini:", the identity's labels, the
// pact's text, the place and date, "Yang membuat pernyataan,", the note under the signature) is one sentence in the
// pact's language, the instance's, whoever reads it; what is around it (the verification column, a voided receipt's
// banner and watermark, the page footer, the file's subject) is in the reader's.

import {
  BODY_SIZE,
  contentBox,
  drawHeading,
  drawLetterhead,
  FONTS,
  numberPages,
  openPdf,
  type Pdf,
  pdfBytes,
} from '../../pdf/document.js';
import { drawMarkdown } from '../../pdf/markdown.js';
import { drawSignatureBlock, type SignatureBlock, signatureBlockHeight } from '../../pdf/signature.js';
import { winAnsi } from '../../pdf/win-ansi.js';
import { RECEIPT_CODE_KEY } from '../../seal/pdf-signature.js';
import { DEFAULT_LANGUAGE, type Translate, translatorFor } from '../../web/i18n.js';

export interface ReceiptDocument {
  /** Letterhead, e.g. 'Pemerintah Provinsi Jawa Tengah'. */
  instanceName: string;
  /** Letterhead second line, may be ''. */
  instanceAddress: string;
  /** The instance's logo for the letterhead (a PNG on white), if it has one. */
  instanceLogo?: Buffer | null;
  pactTitle: string;
  pactVersion: number;
  /** Markdown: paragraphs, an ordered list of commitments, maybe **bold**. Rendered as text, never HTML. */
  pactBody: string;
  /**
   * `nip` is already grouped ('19860926 201505 1 001'), or null for someone without one; `actingAs` is 'Plt. Kepala …'
   * for a signing as acting head, else null (in the statement's language, as are placeAndDate, the notes and
   * ceremonyText).
   */
  identity: {
    fullName: string;
    nip: string | null;
    pangkat: string | null;
    position: string;
    actingAs: string | null;
    unitName: string;
  };
  /** 'Semarang, 26 September 2023' */
  placeAndDate: string;
  /** The drawn signature (PNG), or null when the person signed by typing their name. */
  signaturePng: Buffer | null;
  receiptCode: string;
  /**
   * '26 September 2023 pukul 09.15 WIB' (in the instance's time zone: WITA, WIT elsewhere); for a signing on paper
   * the sentence that says so, and who recorded it when.
   */
  signedAtText: string;
  /** For a signing on paper, what stands under the empty signature space instead of the typed-name note. */
  paperNote: string | null;
  /**
   * For a drawing deleted (under the retention rule, or with its signer's data), what stands in the signature space
   * instead: when and why, and the hash that is kept.
   */
  imageRemovedNote?: string | null;
  /** 'Ikrar bersama: 26 September 2023, Gedung Gradhika Bhakti Praja' when the pact has a ceremony, else null. */
  ceremonyText: string | null;
  verifyUrl: string;
  /** QR code PNG of verifyUrl. */
  qrPng: Buffer;
  /** The entry's position and hash; `legacyHash`, its hash before the ledger's format upgrade, if it had one. */
  ledger: { seq: number; hash: string; legacyHash?: string | null };
  voided: { atText: string; reason: string } | null;
}

const MARGINS = { top: 40, right: 50, bottom: 44, left: 50 };
/** Where the page footer ("Halaman 1 dari 1") stands, up from the bottom edge: inside the bottom margin. */
const PAGE_FOOTER_FROM_BOTTOM = 26;
/**
 * The sizes (pt) the identity and the pact's text are tried at, largest first: the first that puts the whole receipt
 * on one page is kept. A text too long for one page even at the smallest flows on at the first (the paper size).
 */
const TEXT_SIZES = [BODY_SIZE, 10.5, 10, 9.5] as const;
const SMALL_SIZE = 8.5;
const QR_SIZE = 72;
/** The column drawSignatureBlock takes at the right of the text column, and the space kept between it and ours. */
const SIGNATURE_COLUMN = 230;
const COLUMN_GAP = 16;
/** Space above the closing: drawSignatureBlock's own gap above its first line, which the QR code lines up with. */
const CLOSING_GAP = 18;
const RED = '#b71c1c';
/** Shown for a value that is missing (a person without a NIP). */
const NONE = '-';

/** Lays out a signing receipt; `t` writes what is around the statement (the reader's translator). */
export async function renderReceiptPdf(doc: ReceiptDocument, t: Translate): Promise<Buffer> {
  // Laid out at each size until one page holds it: a pdfkit document cannot be measured without drawing it.
  const [paperSize, ...smaller] = TEXT_SIZES;
  const atPaperSize = layOut(doc, t, paperSize);
  if (atPaperSize.bufferedPageRange().count === 1) return finish(atPaperSize, doc, t);
  for (const size of smaller) {
    const pdf = layOut(doc, t, size);
    if (pdf.bufferedPageRange().count === 1) return finish(pdf, doc, t);
  }
  return finish(atPaperSize, doc, t);
}

/** The receipt drawn with its identity and text at `size` (pt), its pages still open for the footer. */
function layOut(doc: ReceiptDocument, t: Translate, size: number): Pdf {
  const statement = translatorFor(DEFAULT_LANGUAGE);
  const pdf = openPdf({
    info: {
      title: doc.pactTitle,
      author: doc.instanceName,
      subject: t('receipt.document.subject', { code: doc.receiptCode }),
      // Inside what the seal signs: an uploaded copy is matched to its receipt by it (src/seal/).
      entries: { [RECEIPT_CODE_KEY]: doc.receiptCode },
    },
    margins: MARGINS,
  });

  drawLetterhead(pdf, { name: doc.instanceName, address: doc.instanceAddress, logo: doc.instanceLogo }, 12);
  if (doc.voided) drawVoidedBanner(pdf, doc.voided, t);
  drawHeading(
    pdf,
    [
      { text: statement('receipt.document.heading'), size: 13, bold: true },
      { text: doc.pactTitle, size: 11.5, bold: true },
      { text: statement('receipt.document.version', { version: doc.pactVersion }), size: 9, grey: true },
      ...(doc.ceremonyText ? [{ text: doc.ceremonyText, size: 9, grey: true }] : []),
    ],
    10,
  );
  drawIdentity(pdf, doc.identity, statement, size);
  drawMarkdown(pdf, doc.pactBody, { size });
  drawClosing(pdf, doc, { statement, reader: t });
  return pdf;
}

/** Numbers the pages (and marks a voided receipt's), then ends the document: its bytes. */
async function finish(pdf: Pdf, doc: ReceiptDocument, t: Translate): Promise<Buffer> {
  const bytes = pdfBytes(pdf);
  numberPages(pdf, {
    size: 7.5,
    fromBottom: PAGE_FOOTER_FROM_BOTTOM,
    text: (page, pages) => t('receipt.document.page_footer', { code: doc.receiptCode, page, pages }),
    decorate: doc.voided ? (page) => drawWatermark(page, t('receipt.document.watermark')) : undefined,
  });

  pdf.end();
  return bytes;
}

function drawVoidedBanner(pdf: Pdf, voided: { atText: string; reason: string }, t: Translate): void {
  const { left, width } = contentBox(pdf);
  const padding = 8;
  const inner = { width: width - 2 * padding, align: 'center' } as const;
  const heading = winAnsi(t('receipt.document.voided'));
  const detail = winAnsi(t('receipt.document.voided_detail', { at: voided.atText, reason: voided.reason }));
  const headingHeight = pdf.font(FONTS.bold).fontSize(12).heightOfString(heading, inner);
  const detailHeight = pdf.font(FONTS.regular).fontSize(10).heightOfString(detail, inner);
  const top = pdf.y;
  const height = 2 * padding + headingHeight + 2 + detailHeight;
  pdf.save().lineWidth(1.5).strokeColor(RED).rect(left, top, width, height).stroke().restore();
  pdf.fillColor(RED).font(FONTS.bold).fontSize(12);
  pdf.text(heading, left + padding, top + padding, inner);
  pdf.font(FONTS.regular).fontSize(10);
  pdf.text(detail, left + padding, pdf.y + 2, inner);
  pdf.fillColor('black');
  pdf.x = left;
  pdf.y = top + height + 14;
}

/** "Yang bertanda tangan di bawah ini:" and who: `t` is the statement's translator. */
function drawIdentity(pdf: Pdf, identity: ReceiptDocument['identity'], t: Translate, size: number): void {
  const { left, width } = contentBox(pdf);
  pdf.font(FONTS.regular).fontSize(size);
  pdf.text(winAnsi(t('receipt.document.intro')), left, pdf.y, { width });
  pdf.y += 4;

  const rows: (readonly [string, string])[] = [
    [t('receipt.document.name'), identity.fullName],
    [t('receipt.document.nip'), identity.nip ?? NONE],
    [t('receipt.document.pangkat'), identity.pangkat ?? NONE],
    [t('receipt.document.position'), identity.position],
    ...(identity.actingAs === null ? [] : [[t('receipt.document.acting_as'), identity.actingAs] as const]),
    [t('receipt.document.unit'), identity.unitName],
  ];
  const indent = 18;
  const labelWidth = 72;
  const colonX = left + indent + labelWidth;
  const valueX = colonX + 10;
  const valueWidth = left + width - valueX;
  for (const [label, value] of rows) {
    const y = pdf.y;
    pdf.text(winAnsi(label), left + indent, y, { width: labelWidth, lineBreak: false });
    pdf.text(':', colonX, y, { lineBreak: false });
    pdf.text(winAnsi(value.trim() || NONE), valueX, y, { width: valueWidth });
    pdf.y += 2;
  }
  pdf.x = left;
  pdf.y += 10;
}

/**
 * The signature block at the right and, beside it at the left, the verification column: the QR code, then the receipt
 * code, the time of signing, the address to verify at and the ledger position. Both on one page (a new page if they do
 * not fit under the text), so that a printed page always carries its proof.
 */
function drawClosing(
  pdf: Pdf,
  doc: ReceiptDocument,
  languages: { statement: Translate; reader: Translate },
): void {
  const { statement } = languages;
  const block: SignatureBlock = {
    above: [doc.placeAndDate, statement('receipt.document.signer_role')],
    image: doc.signaturePng,
    note: doc.paperNote ?? doc.imageRemovedNote ?? statement('receipt.document.typed_signature'),
    name: doc.identity.fullName,
    below: statement('receipt.document.nip_line', { nip: doc.identity.nip ?? NONE }),
  };
  const lines = verificationLines(pdf, doc, languages.reader);
  const height = Math.max(signatureBlockHeight(pdf, block), CLOSING_GAP + measureVerification(pdf, lines));
  if (pdf.y + height > pdf.page.maxY()) pdf.addPage();
  const top = pdf.y;
  drawSignatureBlock(pdf, block);
  const signatureEnd = pdf.y;
  drawVerification(pdf, doc, lines, top + CLOSING_GAP);
  pdf.y = Math.max(signatureEnd, pdf.y);
}

function verificationLines(pdf: Pdf, doc: ReceiptDocument, t: Translate): string[] {
  // The address is typed by whoever cannot scan: on a line of its own when "Verifikasi: <address>" would wrap.
  const verify = winAnsi(t('receipt.document.verify', { url: doc.verifyUrl }));
  const fits = pdf.font(FONTS.regular).fontSize(SMALL_SIZE).widthOfString(verify) <= verificationWidth(pdf);
  return [
    winAnsi(t('receipt.document.code', { code: doc.receiptCode })),
    winAnsi(t('receipt.document.signed_at', { at: doc.signedAtText })),
    fits ? verify : winAnsi(t('receipt.document.verify', { url: `\n${doc.verifyUrl}` })),
    winAnsi(t('receipt.document.ledger', { seq: doc.ledger.seq, hash: doc.ledger.hash.slice(0, 16) })),
    // A receipt printed before the upgrade shows this prefix: the reader can still match it.
    ...(doc.ledger.legacyHash
      ? [winAnsi(t('receipt.document.ledger_legacy', { hash: doc.ledger.legacyHash.slice(0, 16) }))]
      : []),
  ];
}

/** The verification column's width: the text column less the signature block's and the gap between them. */
const verificationWidth = (pdf: Pdf): number => contentBox(pdf).width - SIGNATURE_COLUMN - COLUMN_GAP;

function measureVerification(pdf: Pdf, lines: readonly string[]): number {
  const width = verificationWidth(pdf);
  const textHeight = lines.reduce((sum, line, i) => {
    pdf.font(i === 0 ? FONTS.bold : FONTS.regular).fontSize(SMALL_SIZE);
    return sum + pdf.heightOfString(line, { width }) + 2;
  }, 0);
  return QR_SIZE + 6 + textHeight;
}

function drawVerification(pdf: Pdf, doc: ReceiptDocument, lines: readonly string[], top: number): void {
  const { left } = contentBox(pdf);
  const width = verificationWidth(pdf);
  pdf.image(doc.qrPng, left, top, { fit: [QR_SIZE, QR_SIZE] });
  pdf.fontSize(SMALL_SIZE).fillColor('black');
  pdf.y = top + QR_SIZE + 6;
  for (const [i, line] of lines.entries()) {
    pdf.font(i === 0 ? FONTS.bold : FONTS.regular);
    pdf.text(line, left, pdf.y, { width });
    pdf.y += 2;
  }
  pdf.x = left;
}

/** A faint red word across the page of a voided receipt. */
function drawWatermark(pdf: Pdf, word: string): void {
  pdf.save();
  pdf.rotate(-35, { origin: [pdf.page.width / 2, pdf.page.height / 2] });
  pdf.font(FONTS.bold).fontSize(90).fillColor(RED).fillOpacity(0.12);
  pdf.text(winAnsi(word), 0, pdf.page.height / 2 - 45, {
    width: pdf.page.width,
    align: 'center',
    lineBreak: false,
  });
  pdf.restore();
}

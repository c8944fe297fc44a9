// The signing receipt as an A4 PDF that reads like the paper pact: letterhead, title, who signed, the pact's text,
// the signature block kept on one page with the verification footer (QR code, receipt code, ledger position),
// and on a voided receipt a banner and a watermark. Drawn with the house kit in src/pdf/.

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
  RULE_GREY,
} from '../../pdf/document.js';
import { drawMarkdown } from '../../pdf/markdown.js';
import { drawSignatureBlock, type SignatureBlock, signatureBlockHeight } from '../../pdf/signature.js';
import { winAnsi } from '../../pdf/win-ansi.js';
import { defaultTranslator, type Translate } from '../../web/i18n.js';

export interface ReceiptDocument {
  /** Letterhead, e.g. 'Pemerintah Provinsi Jawa Tengah'. */
  instanceName: string;
  /** Letterhead second line, may be ''. */
  instanceAddress: string;
  pactTitle: string;
  pactVersion: number;
  /** Markdown: paragraphs, an ordered list of commitments, maybe **bold**. Rendered as text, never HTML. */
  pactBody: string;
  /**
   * `nip` is already grouped ('19860926 201505 1 001'), or null for someone without one; `actingAs` is 'Plt. Kepala …'
   * for a signing as acting head, else null.
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
  /** 'Ikrar bersama: 26 September 2023, Gedung Gradhika Bhakti Praja' when the pact has a ceremony, else null. */
  ceremonyText: string | null;
  verifyUrl: string;
  /** QR code PNG of verifyUrl. */
  qrPng: Buffer;
  ledger: { seq: number; hash: string };
  voided: { atText: string; reason: string } | null;
}

const MARGIN = 56;
const SMALL_SIZE = 8.5;
const QR_SIZE = 72;
const FOOTER_GAP = 12;
const RED = '#b71c1c';
/** Shown for a value that is missing (a person without a NIP). */
const NONE = '-';

/** Lays out a signing receipt; `t` gives its fixed texts (the request's translator). */
export async function renderReceiptPdf(
  doc: ReceiptDocument,
  t: Translate = defaultTranslator(),
): Promise<Buffer> {
  const pdf = openPdf({
    info: {
      title: doc.pactTitle,
      author: doc.instanceName,
      subject: t('receipt.document.subject', { code: doc.receiptCode }),
    },
    margins: MARGIN,
  });
  const bytes = pdfBytes(pdf);

  drawLetterhead(pdf, { name: doc.instanceName, address: doc.instanceAddress }, 16);
  if (doc.voided) drawVoidedBanner(pdf, doc.voided, t);
  drawHeading(
    pdf,
    [
      { text: t('receipt.document.heading'), size: 13, bold: true },
      { text: doc.pactTitle, size: 11.5, bold: true },
      { text: t('receipt.document.version', { version: doc.pactVersion }), size: 9, grey: true },
      ...(doc.ceremonyText ? [{ text: doc.ceremonyText, size: 9, grey: true }] : []),
    ],
    14,
  );
  drawIdentity(pdf, doc.identity, t);
  drawMarkdown(pdf, doc.pactBody);
  drawClosing(pdf, doc, t);
  numberPages(pdf, {
    size: 7.5,
    fromBottom: MARGIN / 2 + 4,
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

function drawIdentity(pdf: Pdf, identity: ReceiptDocument['identity'], t: Translate): void {
  const { left, width } = contentBox(pdf);
  pdf.font(FONTS.regular).fontSize(BODY_SIZE);
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

/** The signature block, then the verification footer at the foot of the same page (a new page if they do not fit). */
function drawClosing(pdf: Pdf, doc: ReceiptDocument, t: Translate): void {
  const footer = footerLines(doc, t);
  const footerTop = pdf.page.maxY() - measureFooter(pdf, footer);
  const block: SignatureBlock = {
    above: [doc.placeAndDate, t('receipt.document.signer_role')],
    image: doc.signaturePng,
    note: doc.paperNote ?? t('receipt.document.typed_signature'),
    name: doc.identity.fullName,
    below: t('receipt.document.nip_line', { nip: doc.identity.nip ?? NONE }),
  };
  if (pdf.y + signatureBlockHeight(pdf, block) > footerTop - 12) pdf.addPage();
  drawSignatureBlock(pdf, block);
  drawFooter(pdf, doc, footer, footerTop);
}

function footerLines(doc: ReceiptDocument, t: Translate): string[] {
  return [
    t('receipt.document.code', { code: doc.receiptCode }),
    t('receipt.document.signed_at', { at: doc.signedAtText }),
    t('receipt.document.verify', { url: doc.verifyUrl }),
    t('receipt.document.ledger', { seq: doc.ledger.seq, hash: doc.ledger.hash.slice(0, 16) }),
  ].map(winAnsi);
}

function measureFooter(pdf: Pdf, lines: readonly string[]): number {
  const { width } = contentBox(pdf);
  pdf.font(FONTS.regular).fontSize(SMALL_SIZE);
  const textWidth = width - QR_SIZE - FOOTER_GAP;
  const textHeight = lines.reduce((sum, line) => sum + pdf.heightOfString(line, { width: textWidth }) + 2, 0);
  return 8 + Math.max(QR_SIZE, textHeight) + 2;
}

function drawFooter(pdf: Pdf, doc: ReceiptDocument, lines: readonly string[], top: number): void {
  const { left, width } = contentBox(pdf);
  pdf
    .save()
    .lineWidth(0.5)
    .strokeColor(RULE_GREY)
    .moveTo(left, top)
    .lineTo(left + width, top)
    .stroke();
  pdf.restore();
  pdf.image(doc.qrPng, left, top + 8, { fit: [QR_SIZE, QR_SIZE] });
  const textX = left + QR_SIZE + FOOTER_GAP;
  const textWidth = width - QR_SIZE - FOOTER_GAP;
  pdf.fontSize(SMALL_SIZE).fillColor('black');
  pdf.y = top + 10;
  for (const [i, line] of lines.entries()) {
    pdf.font(i === 0 ? FONTS.bold : FONTS.regular);
    pdf.text(line, textX, pdf.y, { width: textWidth });
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

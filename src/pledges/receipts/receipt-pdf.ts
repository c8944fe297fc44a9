import { marked, type Token } from 'marked';
import PDFDocument from 'pdfkit';

export interface ReceiptDocument {
  /** Letterhead, e.g. 'Pemerintah Provinsi Jawa Tengah'. */
  instanceName: string;
  /** Letterhead second line, may be ''. */
  instanceAddress: string;
  pactTitle: string;
  pactVersion: number;
  /** Markdown: paragraphs, an ordered list of commitments, maybe **bold**. Rendered as text, never HTML. */
  pactBody: string;
  /** `nip` is already grouped ('19860926 201505 1 001'), or null for someone without one. */
  identity: { fullName: string; nip: string | null; position: string; unitName: string };
  /** 'Semarang, 26 September 2023' */
  placeAndDate: string;
  /** The drawn signature (PNG), or null when the person signed by typing their name. */
  signaturePng: Buffer | null;
  receiptCode: string;
  /** '26 September 2023 pukul 09.15 WIB' (in the instance's time zone: WITA, WIT elsewhere) */
  signedAtText: string;
  verifyUrl: string;
  /** QR code PNG of verifyUrl. */
  qrPng: Buffer;
  ledger: { seq: number; hash: string };
  voided: { atText: string; reason: string } | null;
}

type Pdf = PDFKit.PDFDocument;

const MARGIN = 56;
const BODY_SIZE = 11;
const SMALL_SIZE = 8.5;
const SIGNATURE_BOX = { width: 160, height: 70 };
const SIGNATURE_BLOCK_WIDTH = 230;
const QR_SIZE = 72;
const RED = '#b71c1c';
const GREY = '#555555';

const FONTS = {
  regular: 'Helvetica',
  bold: 'Helvetica-Bold',
  italic: 'Helvetica-Oblique',
  boldItalic: 'Helvetica-BoldOblique',
} as const;

const TYPED_SIGNATURE_NOTE = '(ditandatangani secara elektronik dengan mengetik nama lengkap)';

/** Lays out a signing receipt as an A4 PDF that reads like the paper pact. */
export async function renderReceiptPdf(doc: ReceiptDocument): Promise<Buffer> {
  const pdf = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    // Receipts are a few kB of text, so leave content streams uncompressed: tests and people grepping the
    // file can read the words back.
    compress: false,
    // Pages stay in memory until end() so that page numbers ("Halaman 1 dari 2") can be written last.
    bufferPages: true,
    info: {
      Title: winAnsi(doc.pactTitle),
      Author: winAnsi(doc.instanceName),
      Subject: winAnsi(`Tanda terima ${doc.receiptCode}`),
      Creator: 'Ikrar',
    },
  });
  const finished = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  drawLetterhead(pdf, doc);
  if (doc.voided) drawVoidedBanner(pdf, doc.voided);
  drawTitle(pdf, doc);
  drawIdentity(pdf, doc.identity);
  drawPactBody(pdf, doc.pactBody);
  drawClosing(pdf, doc);
  drawPageFurniture(pdf, doc);

  pdf.end();
  return finished;
}

// ---------------------------------------------------------------------------------------------------------
// Sections

function drawLetterhead(pdf: Pdf, doc: ReceiptDocument): void {
  const { left, width } = contentBox(pdf);
  pdf.fillColor('black').font(FONTS.bold).fontSize(14);
  pdf.text(winAnsi(doc.instanceName.toUpperCase()), left, pdf.y, { width, align: 'center' });
  if (doc.instanceAddress.trim() !== '') {
    pdf.font(FONTS.regular).fontSize(9.5);
    pdf.text(winAnsi(doc.instanceAddress), left, pdf.y + 2, { width, align: 'center' });
  }
  const ruleY = pdf.y + 6;
  pdf
    .save()
    .lineWidth(1.5)
    .moveTo(left, ruleY)
    .lineTo(left + width, ruleY)
    .stroke();
  pdf
    .lineWidth(0.5)
    .moveTo(left, ruleY + 2.5)
    .lineTo(left + width, ruleY + 2.5)
    .stroke()
    .restore();
  pdf.y = ruleY + 16;
}

function drawVoidedBanner(pdf: Pdf, voided: { atText: string; reason: string }): void {
  const { left, width } = contentBox(pdf);
  const padding = 8;
  const inner = { width: width - 2 * padding, align: 'center' } as const;
  const heading = 'TANDA TANGAN INI DIBATALKAN';
  const detail = winAnsi(`pada ${voided.atText}. Alasan: ${voided.reason}`);
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

function drawTitle(pdf: Pdf, doc: ReceiptDocument): void {
  const { left, width } = contentBox(pdf);
  pdf.font(FONTS.bold).fontSize(13);
  pdf.text('PAKTA INTEGRITAS', left, pdf.y, { width, align: 'center' });
  pdf.fontSize(11.5).text(winAnsi(doc.pactTitle), left, pdf.y + 2, { width, align: 'center' });
  pdf.font(FONTS.regular).fontSize(9).fillColor(GREY);
  pdf.text(`Versi ${doc.pactVersion}`, left, pdf.y + 2, { width, align: 'center' });
  pdf.fillColor('black');
  pdf.y += 14;
}

function drawIdentity(pdf: Pdf, identity: ReceiptDocument['identity']): void {
  const { left, width } = contentBox(pdf);
  pdf.font(FONTS.regular).fontSize(BODY_SIZE);
  pdf.text('Yang bertanda tangan di bawah ini:', left, pdf.y, { width });
  pdf.y += 4;

  const rows: [string, string][] = [
    ['Nama', identity.fullName],
    ['NIP', identity.nip ?? '-'],
    ['Jabatan', identity.position],
    ['Unit Kerja', identity.unitName],
  ];
  const indent = 18;
  const labelWidth = 72;
  const colonX = left + indent + labelWidth;
  const valueX = colonX + 10;
  const valueWidth = left + width - valueX;
  for (const [label, value] of rows) {
    const y = pdf.y;
    pdf.text(label, left + indent, y, { width: labelWidth, lineBreak: false });
    pdf.text(':', colonX, y, { lineBreak: false });
    pdf.text(winAnsi(value.trim() || '-'), valueX, y, { width: valueWidth });
    pdf.y += 2;
  }
  pdf.x = left;
  pdf.y += 10;
}

function drawPactBody(pdf: Pdf, body: string): void {
  pdf.font(FONTS.regular).fontSize(BODY_SIZE).fillColor('black');
  let tokens: Token[];
  try {
    tokens = marked.lexer(body);
  } catch {
    tokens = [{ type: 'paragraph', raw: body, text: body }];
  }
  renderBlocks(pdf, tokens, 0);
}

/** Place and date, the signature, the printed name and NIP, then the verification footer, kept together. */
function drawClosing(pdf: Pdf, doc: ReceiptDocument): void {
  const { left, width } = contentBox(pdf);
  const footerHeight = measureFooter(pdf, doc);
  const blockX = left + width - SIGNATURE_BLOCK_WIDTH;
  pdf.font(FONTS.bold).fontSize(BODY_SIZE);
  const nameHeight = pdf.heightOfString(winAnsi(doc.identity.fullName), { width: SIGNATURE_BLOCK_WIDTH });
  pdf.font(FONTS.regular);
  const lineHeight = pdf.currentLineHeight(true);
  const signatureHeight =
    18 + 2 * lineHeight + 8 + SIGNATURE_BOX.height + 8 + nameHeight + lineHeight + 2 * lineHeight;
  const footerTop = pdf.page.maxY() - footerHeight;
  if (pdf.y + signatureHeight > footerTop - 12) pdf.addPage();

  pdf.y += 18;
  const centred = { width: SIGNATURE_BLOCK_WIDTH, align: 'center' } as const;
  pdf.font(FONTS.regular).fontSize(BODY_SIZE);
  pdf.text(winAnsi(doc.placeAndDate), blockX, pdf.y, centred);
  pdf.text('Yang membuat pernyataan,', blockX, pdf.y, centred);
  const boxTop = pdf.y + 8;
  if (doc.signaturePng) {
    const boxX = blockX + (SIGNATURE_BLOCK_WIDTH - SIGNATURE_BOX.width) / 2;
    pdf.image(doc.signaturePng, boxX, boxTop, {
      fit: [SIGNATURE_BOX.width, SIGNATURE_BOX.height],
      align: 'center',
      valign: 'center',
    });
  } else {
    pdf.font(FONTS.italic).fontSize(9).fillColor(GREY);
    const noteHeight = pdf.heightOfString(TYPED_SIGNATURE_NOTE, centred);
    pdf.text(TYPED_SIGNATURE_NOTE, blockX, boxTop + (SIGNATURE_BOX.height - noteHeight) / 2, centred);
    pdf.fillColor('black');
  }
  pdf.font(FONTS.bold).fontSize(BODY_SIZE);
  pdf.text(winAnsi(doc.identity.fullName), blockX, boxTop + SIGNATURE_BOX.height + 8, {
    ...centred,
    underline: true,
  });
  pdf.font(FONTS.regular);
  pdf.text(`NIP. ${winAnsi(doc.identity.nip ?? '-')}`, blockX, pdf.y, centred);

  drawFooter(pdf, doc, footerTop);
}

function footerLines(doc: ReceiptDocument): string[] {
  return [
    `Kode tanda terima: ${doc.receiptCode}`,
    `Ditandatangani: ${doc.signedAtText}`,
    `Verifikasi: ${doc.verifyUrl}`,
    `Buku besar: #${doc.ledger.seq} ${doc.ledger.hash.slice(0, 16)}…`,
  ].map(winAnsi);
}

const FOOTER_GAP = 12;

function measureFooter(pdf: Pdf, doc: ReceiptDocument): number {
  const { width } = contentBox(pdf);
  pdf.font(FONTS.regular).fontSize(SMALL_SIZE);
  const textWidth = width - QR_SIZE - FOOTER_GAP;
  const textHeight = footerLines(doc).reduce(
    (sum, line) => sum + pdf.heightOfString(line, { width: textWidth }) + 2,
    0,
  );
  return 8 + Math.max(QR_SIZE, textHeight) + 2;
}

function drawFooter(pdf: Pdf, doc: ReceiptDocument, top: number): void {
  const { left, width } = contentBox(pdf);
  pdf
    .save()
    .lineWidth(0.5)
    .strokeColor('#999999')
    .moveTo(left, top)
    .lineTo(left + width, top)
    .stroke();
  pdf.restore();
  pdf.image(doc.qrPng, left, top + 8, { fit: [QR_SIZE, QR_SIZE] });
  const textX = left + QR_SIZE + FOOTER_GAP;
  const textWidth = width - QR_SIZE - FOOTER_GAP;
  pdf.fontSize(SMALL_SIZE).fillColor('black');
  pdf.y = top + 10;
  for (const [i, line] of footerLines(doc).entries()) {
    pdf.font(i === 0 ? FONTS.bold : FONTS.regular);
    pdf.text(line, textX, pdf.y, { width: textWidth });
    pdf.y += 2;
  }
  pdf.x = left;
}

/** Page numbers and the receipt code in the bottom margin, and a watermark on every page of a voided receipt. */
function drawPageFurniture(pdf: Pdf, doc: ReceiptDocument): void {
  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    const { left, width } = contentBox(pdf);
    if (doc.voided) {
      pdf.save();
      pdf.rotate(-35, { origin: [pdf.page.width / 2, pdf.page.height / 2] });
      pdf.font(FONTS.bold).fontSize(90).fillColor(RED).fillOpacity(0.12);
      pdf.text('DIBATALKAN', 0, pdf.page.height / 2 - 45, {
        width: pdf.page.width,
        align: 'center',
        lineBreak: false,
      });
      pdf.restore();
    }
    // Writing below maxY() would make pdfkit start a new page; lift the bottom margin while we are there.
    const bottom = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0;
    pdf.font(FONTS.regular).fontSize(7.5).fillColor(GREY).fillOpacity(1);
    const label = `Tanda terima ${doc.receiptCode} · Halaman ${i - range.start + 1} dari ${range.count}`;
    pdf.text(winAnsi(label), left, pdf.page.height - bottom / 2 - 4, {
      width,
      align: 'center',
      lineBreak: false,
    });
    pdf.page.margins.bottom = bottom;
  }
  pdf.fillColor('black');
}

// ---------------------------------------------------------------------------------------------------------
// Markdown → text

interface Run {
  text: string;
  bold: boolean;
  italic: boolean;
}

type Align = 'left' | 'justify';

// marked's Token union includes a generic token with an index signature; read fields defensively.
type LooseToken = { type: string; raw?: unknown; text?: unknown; tokens?: unknown; [key: string]: unknown };

const asTokens = (value: unknown): LooseToken[] =>
  Array.isArray(value) ? (value as LooseToken[]).filter((t) => t && typeof t === 'object') : [];
const asString = (value: unknown): string => (typeof value === 'string' ? value : '');
const plainText = (token: LooseToken): string =>
  decodeEntities(stripTags(asString(token.text) || asString(token.raw))).trim();

function renderBlocks(pdf: Pdf, tokens: readonly unknown[], indent: number, firstLineY?: number): void {
  let lineY = firstLineY;
  for (const token of asTokens(tokens)) {
    if (renderBlock(pdf, token, indent, lineY)) lineY = undefined;
  }
}

/** Draws one block token; returns whether anything was drawn. */
function renderBlock(pdf: Pdf, token: LooseToken, indent: number, lineY: number | undefined): boolean {
  const { left, width } = contentBox(pdf);
  const x = left + indent;
  const w = width - indent;
  pdf.font(FONTS.regular).fontSize(BODY_SIZE).fillColor('black');
  switch (token.type) {
    case 'space':
      return false;
    case 'paragraph':
    case 'text': {
      const runs = token.tokens ? inlineRuns(asTokens(token.tokens)) : [plainRun(token)];
      return paragraph(pdf, runs, x, w, lineY, 'justify');
    }
    case 'heading': {
      const depth = typeof token.depth === 'number' ? token.depth : 3;
      if (lineY === undefined) pdf.y += 6;
      pdf.fontSize(depth <= 2 ? 12.5 : BODY_SIZE);
      const runs = inlineRuns(asTokens(token.tokens)).map((r) => ({ ...r, bold: true }));
      return paragraph(pdf, runs.length > 0 ? runs : [plainRun(token, true)], x, w, lineY, 'left');
    }
    case 'list':
      return renderList(pdf, token, indent, lineY);
    case 'blockquote':
      if (lineY !== undefined) pdf.y = lineY;
      renderBlocks(pdf, asTokens(token.tokens), indent + 18);
      return true;
    case 'hr': {
      if (lineY !== undefined) pdf.y = lineY;
      ensureSpace(pdf, 12);
      const y = pdf.y + 4;
      pdf
        .save()
        .lineWidth(0.5)
        .strokeColor('#999999')
        .moveTo(x, y)
        .lineTo(x + w, y)
        .stroke()
        .restore();
      pdf.y = y + 10;
      return true;
    }
    case 'table':
      return paragraph(pdf, [{ text: tableText(token), bold: false, italic: false }], x, w, lineY, 'left');
    case 'code':
      // Line breaks are meaningful in code; keep them.
      return paragraph(
        pdf,
        [{ text: asString(token.text), bold: false, italic: false }],
        x,
        w,
        lineY,
        'left',
      );
    default:
      return paragraph(pdf, [plainRun(token)], x, w, lineY, 'left');
  }
}

function renderList(pdf: Pdf, token: LooseToken, indent: number, lineY: number | undefined): boolean {
  const items = asTokens(token.items);
  if (items.length === 0) return false;
  const ordered = token.ordered === true;
  const start = typeof token.start === 'number' ? token.start : 1;
  const marker = (i: number) => (ordered ? `${start + i}.` : '•');
  pdf.font(FONTS.regular).fontSize(BODY_SIZE);
  const markerWidth = Math.max(18, pdf.widthOfString(marker(items.length - 1)) + 6);
  const { left } = contentBox(pdf);
  let y = lineY;
  for (const [i, item] of items.entries()) {
    if (y === undefined) {
      ensureSpace(pdf, 2 * pdf.currentLineHeight(true));
      y = pdf.y;
    }
    pdf.font(FONTS.regular).fontSize(BODY_SIZE).fillColor('black');
    pdf.text(marker(i), left + indent, y, { width: markerWidth, lineBreak: false });
    pdf.y = y;
    const before = pdf.y;
    renderBlocks(pdf, asTokens(item.tokens), indent + markerWidth, y);
    if (pdf.y === before) pdf.y += pdf.currentLineHeight(true); // an empty item still takes its line
    y = undefined;
  }
  pdf.x = left;
  pdf.y += 4;
  return true;
}

function paragraph(
  pdf: Pdf,
  runs: Run[],
  x: number,
  width: number,
  lineY: number | undefined,
  align: Align,
): boolean {
  const parts = tidyRuns(runs);
  if (parts.length === 0) return false;
  if (lineY === undefined) ensureSpace(pdf, 2 * pdf.currentLineHeight(true));
  writeRuns(pdf, parts, x, lineY ?? pdf.y, width, align);
  pdf.x = contentBox(pdf).left;
  pdf.y += 4;
  return true;
}

/** Writes styled runs as one paragraph, switching fonts with pdfkit's `continued` text. */
function writeRuns(pdf: Pdf, runs: Run[], x: number, y: number, width: number, align: Align): void {
  const parts = tidyRuns(runs);
  // pdfkit 0.20 mis-spaces `continued` runs when justifying (it drops the space between runs and stretches
  // the rest) and overlaps them when centring, so only a single-style paragraph is justified.
  const safeAlign = parts.length > 1 ? 'left' : align;
  for (const [i, run] of parts.entries()) {
    pdf.font(fontFor(run));
    const continued = i < parts.length - 1;
    if (i === 0) pdf.text(run.text, x, y, { width, align: safeAlign, continued });
    else pdf.text(run.text, { continued });
  }
  pdf.font(FONTS.regular);
}

function tidyRuns(runs: Run[]): Run[] {
  const out: Run[] = [];
  for (const run of runs) {
    const text = winAnsi(run.text);
    if (text === '') continue;
    const last = out.at(-1);
    if (last && last.bold === run.bold && last.italic === run.italic) last.text += text;
    else out.push({ ...run, text });
  }
  // Trim the paragraph as a whole, not each run, so the spaces between runs survive.
  const first = out[0];
  if (first) first.text = first.text.replace(/^\s+/, '');
  const last = out.at(-1);
  if (last) last.text = last.text.replace(/\s+$/, '');
  return out.filter((r) => r.text !== '');
}

function inlineRuns(tokens: LooseToken[], bold = false, italic = false): Run[] {
  const runs: Run[] = [];
  for (const token of tokens) {
    switch (token.type) {
      case 'strong':
        runs.push(...inlineRuns(asTokens(token.tokens), true, italic));
        break;
      case 'em':
        runs.push(...inlineRuns(asTokens(token.tokens), bold, true));
        break;
      case 'br':
        runs.push({ text: '\n', bold, italic });
        break;
      case 'escape':
      case 'codespan':
        runs.push({ text: asString(token.text), bold, italic });
        break;
      case 'html':
        runs.push({ text: decodeEntities(stripTags(asString(token.raw))), bold, italic });
        break;
      default:
        if (Array.isArray(token.tokens) && token.tokens.length > 0) {
          runs.push(...inlineRuns(asTokens(token.tokens), bold, italic));
        } else {
          // Soft line breaks inside a paragraph are spaces.
          const text = decodeEntities(asString(token.text) || asString(token.raw)).replace(/\s*\n\s*/g, ' ');
          runs.push({ text, bold, italic });
        }
    }
  }
  return runs;
}

const plainRun = (token: LooseToken, bold = false): Run => ({ text: plainText(token), bold, italic: false });

function tableText(token: LooseToken): string {
  const cellText = (cell: unknown) =>
    cell && typeof cell === 'object' ? plainText(cell as LooseToken) : asString(cell);
  const header = Array.isArray(token.header) ? token.header.map(cellText).join(' | ') : '';
  const rows = Array.isArray(token.rows)
    ? token.rows.map((row) => (Array.isArray(row) ? row.map(cellText).join(' | ') : ''))
    : [];
  const text = [header, ...rows].filter((line) => line.trim() !== '').join('\n');
  return text || plainText(token);
}

const stripTags = (html: string): string => html.replace(/<[^>]*>/g, '');

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, name: string) => {
    if (name.startsWith('#')) {
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
    }
    return ENTITIES[name.toLowerCase()] ?? match;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

function contentBox(pdf: Pdf): { left: number; width: number } {
  const { margins, width } = pdf.page;
  return { left: margins.left, width: width - margins.left - margins.right };
}

function ensureSpace(pdf: Pdf, height: number): void {
  if (pdf.y + height > pdf.page.maxY()) pdf.addPage();
}

function fontFor(run: Run): string {
  if (run.bold) return run.italic ? FONTS.boldItalic : FONTS.bold;
  return run.italic ? FONTS.italic : FONTS.regular;
}

// The built-in fonts use WinAnsiEncoding. pdfkit 0.20 writes any other character's code point into the hex
// string unpadded (an odd number of digits), which garbles the rest of the line, so such characters must not
// reach it: strip accents where that gives a WinAnsi letter (ğ → g), else use '?'.
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
// Letters with a stroke do not decompose under NFKD.
const STROKED: Record<string, string> = {
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  Ħ: 'H',
  ħ: 'h',
  ı: 'i',
  Ŧ: 'T',
  ŧ: 't',
};

function isWinAnsi(ch: string): boolean {
  const code = ch.codePointAt(0) ?? 0;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(ch);
}

export function winAnsi(text: string): string {
  let out = '';
  for (const ch of text) {
    if (ch === '\n' || isWinAnsi(ch)) out += ch;
    else if (/[\p{Cc}\p{Cf}]/u.test(ch) && ch !== '\t') continue;
    else if (/\s/u.test(ch)) out += ' ';
    else {
      const base = STROKED[ch] ?? ch.normalize('NFKD').replace(/\p{M}/gu, '');
      out += base !== '' && [...base].every(isWinAnsi) ? base : '?';
    }
  }
  return out;
}

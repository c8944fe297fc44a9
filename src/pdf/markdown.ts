// Markdown as PDF text in the house style: paragraphs (justified when of one style), **bold** and *italic*,
// headings, ordered and bulleted lists (nested), block quotes, rules; a table, code or raw HTML is printed as its
// plain words. Never HTML: tags are dropped and entities decoded. Drawn at BODY_SIZE (or the size asked for) from the
// current position, across the text column, onto as many pages as it takes.

import { marked, type Token } from 'marked';
import { BODY_SIZE, contentBox, ensureSpace, FONTS, type Pdf, RULE_GREY } from './document.js';
import { winAnsi } from './win-ansi.js';

/**
 * Draws `markdown` (untrusted text: a pact's body) from the current position; a lexer failure prints it as is.
 * `size` is the text's size in points (a document that must fit one page asks for less than BODY_SIZE).
 */
export function drawMarkdown(pdf: Pdf, markdown: string, options: { size?: number } = {}): void {
  const size = options.size ?? BODY_SIZE;
  pdf.font(FONTS.regular).fontSize(size).fillColor('black');
  let tokens: Token[];
  try {
    tokens = marked.lexer(markdown);
  } catch {
    tokens = [{ type: 'paragraph', raw: markdown, text: markdown }];
  }
  renderBlocks(pdf, tokens, 0, size);
}

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

function renderBlocks(
  pdf: Pdf,
  tokens: readonly unknown[],
  indent: number,
  size: number,
  firstLineY?: number,
): void {
  let lineY = firstLineY;
  for (const token of asTokens(tokens)) {
    if (renderBlock(pdf, token, indent, size, lineY)) lineY = undefined;
  }
}

/** Draws one block token; returns whether anything was drawn. */
function renderBlock(
  pdf: Pdf,
  token: LooseToken,
  indent: number,
  size: number,
  lineY: number | undefined,
): boolean {
  const { left, width } = contentBox(pdf);
  const x = left + indent;
  const w = width - indent;
  pdf.font(FONTS.regular).fontSize(size).fillColor('black');
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
      pdf.fontSize(depth <= 2 ? size + 1.5 : size);
      const runs = inlineRuns(asTokens(token.tokens)).map((r) => ({ ...r, bold: true }));
      return paragraph(pdf, runs.length > 0 ? runs : [plainRun(token, true)], x, w, lineY, 'left');
    }
    case 'list':
      return renderList(pdf, token, indent, size, lineY);
    case 'blockquote':
      if (lineY !== undefined) pdf.y = lineY;
      renderBlocks(pdf, asTokens(token.tokens), indent + 18, size);
      return true;
    case 'hr': {
      if (lineY !== undefined) pdf.y = lineY;
      ensureSpace(pdf, 12);
      const y = pdf.y + 4;
      pdf
        .save()
        .lineWidth(0.5)
        .strokeColor(RULE_GREY)
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

function renderList(
  pdf: Pdf,
  token: LooseToken,
  indent: number,
  size: number,
  lineY: number | undefined,
): boolean {
  const items = asTokens(token.items);
  if (items.length === 0) return false;
  const ordered = token.ordered === true;
  const start = typeof token.start === 'number' ? token.start : 1;
  const marker = (i: number) => (ordered ? `${start + i}.` : '•');
  pdf.font(FONTS.regular).fontSize(size);
  const markerWidth = Math.max(18, pdf.widthOfString(marker(items.length - 1)) + 6);
  const { left } = contentBox(pdf);
  let y = lineY;
  for (const [i, item] of items.entries()) {
    if (y === undefined) {
      ensureSpace(pdf, 2 * pdf.currentLineHeight(true));
      y = pdf.y;
    }
    pdf.font(FONTS.regular).fontSize(size).fillColor('black');
    pdf.text(marker(i), left + indent, y, { width: markerWidth, lineBreak: false });
    pdf.y = y;
    const before = pdf.y;
    renderBlocks(pdf, asTokens(item.tokens), indent + markerWidth, size, y);
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

function fontFor(run: Run): string {
  if (run.bold) return run.italic ? FONTS.boldItalic : FONTS.bold;
  return run.italic ? FONTS.italic : FONTS.regular;
}

// Reading a PDF back the way a reader's viewer does, with poppler's pdfinfo and pdftotext (Debian: poppler-utils),
// rather than from pdfkit's own content streams (./pdf.ts).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs a poppler tool on `pdf` written to a temporary file; returns its standard output. */
function poppler(tool: 'pdfinfo' | 'pdftotext', pdf: Buffer, args: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'ikrar-pdf-'));
  try {
    const file = join(dir, 'document.pdf');
    writeFileSync(file, pdf);
    return execFileSync(tool, [...args, file, ...(tool === 'pdftotext' ? ['-'] : [])], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const popplerPageCount = (pdf: Buffer): number =>
  Number(/^Pages:\s+(\d+)$/m.exec(poppler('pdfinfo', pdf, []))?.[1]);

/** The text of page `page` (from 1) as laid out on it: one string per printed line, blank lines dropped. */
export const popplerLines = (pdf: Buffer, page: number): string[] =>
  poppler('pdftotext', pdf, ['-layout', '-f', String(page), '-l', String(page)])
    .split('\n')
    .map((line) => line.replace(/\f/g, '').trimEnd())
    .filter((line) => line.trim() !== '');

export interface Word {
  text: string;
  /** Points from the page's left edge. */
  xMin: number;
  xMax: number;
  /** Points from the page's top edge. */
  yMin: number;
}

/** The words of page `page` (from 1) with their boxes, in reading order. */
export function popplerWords(pdf: Buffer, page: number): Word[] {
  const html = poppler('pdftotext', pdf, ['-bbox', '-f', String(page), '-l', String(page)]);
  const decode = (text: string) =>
    text
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  return [
    ...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g),
  ].map((m) => ({ xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), text: decode(m[4] ?? '') }));
}

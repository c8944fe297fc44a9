/** Reads back the text of the PDFs pdfkit writes (uncompressed): hex glyph strings inside TJ arrays. */

const WIN_ANSI_HIGH = '€\ufffd‚ƒ„…†‡ˆ‰Š‹Œ\ufffdŽ\ufffd\ufffd‘’“”•–—˜™š›œ\ufffdžŸ';

export function decodeWinAnsi(bytes: Buffer): string {
  return [...bytes]
    .map((b) => (b >= 0x80 && b <= 0x9f ? (WIN_ANSI_HIGH[b - 0x80] ?? '') : String.fromCharCode(b)))
    .join('');
}

export function objects(pdf: Buffer): Map<number, string> {
  const map = new Map<number, string>();
  for (const m of pdf.toString('latin1').matchAll(/(\d+) 0 obj\n([\s\S]*?)\nendobj/g)) {
    map.set(Number(m[1]), m[2] ?? '');
  }
  return map;
}

export interface Line {
  /** Baseline in PDF space: larger is higher on the page. */
  y: number;
  text: string;
}

/**
 * The lines of one content stream. Every text fragment is `BT … Tm … [<hex> kern <hex> …] TJ ET`; fragments
 * on the same baseline are one line, and a large negative offset inside TJ is a justified word gap.
 */
function linesOfContent(content: string): Line[] {
  const lines: Line[] = [];
  let current: Line | undefined;
  for (const m of content.matchAll(/1 0 0 1 \S+ (\S+) Tm|\[([^\]]*)\] TJ/g)) {
    if (m[1] !== undefined) {
      const y = Number(m[1]);
      if (current?.y === y) current.text += ' ';
      else {
        current = { y, text: '' };
        lines.push(current);
      }
      continue;
    }
    for (const part of (m[2] ?? '').matchAll(/<([0-9a-fA-F]*)>|(-?\d+(?:\.\d+)?)/g)) {
      if (!current) continue;
      if (part[1] !== undefined) current.text += decodeWinAnsi(Buffer.from(part[1], 'hex'));
      else if (Number(part[2]) <= -200) current.text += ' ';
    }
  }
  return lines;
}

export function pageLines(pdf: Buffer): Line[][] {
  const objs = objects(pdf);
  const pages = [...objs.values()].find((o) => /\/Type \/Pages\b/.test(o)) ?? '';
  const kids = [...(/\/Kids \[([^\]]*)\]/.exec(pages)?.[1] ?? '').matchAll(/(\d+) 0 R/g)];
  return kids.map((kid) => {
    const page = objs.get(Number(kid[1])) ?? '';
    const contents = /\/Contents (\d+) 0 R/.exec(page)?.[1];
    return linesOfContent(objs.get(Number(contents)) ?? '');
  });
}

export const pageTexts = (pdf: Buffer): string[] =>
  pageLines(pdf).map((lines) => lines.map((l) => l.text).join('\n'));
export const squash = (text: string) => text.replace(/\s+/g, ' ');
/** Every page's text in reading order, whitespace squashed to single spaces. */
export const pdfText = (pdf: Buffer) => squash(pageTexts(pdf).join('\n'));
export const pageCount = (pdf: Buffer) =>
  (pdf.toString('latin1').match(/\/Type \/Page(?!s)\b/g) ?? []).length;

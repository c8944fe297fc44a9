// The built-in PDF fonts use WinAnsiEncoding. pdfkit 0.20 writes any other character's code point into the hex
// string unpadded (an odd number of digits), which garbles the rest of the line, so such characters must not
// reach it: strip accents where that gives a WinAnsi letter (ğ → g), else use '?'. Every text the kit draws
// passes through winAnsi; a caller drawing with pdfkit directly folds its text with it too.

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

/** `text` with every character the built-in fonts cannot show folded (accents stripped) or replaced by '?'. */
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

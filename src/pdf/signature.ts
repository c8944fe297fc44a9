// A signature block as on Indonesian official letters: the place and date and the signer's role ('Yang membuat
// pernyataan,' or 'Mengetahui,' and a position), the signature, the name bold and underlined, then the NIP.

import { BODY_SIZE, contentBox, FONTS, GREY, type Pdf } from './document.js';
import { winAnsi } from './win-ansi.js';

const BLOCK_WIDTH = 230;
const BOX = { width: 160, height: 70 };
/** Space above the block. */
const GAP_ABOVE = 18;

export interface SignatureBlock {
  /** The lines above the signature, e.g. ['Semarang, 26 September 2023', 'Yang membuat pernyataan,']. */
  above: readonly string[];
  /** The drawn signature (PNG), fitted into a 160 × 70 pt box; null when there is none. */
  image: Buffer | null;
  /** Written small and grey in the box when there is no image. */
  note: string;
  /** The signer's name, bold and underlined under the box. */
  name: string;
  /** The line under the name, e.g. 'NIP. 19860926 201505 2 001'. */
  below: string;
}

/** The height drawSignatureBlock needs from the current position, with two lines to spare. */
export function signatureBlockHeight(pdf: Pdf, block: SignatureBlock): number {
  pdf.font(FONTS.bold).fontSize(BODY_SIZE);
  const nameHeight = pdf.heightOfString(winAnsi(block.name), { width: BLOCK_WIDTH });
  pdf.font(FONTS.regular);
  const line = pdf.currentLineHeight(true);
  return GAP_ABOVE + block.above.length * line + 8 + BOX.height + 8 + nameHeight + line + 2 * line;
}

/** Draws the block, its lines centred in a 230 pt column at the right (or left) of the text column. */
export function drawSignatureBlock(pdf: Pdf, block: SignatureBlock, side: 'left' | 'right' = 'right'): void {
  const { left, width } = contentBox(pdf);
  const x = side === 'right' ? left + width - BLOCK_WIDTH : left;
  const centred = { width: BLOCK_WIDTH, align: 'center' } as const;
  pdf.y += GAP_ABOVE;
  pdf.font(FONTS.regular).fontSize(BODY_SIZE).fillColor('black');
  for (const line of block.above) pdf.text(winAnsi(line), x, pdf.y, centred);
  const boxTop = pdf.y + 8;
  if (block.image) {
    pdf.image(block.image, x + (BLOCK_WIDTH - BOX.width) / 2, boxTop, {
      fit: [BOX.width, BOX.height],
      align: 'center',
      valign: 'center',
    });
  } else {
    const note = winAnsi(block.note);
    pdf.font(FONTS.italic).fontSize(9).fillColor(GREY);
    const noteHeight = pdf.heightOfString(note, centred);
    pdf.text(note, x, boxTop + (BOX.height - noteHeight) / 2, centred);
    pdf.fillColor('black');
  }
  pdf.font(FONTS.bold).fontSize(BODY_SIZE);
  pdf.text(winAnsi(block.name), x, boxTop + BOX.height + 8, { ...centred, underline: true });
  pdf.font(FONTS.regular);
  pdf.text(winAnsi(block.below), x, pdf.y, centred);
}

import QRCode from 'qrcode';
import type { Pdf } from './document.js';

/**
 * A QR code of `text` drawn as vector squares, `size` points wide with its top left corner at (x, y), with the
 * standard quiet zone of four modules inside that width. Vectors instead of an embedded image keep a document of
 * thousands of codes small and quick to write. Each row's runs of dark modules become one rectangle.
 */
export function drawQrCode(pdf: Pdf, text: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const quiet = 4;
  const cell = size / (modules.size + 2 * quiet);
  pdf.save().fillColor('black');
  for (let row = 0; row < modules.size; row++) {
    let col = 0;
    while (col < modules.size) {
      if (!modules.get(row, col)) {
        col += 1;
        continue;
      }
      const start = col;
      while (col < modules.size && modules.get(row, col)) col += 1;
      pdf.rect(x + (quiet + start) * cell, y + (quiet + row) * cell, (col - start) * cell, cell);
    }
  }
  pdf.fill().restore();
}

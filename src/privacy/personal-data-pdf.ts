// A person's data as a readable A4 PDF, drawn with the house kit (src/pdf/): the letterhead, a heading with the
// person's name and when it was made, their profile, then one table per section (the page's words), with the drawn
// signatures still kept after the signings.

import {
  contentBox,
  drawHeading,
  drawLetterhead,
  drawLines,
  ensureSpace,
  FONTS,
  GREY,
  type Letterhead,
  numberPages,
  openPdf,
  type Pdf,
  pdfBytes,
} from '../pdf/document.js';
import { drawTable, fitColumns, type PdfColumn } from '../pdf/table.js';
import { winAnsi } from '../pdf/win-ansi.js';
import type { Translate } from '../web/i18n.js';
import type { DataCell, DataTable, PersonalDataView } from './personal-data-view.js';

const MARGIN = 40;
/** Room under the text for the page numbers. */
const FOOTER_SPACE = 24;
/** The box a kept drawing is fitted in (pt). */
const DRAWING = { width: 180, height: 70 };

export interface PersonalDataDocument {
  letterhead: Letterhead;
  fullName: string;
  view: PersonalDataView;
  /** The drawn signatures still kept, with the pact each was drawn for. */
  drawings: { pactTitle: string; png: Buffer }[];
}

const cellText = (cell: DataCell | undefined): string =>
  cell ? [cell.text, ...(cell.notes ?? [])].join('\n') : '';

async function drawSection(pdf: Pdf, table: DataTable): Promise<void> {
  const { left, width } = contentBox(pdf);
  ensureSpace(pdf, 60);
  pdf.y += 8;
  pdf.font(FONTS.bold).fontSize(11).fillColor('black');
  pdf.text(winAnsi(table.title), left, pdf.y, { width });
  pdf.y += 3;
  if (table.intro) drawLines(pdf, [table.intro], 8.5);
  pdf.y += 3;
  const columns: PdfColumn<DataCell[]>[] = table.headers.map((header, i) => ({
    header,
    width: 0,
    text: (row) => cellText(row[i]),
  }));
  await drawTable(pdf, fitColumns(pdf, columns, table.rows, width), table.rows, { empty: table.empty });
  if (table.note) {
    pdf.y += 4;
    pdf.font(FONTS.italic).fontSize(8).fillColor(GREY);
    pdf.text(winAnsi(table.note), left, pdf.y, { width });
    pdf.fillColor('black');
  }
}

function drawDrawings(pdf: Pdf, drawings: PersonalDataDocument['drawings'], t: Translate): void {
  if (drawings.length === 0) return;
  const { left, width } = contentBox(pdf);
  ensureSpace(pdf, 40 + DRAWING.height);
  pdf.y += 8;
  pdf.font(FONTS.bold).fontSize(10).fillColor('black');
  pdf.text(winAnsi(t('privacy.data.drawings')), left, pdf.y, { width });
  for (const drawing of drawings) {
    ensureSpace(pdf, 20 + DRAWING.height);
    pdf.y += 4;
    pdf.font(FONTS.regular).fontSize(8.5);
    pdf.text(winAnsi(drawing.pactTitle), left, pdf.y, { width });
    const top = pdf.y + 2;
    pdf.image(drawing.png, left, top, { fit: [DRAWING.width, DRAWING.height] });
    pdf.y = top + DRAWING.height;
  }
}

/** The whole document as bytes. */
export async function personalDataPdf(doc: PersonalDataDocument, t: Translate): Promise<Buffer> {
  const title = t('privacy.data.pdf.title', { name: doc.fullName });
  const pdf = openPdf({
    info: { title, author: doc.letterhead.name, subject: t('privacy.data.pdf.subject') },
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER_SPACE },
  });
  const bytes = pdfBytes(pdf);
  drawLetterhead(pdf, doc.letterhead);
  drawHeading(
    pdf,
    [
      { text: t('privacy.data.pdf.heading'), size: 12, bold: true },
      { text: doc.fullName, size: 11, bold: true },
      { text: t('privacy.data.generated_at', { at: doc.view.generatedAt }), size: 9, grey: true },
    ],
    8,
  );
  drawLines(pdf, [t('privacy.data.pdf.intro')], 9);
  pdf.y += 4;
  await drawSection(pdf, {
    id: 'profil',
    title: t('privacy.data.profile'),
    empty: '',
    headers: [t('privacy.data.col.field'), t('privacy.data.col.value')],
    rows: doc.view.profile.map(({ label, value }) => [{ text: label }, { text: value }]),
  });
  const [signings, ...rest] = doc.view.tables;
  if (signings) await drawSection(pdf, signings);
  drawDrawings(pdf, doc.drawings, t);
  for (const table of rest) await drawSection(pdf, table);
  numberPages(pdf, {
    size: 8,
    fromBottom: MARGIN + 8,
    text: (page, pages) => t('pdf.page_of', { page, pages }),
  });
  pdf.end();
  return bytes;
}

// The house PDF kit (src/pdf/), read back with poppler as a reader's viewer shows it.
import { describe, expect, it } from 'vitest';
import {
  drawLetterhead,
  drawLines,
  numberPages,
  openPdf,
  type Pdf,
  pdfBytes,
} from '../../src/pdf/document.js';
import { drawTable, type PdfColumn } from '../../src/pdf/table.js';
import { popplerLines, popplerPageCount, popplerWords, type Word } from '../helpers/poppler.js';

const A4_WIDTH = 595.28;
const MARGIN = 40;

/** Draws a document with `draw` and returns its bytes. */
async function render(draw: (pdf: Pdf) => void | Promise<void>): Promise<Buffer> {
  const pdf = openPdf({
    info: { title: 'Uji', author: 'Ikrar' },
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + 24 },
  });
  const bytes = pdfBytes(pdf);
  await draw(pdf);
  pdf.end();
  return bytes;
}

const squash = (line: string) => line.replace(/\s+/g, ' ').trim();
const centreOf = (words: Word[]) => ((words[0]?.xMin ?? 0) + (words.at(-1)?.xMax ?? 0)) / 2;
const wordsOf = (words: Word[], text: string) => {
  const wanted = text.split(' ');
  const start = words.findIndex((_, i) => wanted.every((w, j) => words[i + j]?.text === w));
  return start < 0 ? [] : words.slice(start, start + wanted.length);
};

describe('drawLetterhead', () => {
  it('puts the name in capitals, the address and the contact line centred above what follows', async () => {
    const pdf = await render((doc) => {
      drawLetterhead(doc, {
        name: 'Pemerintah Kota Łódź',
        address: 'Jalan Pahlawan No. 9, Semarang',
        contact: 'Telp. (024) 8311174 · Email bkd@jatengprov.go.id',
      });
      drawLines(doc, ['Isi surat.']);
    });
    expect(popplerLines(pdf, 1).map(squash)).toEqual([
      // Letters the built-in fonts lack are folded: Ł → L, ź → z.
      'PEMERINTAH KOTA LÓDZ',
      'Jalan Pahlawan No. 9, Semarang',
      'Telp. (024) 8311174 · Email bkd@jatengprov.go.id',
      'Isi surat.',
    ]);
    const words = popplerWords(pdf, 1);
    for (const line of ['PEMERINTAH KOTA LÓDZ', 'Jalan Pahlawan No. 9, Semarang']) {
      expect(centreOf(wordsOf(words, line))).toBeCloseTo(A4_WIDTH / 2, 0);
    }
    const body = wordsOf(words, 'Isi surat.')[0];
    expect(body?.xMin).toBeCloseTo(MARGIN, 0);
  });

  it('leaves out a blank address and a missing contact line', async () => {
    const pdf = await render((doc) => {
      drawLetterhead(doc, { name: 'Ikrar', address: '  ' });
      drawLines(doc, ['Isi surat.']);
    });
    expect(popplerLines(pdf, 1).map(squash)).toEqual(['IKRAR', 'Isi surat.']);
  });
});

interface Row {
  name: string;
  note: string;
}

const COLUMNS: PdfColumn<Row>[] = [
  { header: 'No.', width: 30, align: 'right', text: (_, index) => String(index + 1) },
  { header: 'Unit kerja', width: 90, text: (row) => row.name },
  { header: 'Keterangan', width: 395, text: (row) => row.note },
];
const HEADER = 'No. Unit kerja Keterangan';
const rows = (count: number): Row[] =>
  Array.from({ length: count }, (_, i) => ({ name: `Unit ${i + 1}`, note: `catatan ${i + 1}` }));

describe('drawTable', () => {
  it('wraps a long cell within its column and keeps the row together', async () => {
    const name = 'Dinas Pendidikan dan Kebudayaan Provinsi Jawa Tengah';
    const pdf = await render((doc) =>
      drawTable(
        doc,
        COLUMNS,
        [
          { name, note: 'baris pertama' },
          { name: 'Biro Umum', note: 'baris kedua' },
        ],
        { empty: 'Kosong.' },
      ),
    );
    const words = popplerWords(pdf, 1);
    const cell = wordsOf(words, name);
    expect(cell.map((w) => w.text).join(' ')).toBe(name);
    // Inside the second column (40 + 30 … 40 + 120, less the cell padding), on several lines.
    for (const word of cell) {
      expect(word.xMin).toBeGreaterThanOrEqual(MARGIN + 30);
      expect(word.xMax).toBeLessThanOrEqual(MARGIN + 120);
    }
    const lineTops = [...new Set(cell.map((w) => Math.round(w.yMin)))];
    expect(lineTops.length).toBeGreaterThanOrEqual(3);
    // The row's other cells stand on its first line; the next row starts below its last.
    const first = wordsOf(words, 'baris pertama')[0];
    expect(first?.yMin).toBeCloseTo(cell[0]?.yMin ?? 0, 0);
    const next = wordsOf(words, 'Biro Umum')[0];
    expect(next?.yMin).toBeGreaterThan(Math.max(...cell.map((w) => w.yMin)));
    expect(popplerLines(pdf, 1).map(squash)[0]).toBe(HEADER);
  });

  it('repeats the header row at the top of every page it continues on, losing no row', async () => {
    const pdf = await render(async (doc) => {
      await drawTable(doc, COLUMNS, rows(150), { title: 'Daftar unit (150)', empty: 'Kosong.' });
      numberPages(doc, {
        size: 8,
        fromBottom: MARGIN + 8,
        text: (page, pages) => `Halaman ${page} dari ${pages}`,
      });
    });
    const pages = popplerPageCount(pdf);
    expect(pages).toBeGreaterThan(2);
    const seen: number[] = [];
    for (let page = 1; page <= pages; page++) {
      const lines = popplerLines(pdf, page).map(squash);
      // The title once, above the first header; every page's table starts with the header.
      expect(lines.slice(0, page === 1 ? 2 : 1)).toEqual(
        page === 1 ? ['Daftar unit (150)', HEADER] : [HEADER],
      );
      expect(lines.filter((line) => line === HEADER)).toHaveLength(1);
      expect(lines.at(-1)).toBe(`Halaman ${page} dari ${pages}`);
      for (const line of lines) {
        const row = /^(\d+) Unit (\d+) catatan (\d+)$/.exec(line);
        if (row) {
          expect(row[2]).toBe(row[1]);
          seen.push(Number(row[1]));
        }
      }
    }
    expect(seen).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
  });

  it('moves a title that would be left alone at the foot of a page to the next one, with its header', async () => {
    const pdf = await render(async (doc) => {
      drawLines(doc, ['Di atas tabel.']);
      doc.y = doc.page.maxY() - 20;
      await drawTable(doc, COLUMNS, rows(1), { title: 'Daftar unit (1)', empty: 'Kosong.' });
    });
    expect(popplerPageCount(pdf)).toBe(2);
    expect(popplerLines(pdf, 1).map(squash)).toEqual(['Di atas tabel.']);
    expect(popplerLines(pdf, 2).map(squash)).toEqual(['Daftar unit (1)', HEADER, '1 Unit 1 catatan 1']);
  });

  it('says so under the header when there are no rows', async () => {
    const pdf = await render((doc) => drawTable(doc, COLUMNS, [], { empty: 'Tidak ada unit kerja.' }));
    expect(popplerLines(pdf, 1).map(squash)).toEqual([HEADER, 'Tidak ada unit kerja.']);
  });

  it('lets other work run while a table of a few hundred rows is drawn', async () => {
    // A timer due at once stands for another request; it runs only if drawing pauses before it ends.
    let otherWorkRan = false;
    setTimeout(() => {
      otherWorkRan = true;
    }, 0);
    let ranBeforeTheEnd = false;
    const pause = () => new Promise<void>((resolve) => setImmediate(resolve));
    await render(async (doc) => {
      await drawTable(doc, COLUMNS, rows(499), { empty: 'Kosong.', pause });
      ranBeforeTheEnd = otherWorkRan;
    });
    expect(ranBeforeTheEnd).toBe(true);
  });
});

describe('numberPages', () => {
  it('writes "Halaman N dari M" centred at the foot of every page', async () => {
    const pdf = await render((doc) => {
      drawLines(doc, ['Satu.']);
      doc.addPage();
      drawLines(doc, ['Dua.']);
      doc.addPage();
      drawLines(doc, ['Tiga.']);
      numberPages(doc, {
        size: 8,
        fromBottom: MARGIN + 8,
        text: (page, pages) => `Halaman ${page} dari ${pages}`,
      });
    });
    expect(popplerPageCount(pdf)).toBe(3);
    for (const [i, body] of ['Satu.', 'Dua.', 'Tiga.'].entries()) {
      expect(popplerLines(pdf, i + 1).map(squash)).toEqual([body, `Halaman ${i + 1} dari 3`]);
      const footer = wordsOf(popplerWords(pdf, i + 1), `Halaman ${i + 1} dari 3`);
      expect(centreOf(footer)).toBeCloseTo(A4_WIDTH / 2, 0);
    }
  });
});

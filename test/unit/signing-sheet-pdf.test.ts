// The ceremony's signing sheet (src/paper/signing-sheet-pdf.ts), read back with poppler as a reader's viewer shows it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type SigningSheetDocument,
  type SigningSheetPerson,
  SMALL_UNIT,
  signingSheetPdf,
} from '../../src/paper/signing-sheet-pdf.js';
import { createTranslator, loadCatalogue, type Translate } from '../../src/web/i18n.js';

/** The texts the sheet asks for, as they are to be added to locales/id.json. */
const SHEET_TEXTS: Record<string, string> = {
  'paper.sheet.document_title': 'Lembar penandatanganan {title}',
  'paper.sheet.heading': 'LEMBAR PENANDATANGANAN PAKTA INTEGRITAS',
  'paper.sheet.version': 'Versi {version}',
  'paper.sheet.ceremony': 'Ikrar bersama: {date}, {place}',
  'paper.sheet.unit': 'Unit kerja: {unit} ({count} orang)',
  'paper.sheet.unit_continued': '{unit} (lanjutan)',
  'paper.sheet.no_people': 'Tidak ada pegawai yang wajib menandatangani di unit ini.',
  'paper.sheet.col.number': 'No.',
  'paper.sheet.col.name_nip': 'Nama / NIP',
  'paper.sheet.col.position': 'Jabatan',
  'paper.sheet.col.signature': 'Tanda Tangan',
  'paper.sheet.nip': 'NIP. {nip}',
  'paper.sheet.place_date': '{place}, {date}',
  'paper.sheet.acknowledged': 'Mengetahui,',
  'paper.sheet.page_footer': '{reference} · Halaman {page} dari {pages}',
};
const catalogue = { ...loadCatalogue('id'), ...SHEET_TEXTS };
const t = createTranslator(catalogue);

// The page as the document lays it out (A4, 40 pt margins, 24 pt more at the bottom for the footer).
const PAGE_HEIGHT = 841.89;
const BOTTOM = PAGE_HEIGHT - 64;
const COLUMN = { number: [40, 70], name: [70, 260], position: [260, 420], signature: [420, 556] } as const;
const REFERENCE = 'Pakta #3 v1 · Lembar 2026-12-07';

const PACT_BODY = `Dalam rangka menjaga **netralitas** Aparatur Sipil Negara, kami menyatakan:

1. Menjaga prinsip netralitas ASN sebelum, selama dan sesudah pemilihan.
2. Menolak politik uang dan segala jenis pemberian.`;

const LONG_NAME = 'Prof. Dr. Ir. Hj. Sri Wahyuningsih Kusumawardhani, S.T., M.Eng.';

const person = (overrides: Partial<SigningSheetPerson> = {}): SigningSheetPerson => ({
  fullName: 'Budi Santoso',
  nip: '19860926 201505 1 001',
  position: 'Analis Kepegawaian Ahli Muda',
  pangkat: 'Penata Tk. I, III/d',
  ...overrides,
});

function sheet(overrides: Partial<SigningSheetDocument> = {}): SigningSheetDocument {
  return {
    instanceName: 'Pemerintah Provinsi Jawa Tengah',
    instanceAddress: 'Jl. Pahlawan No. 9, Semarang',
    pactTitle: 'Pakta Integritas Netralitas ASN pada Pemilu dan Pemilihan Serentak 2024',
    pactVersion: 3,
    pactBody: PACT_BODY,
    ceremony: { dateText: '26 September 2023', place: 'Semarang' },
    units: [
      {
        name: 'Badan Kepegawaian Daerah',
        people: [
          person({ fullName: 'Sri Wahyuningsih', nip: '19860926 201505 2 001' }),
          person({ fullName: "Ahmad Ma'ruf Nur’aini", nip: '19790312 200501 1 004', pangkat: null }),
          person({ fullName: 'Agus Setiawan', nip: null, position: 'Pengadministrasi Umum', pangkat: null }),
        ],
      },
      {
        name: 'Dinas Kesehatan',
        people: [
          person({ fullName: 'Dewi Lestari', nip: '19900101 201801 2 003', position: 'Kepala Dinas' }),
          person({
            fullName: 'Rina Kartika',
            nip: '19920202 202001 2 005',
            position: 'Perawat Ahli Pertama',
          }),
        ],
      },
    ],
    acknowledgedBy: {
      title: 'Sekretaris Daerah Provinsi Jawa Tengah',
      name: 'Drs. Sumarno, M.M.',
      nip: '19671015 199303 1 008',
    },
    printedText: 'Dicetak oleh Ana Operator pada 7 Desember 2026 pukul 10.15 WIB',
    reference: REFERENCE,
    ...overrides,
  };
}

// --- Reading the PDF back with poppler, all pages at once ----------------------------------------------------

interface Word {
  text: string;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

function poppler(pdf: Buffer, args: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'ikrar-sheet-'));
  try {
    const file = join(dir, 'sheet.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', [...args, file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every page's printed lines (pdftotext -layout), spaces squashed, blank lines dropped. */
const pagesOfLines = (pdf: Buffer): string[][] =>
  poppler(pdf, ['-layout'])
    .split('\f')
    .slice(0, -1)
    .map((page) =>
      page
        .split('\n')
        .map((line) => line.replace(/\s+/g, ' ').trim())
        .filter((line) => line !== ''),
    );

const decode = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** Every page's words with their boxes (points from the top left corner). */
const pagesOfWords = (pdf: Buffer): Word[][] =>
  poppler(pdf, ['-bbox'])
    .split('<page ')
    .slice(1)
    .map((page) =>
      [
        ...page.matchAll(
          /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
        ),
      ].map((m) => ({
        xMin: Number(m[1]),
        yMin: Number(m[2]),
        xMax: Number(m[3]),
        yMax: Number(m[4]),
        text: decode(m[5] ?? ''),
      })),
    );

const within = (word: Word, [from, to]: readonly [number, number]) => word.xMin >= from && word.xMax <= to;
/** The words of one printed line: those starting at the same height. */
const sameLine = (a: Word, b: Word) => Math.abs(a.yMin - b.yMin) < 1;

/** The numbers in the No. column, in reading order down the pages. */
const isNumber = (w: Word) => within(w, COLUMN.number) && /^\d+(\.\d{3})*$/.test(w.text);
const numbersOf = (pages: Word[][]) => pages.flatMap((words) => words.filter(isNumber).map((w) => w.text));

// --- A sheet of 1,000 people, made once ----------------------------------------------------------------------

const FIRST = ['Agus', 'Budi', 'Citra', 'Dewi', 'Eko', 'Fajar', 'Gita', 'Hendra', 'Indah', 'Joko'];
const LAST = ['Santoso', 'Lestari', 'Wibowo', 'Kartika', 'Nugroho', 'Rahayu', 'Saputra', 'Wulandari'];
const POSITIONS = [
  'Analis Kepegawaian Ahli Muda',
  'Kepala Sub Bagian Umum dan Kepegawaian pada Sekretariat Daerah',
  'Pengadministrasi Umum',
];
const pad = (n: number, width: number) => String(n).padStart(width, '0');
/** Person k (from 0) of the big sheet: the last group of the NIP is k, so each row can be told apart. */
const numbered = (k: number): SigningSheetPerson => ({
  fullName: k === 500 ? LONG_NAME : `${FIRST[k % FIRST.length]} ${LAST[k % LAST.length]} ${pad(k, 4)}`,
  nip: `19860926 2015${pad(k % 100, 2)} 1 ${pad(k, 3)}`,
  position: POSITIONS[k % POSITIONS.length] ?? '',
  pangkat: k % 2 === 0 ? 'Penata Tk. I, III/d' : null,
});

describe('signingSheetPdf', () => {
  it('reads as a signing sheet: letterhead, title, version, ceremony, who printed it, the pact text', async () => {
    const pages = pagesOfLines(await signingSheetPdf(sheet(), t));
    expect(pages).toHaveLength(1);
    const lines = pages[0] ?? [];
    expect(lines.slice(0, 7)).toEqual([
      'PEMERINTAH PROVINSI JAWA TENGAH',
      'Jl. Pahlawan No. 9, Semarang',
      'LEMBAR PENANDATANGANAN PAKTA INTEGRITAS',
      'Pakta Integritas Netralitas ASN pada Pemilu dan Pemilihan Serentak 2024',
      'Versi 3',
      'Ikrar bersama: 26 September 2023, Semarang',
      'Dicetak oleh Ana Operator pada 7 Desember 2026 pukul 10.15 WIB',
    ]);
    const text = lines.join('\n');
    // Markdown as text: bold without its asterisks, the list with its numbers.
    expect(text).toContain('Dalam rangka menjaga netralitas Aparatur Sipil Negara, kami menyatakan:');
    expect(text).toContain('2. Menolak politik uang dan segala jenis pemberian.');
    expect(text).not.toContain('**');
    expect(text).toContain('Unit kerja: Badan Kepegawaian Daerah (3 orang)');
    expect(text).toContain('No. Nama / NIP Jabatan Tanda Tangan');
  });

  it('leaves the ceremony out when none is set, and dots to fill in above "Mengetahui,"', async () => {
    const pdf = await signingSheetPdf(
      sheet({
        ceremony: null,
        acknowledgedBy: { title: 'Kepala Badan Kepegawaian Daerah', name: null, nip: ' ' },
      }),
      t,
    );
    const lines = pagesOfLines(pdf).flat();
    expect(lines.join('\n')).not.toContain('Ikrar bersama');
    const at = lines.indexOf('Mengetahui,');
    expect(lines[at - 1]).toMatch(/^\.{10,}, \.{10,}$/);
    expect(lines[at + 1]).toBe('Kepala Badan Kepegawaian Daerah');
    expect(lines[at + 2]).toMatch(/^\(\.{10,}\)$/);
    expect(lines[at + 3]).toMatch(/^NIP\. \.{10,}$/);
  });

  it('ends with the "Mengetahui," block: the ceremony\'s place and date, the role, the name and NIP', async () => {
    const pdf = await signingSheetPdf(sheet(), t);
    const lines = pagesOfLines(pdf).flat();
    const at = lines.indexOf('Mengetahui,');
    expect(lines.slice(at - 1, at + 4)).toEqual([
      'Semarang, 26 September 2023',
      'Mengetahui,',
      'Sekretaris Daerah Provinsi Jawa Tengah',
      'Drs. Sumarno, M.M.',
      'NIP. 19671015 199303 1 008',
    ]);
    // Below the last row of the last table, at the right of the page.
    const words = pagesOfWords(pdf).at(-1) ?? [];
    const lastRow = words.find((w) => w.text === 'Kartika');
    const mengetahui = words.find((w) => w.text === 'Mengetahui,');
    expect(mengetahui?.yMin).toBeGreaterThan((lastRow?.yMin ?? Infinity) + 30);
    expect(mengetahui?.xMin).toBeGreaterThan(595.28 / 2);
  });

  it('lists every person with the grouped NIP on one line, position and pangkat, numbered from 1 in each unit', async () => {
    const pdf = await signingSheetPdf(sheet(), t);
    const lines = pagesOfLines(pdf).flat();
    const text = lines.join('\n');
    for (const name of [
      'Sri Wahyuningsih',
      "Ahmad Ma'ruf Nur’aini",
      'Agus Setiawan',
      'Dewi Lestari',
      'Rina Kartika',
    ]) {
      expect(lines.some((line) => line.startsWith(name) || line.includes(` ${name} `))).toBe(true);
    }
    for (const nip of ['19860926 201505 2 001', '19790312 200501 1 004', '19900101 201801 2 003']) {
      expect(text).toContain(`NIP. ${nip}`);
    }
    // Agus Setiawan has no NIP: no NIP line of his own (four people and the acknowledging official have one).
    expect(text.match(/NIP\. \d/g)).toHaveLength(5);
    expect(text).toContain('Pengadministrasi Umum');
    expect(text).toContain('Penata Tk. I, III/d');
    expect(text).toContain('Unit kerja: Dinas Kesehatan (2 orang)');
    const pages = pagesOfWords(pdf);
    expect(numbersOf(pages)).toEqual(['1', '2', '3', '1', '2']);
    // The signature box repeats the number: odd rows at its left, even rows in its middle.
    const box = pages.flat().filter((w) => within(w, COLUMN.signature) && /^\d+\.$/.test(w.text));
    expect(box.map((w) => w.text)).toEqual(['1.', '2.', '3.', '1.', '2.']);
    const [one, two] = box;
    expect((two?.xMin ?? 0) - (one?.xMin ?? 0)).toBeGreaterThan(50);
  });

  it('folds letters the built-in fonts lack and keeps apostrophes and Latin-1 accents', async () => {
    const units = [{ name: 'Biro Umum', people: [person({ fullName: 'Nguyễn Zulkarnaén Ma’ruf Łukasz' })] }];
    const text = pagesOfLines(await signingSheetPdf(sheet({ units }), t))
      .flat()
      .join('\n');
    expect(text).toContain('Nguyen Zulkarnaén Ma’ruf Lukasz');
  });

  it('never breaks a name, a word or a NIP inside itself: lines wrap at spaces only', async () => {
    const names = [
      LONG_NAME,
      'Siti Nur-Aisyah Rahmawati-Kusumaningrum Wijayakusuma, S.Kom., M.Kom.',
      // One word wider than the column at the usual size: printed smaller, whole.
      'Wahyuningsihkusumawardhaniputrirahmawati Dewi',
    ];
    const units = [
      {
        name: 'Sekretariat Daerah',
        people: names.map((fullName, i) =>
          person({
            fullName,
            nip: `19860926 201505 2 00${i}`,
            position:
              'Kepala Sub Bagian Perencanaan/Keuangan dan Evaluasi Pelaporan Kinerja pada Sekretariat DPRD',
          }),
        ),
      },
    ];
    const pdf = await signingSheetPdf(sheet({ units }), t);
    const words = pagesOfWords(pdf).flat();
    for (const [i, name] of names.entries()) {
      // Each word of the name is a whole word in the name column; read line by line, they give the name.
      const parts = name.split(' ');
      const found = parts.map((part) => words.find((w) => w.text === part && within(w, COLUMN.name)));
      expect(found.every(Boolean), name).toBe(true);
      const read = (found as Word[]).toSorted((a, b) => (sameLine(a, b) ? a.xMin - b.xMin : a.yMin - b.yMin));
      expect(read.map((w) => w.text).join(' ')).toBe(name);
      // The long names do wrap (so this checks where they wrap).
      if (i < 2) expect(new Set(read.map((w) => Math.round(w.yMin))).size).toBeGreaterThan(1);
      // The NIP's four groups on one line, in order.
      const nip = ['NIP.', '19860926', '201505', '2', `00${i}`];
      const start = words.findIndex(
        (w, j) => w.text === 'NIP.' && nip.every((part, k) => words[j + k]?.text === part),
      );
      expect(start, name).toBeGreaterThanOrEqual(0);
      const group = words.slice(start, start + nip.length);
      expect(group.every((w) => sameLine(w, group[0] as Word) && within(w, COLUMN.name))).toBe(true);
    }
    // No fragment of a word anywhere: every word of the positions is whole too.
    for (const part of ['Perencanaan/Keuangan', 'Kusumawardhani,', 'Nur-Aisyah', 'Rahmawati-Kusumaningrum']) {
      expect(words.some((w) => w.text === part)).toBe(true);
    }
  });

  it('starts a later unit of more than a handful of people on a new page; small units share one', async () => {
    const many = Array.from({ length: SMALL_UNIT + 1 }, (_, k) => numbered(k));
    const units = [
      { name: 'Biro Umum', people: many.slice(0, 2) },
      { name: 'Biro Hukum', people: many.slice(0, 2) },
      { name: 'Biro Organisasi', people: many },
      { name: 'Inspektorat', people: [] },
    ];
    const pages = pagesOfLines(await signingSheetPdf(sheet({ units }), t)).map((lines) => lines.join('\n'));
    expect(pages).toHaveLength(2);
    expect(pages[0]).toContain('Unit kerja: Biro Umum (2 orang)');
    expect(pages[0]).toContain('Unit kerja: Biro Hukum (2 orang)');
    expect(pages[0]).not.toContain('Biro Organisasi');
    expect(pages[1]).toMatch(/^Unit kerja: Biro Organisasi \(6 orang\)/);
    expect(pages[1]).toContain('Unit kerja: Inspektorat (0 orang)');
    expect(pages[1]).toContain('Tidak ada pegawai yang wajib menandatangani di unit ini.');
  });

  it('asks the translator only for texts it has', async () => {
    const asked = new Set<string>();
    const recording: Translate = (key, params) => {
      asked.add(key);
      return t(key, params);
    };
    await signingSheetPdf(sheet(), recording);
    await signingSheetPdf(sheet({ ceremony: null, units: [{ name: 'Kosong', people: [] }] }), recording);
    expect([...asked].filter((key) => !(key in catalogue))).toEqual([]);
    expect(Object.keys(SHEET_TEXTS).filter((key) => !asked.has(key))).toEqual([]);
  });

  describe('a sheet of 1,000 people', () => {
    let pdf: Buffer;
    let ms: number;
    let ticks: number;
    let lines: string[][];
    let words: Word[][];

    beforeAll(async () => {
      const people = Array.from({ length: 1000 }, (_, k) => numbered(k));
      ticks = 0;
      const timer = setInterval(() => {
        ticks += 1;
      }, 1);
      const start = performance.now();
      pdf = await signingSheetPdf(sheet({ units: [{ name: 'Sekretariat Daerah', people }] }), t);
      ms = performance.now() - start;
      clearInterval(timer);
      lines = pagesOfLines(pdf);
      words = pagesOfWords(pdf);
    }, 60_000);

    it('is made in reasonable time and size, letting other work run meanwhile', async ({ annotate }) => {
      const size = `${(pdf.length / 1024 / 1024).toFixed(2)} MB`;
      await annotate(`1,000 people: ${Math.round(ms)} ms, ${size}, ${lines.length} pages`);
      expect(ms).toBeLessThan(10_000);
      expect(pdf.length).toBeLessThan(4 * 1024 * 1024);
      // It yields to the event loop between rows (a timer fired while it drew).
      expect(ticks).toBeGreaterThan(0);
    });

    it('numbers every page "<reference> · Halaman N dari M" in its footer', () => {
      expect(lines.length).toBeGreaterThan(30);
      for (const [i, page] of lines.entries()) {
        expect(page.at(-1)).toBe(`${REFERENCE} · Halaman ${i + 1} dari ${lines.length}`);
      }
    });

    it('grows in pages with the people', async () => {
      const pagesFor = async (n: number) =>
        pagesOfLines(
          await signingSheetPdf(
            sheet({ units: [{ name: 'X', people: Array.from({ length: n }, (_, k) => numbered(k)) }] }),
            t,
          ),
        ).length;
      const [ten, hundred] = [await pagesFor(10), await pagesFor(100)];
      expect(ten).toBeLessThan(hundred);
      expect(hundred).toBeLessThan(lines.length);
      expect(lines[0]?.at(-1)).toBe(`${REFERENCE} · Halaman 1 dari ${lines.length}`);
    });

    it('lists everyone once, numbered 1 to 1.000, with the header and the unit repeated on every page', () => {
      expect(numbersOf(words)).toEqual(
        Array.from({ length: 1000 }, (_, k) => (k + 1).toLocaleString('id-ID')),
      );
      const text = lines.flat().join('\n');
      for (const k of [0, 1, 499, 500, 998, 999]) {
        const p = numbered(k);
        expect(text).toContain(`NIP. ${p.nip}`);
        if (k !== 500) expect(text).toContain(p.fullName);
      }
      for (const [i, page] of lines.entries()) {
        const table = page.find((line) => line.startsWith('No. Nama / NIP'));
        if (i < lines.length - 1 || page.some((line) => /^\d/.test(line))) {
          expect(table, `page ${i + 1}`).toBe('No. Nama / NIP Jabatan Tanda Tangan');
        }
        if (i > 0 && table) expect(page[0]).toBe('Sekretariat Daerah (lanjutan)');
      }
    });

    it('keeps every row whole on one page, above the footer', () => {
      for (const [p, page] of words.entries()) {
        const footer = page.filter((w) => w.yMin > BOTTOM);
        expect(footer.map((w) => w.text).join(' ')).toBe(
          `${REFERENCE} · Halaman ${p + 1} dari ${words.length}`,
        );
        for (const w of page.filter((w) => w.yMin <= BOTTOM))
          expect(w.yMax, w.text).toBeLessThanOrEqual(BOTTOM);
        // Each row's number, its name's first word, its NIP and the number in the signature box on this page, at
        // the row's top; the NIP within the row.
        const rows = page.filter(isNumber);
        for (const number of rows) {
          const k = Number(number.text.replace(/\./g, '')) - 1;
          const first = numbered(k).fullName.split(' ')[0];
          expect(page.some((w) => w.text === first && within(w, COLUMN.name) && sameLine(w, number))).toBe(
            true,
          );
          expect(
            page.some(
              (w) => w.text === `${number.text}.` && within(w, COLUMN.signature) && sameLine(w, number),
            ),
          ).toBe(true);
          const nip = page.find(
            (w) => w.text === pad(k, 3) && within(w, COLUMN.name) && w.yMin > number.yMin,
          );
          expect(nip, `row ${k + 1} on page ${p + 1}`).toBeDefined();
          expect((nip?.yMin ?? Infinity) - number.yMin).toBeLessThan(34);
        }
      }
    });
  });
});

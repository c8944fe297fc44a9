import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { UnitComplianceRow } from '../../src/compliance/compliance-repository.js';
import type { DetailRow } from '../../src/compliance/people-repository.js';
import {
  type PactCompliance,
  percentOf,
  summarise,
  type UnitCompliance,
} from '../../src/compliance/summary.js';
import { timeZone } from '../../src/core/time-zone.js';
import type { ReportExport } from '../../src/reports/exports/columns.js';
import { reportCsv, writeDetailCsv } from '../../src/reports/exports/csv.js';
import { writeReportPdf, writeUnitPeoplePdf } from '../../src/reports/exports/pdf.js';
import { writeReportXlsx, XLSX_DETAIL_LIMIT } from '../../src/reports/exports/xlsx.js';
import { DEFAULT_INSTANCE } from '../../src/settings/instance.js';
import { defaultTranslator } from '../../src/web/i18n.js';
import { unitRow } from '../helpers/compliance.js';
import { pageLines, pageTexts, pdfText, squash } from '../helpers/pdf.js';

const PACT_FOR_ROWS: PactCompliance['pact'] = {
  id: 1,
  title: 'Pakta',
  version: 1,
  audience: 'all',
  deadline: '2024-11-20T16:59:59.000Z',
  status: 'open',
  opensAt: '2024-11-01T00:00:00.000Z',
};

/** A unit's row as the report shows it, summarised by the same code the pages use. */
const unit = (
  unitId: number,
  fields: Partial<UnitComplianceRow>,
  required: number,
  signed: number,
): UnitCompliance =>
  summarise(PACT_FOR_ROWS, [unitRow({ unitId, members: required, membersSigned: signed, ...fields })])
    .units[0] as UnitCompliance;

/** The exports are written in the request's language; these tests read the Indonesian ones. */
const t = defaultTranslator();
const FORMULA_NAME = '=HYPERLINK("http://x")';

const report: ReportExport = {
  instance: {
    ...DEFAULT_INSTANCE,
    name: 'Pemerintah Provinsi Jawa Tengah',
    shortName: 'Jateng',
    address: 'Jalan Pahlawan No.9 Semarang 50243',
    email: 'bkd@jatengprov.go.id',
    phone: '(024) 8311174',
    place: 'Semarang',
    activationDays: 14,
    officialTitle: 'Sekretaris Daerah Provinsi Jawa Tengah',
    officialName: 'Drs. Sumarno, M.M.',
    officialNip: '196703151993031008',
  },
  pact: {
    id: 7,
    title: 'Pakta Integritas Netralitas ASN 2024',
    version: 2,
    audience: 'all',
    deadline: '2024-11-20T16:59:59.000Z',
    place: 'Semarang',
  },
  summary: { required: 3, signed: 2, unsigned: 1, percent: percentOf(2, 3) },
  units: [
    unit(
      1,
      { name: 'Dinas Pendidikan', headName: 'Dewi Lestari', lastSignedAt: '2024-11-05T03:15:00.000Z' },
      3,
      2,
    ),
    unit(2, { name: FORMULA_NAME, kind: 'kabupaten', headName: '+62 Budi' }, 0, 0),
    unit(3, { name: 'Biro Umum', kind: 'biro', lastSignedAt: '2024-11-04T20:30:00.000Z' }, 4, 4),
    unit(4, { name: 'Badan Kepegawaian Daerah', kind: 'badan' }, 7, 0),
  ],
  generatedAt: new Date('2024-11-10T02:05:00.000Z'),
  zone: timeZone('Asia/Jakarta'),
};
/** The same report made by an instance in Makassar (WITA, UTC+8). */
const witaReport: ReportExport = { ...report, zone: timeZone('Asia/Makassar') };

function detailRow(i: number): DetailRow {
  const signed = i % 3 !== 0;
  return {
    userId: i,
    fullName: i === 1 ? '-Siti Aminah' : `Pegawai ${i}`,
    nip: '198609262015051001',
    position: 'Analis Kebijakan',
    pangkat: i === 1 ? 'Penata, III/c' : null,
    email: `pegawai${i}@jatengprov.go.id`,
    unitCode: 'UNIT-1',
    unitName: i === 2 ? '@Dinas' : 'Dinas Pendidikan',
    signedAt: signed ? new Date(Date.UTC(2024, 10, 5, 3, 15) + i * 1000).toISOString() : null,
    receiptCode: signed ? 'ABCDEFGHJKLMNPQR' : null,
  };
}

async function* detailRows(count: number): AsyncGenerator<DetailRow> {
  for (let i = 1; i <= count; i++) yield detailRow(i);
}

/** A list of rows as the writers take them, one at a time from a query. */
async function* each(rows: DetailRow[]): AsyncGenerator<DetailRow> {
  yield* rows;
}

/** Runs a writer against a PassThrough and returns everything it wrote. */
async function collect(write: (out: PassThrough) => Promise<void>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  await write(out);
  return Buffer.concat(chunks);
}

const parseCsv = (text: string): string[][] => parse(text, { delimiter: ';', bom: true });

describe('reportCsv', () => {
  it('writes the unit table with the same numbers and formula cells neutralised', () => {
    const csv = reportCsv(report, t);
    expect(csv.startsWith('\ufeff')).toBe(true);
    const [header, ...rows] = parseCsv(csv);
    expect(header).toEqual([
      'Kode unit',
      'Unit kerja',
      'Jenis',
      'Kepala',
      'Wajib',
      'Sudah',
      'Belum',
      'Persentase',
      'Penandatanganan terakhir (WIB)',
    ]);
    expect(rows).toHaveLength(report.units.length);
    for (const [i, row] of rows.entries()) {
      const expected = report.units[i] as UnitCompliance;
      expect(row[0]).toBe(expected.code);
      expect(Number(row[4])).toBe(expected.required);
      expect(Number(row[5])).toBe(expected.signed);
      expect(Number(row[6])).toBe(expected.required - expected.signed);
      expect(row[7] === '' ? null : Number(row[7]?.replace(',', '.'))).toBe(expected.percent);
    }
    expect(rows[0]).toEqual([
      'UNIT-1',
      'Dinas Pendidikan',
      'Dinas',
      'Dewi Lestari',
      '3',
      '2',
      '1',
      '66,7',
      '2024-11-05 10:15:00',
    ]);
    expect(rows[1]?.[1]).toBe(`'${FORMULA_NAME}`);
    expect(rows[1]?.[2]).toBe('Kabupaten');
    expect(rows[1]?.[3]).toBe("'+62 Budi");
    expect(rows[1]?.[7]).toBe('');
    expect(rows[2]?.[8]).toBe('2024-11-05 03:30:00');
    expect(rows[3]?.slice(4, 8)).toEqual(['7', '0', '7', '0']);
  });
});

describe('writeDetailCsv', () => {
  it('streams one line per person', async () => {
    const buffer = await collect((out) => writeDetailCsv(detailRows(1200), out, report.zone, t));
    const [header, ...rows] = parseCsv(buffer.toString('utf8'));
    expect(header).toEqual([
      'Unit kerja',
      'Nama',
      'NIP',
      'Pangkat/golongan',
      'Jabatan',
      'Email',
      'Status',
      'Waktu tanda tangan (WIB)',
      'Kode tanda terima',
    ]);
    expect(rows).toHaveLength(1200);
    expect(rows[0]).toEqual([
      'Dinas Pendidikan',
      "'-Siti Aminah",
      '19860926 201505 1 001',
      'Penata, III/c',
      'Analis Kebijakan',
      'pegawai1@jatengprov.go.id',
      'Sudah',
      '2024-11-05 10:15:01',
      'ABCD-EFGH-JKLM-NPQR',
    ]);
    expect(rows[1]?.[0]).toBe("'@Dinas");
    expect(rows[2]?.slice(6)).toEqual(['Belum', '', '']);
  });

  it('gives the times of a WITA instance on Makassar clocks, and says so', async () => {
    const buffer = await collect((out) => writeDetailCsv(detailRows(1), out, witaReport.zone, t));
    const [header, row] = parseCsv(buffer.toString('utf8'));
    expect(header?.[7]).toBe('Waktu tanda tangan (WITA)');
    // 03:15:01 UTC is 11.15 in Makassar.
    expect(row?.[7]).toBe('2024-11-05 11:15:01');
    const [unitHeader, unitRow] = parseCsv(reportCsv(witaReport, t));
    expect(unitHeader?.[8]).toBe('Penandatanganan terakhir (WITA)');
    expect(unitRow?.[8]).toBe('2024-11-05 11:15:00');
  });
});

describe('writeReportXlsx', () => {
  it('writes a summary sheet and a detail sheet that read back as typed cells', async () => {
    const buffer = await collect((out) => writeReportXlsx(report, detailRows(30), out, t));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Ringkasan', 'Rincian']);

    const summary = workbook.getWorksheet('Ringkasan') as ExcelJS.Worksheet;
    expect(summary.getCell('A1').value).toBe(report.instance.name);
    expect(String(summary.getCell('A2').value)).toContain(report.pact.title);
    expect(summary.getCell('B4').value).toBe(3);
    expect(summary.getCell('B5').value).toBe(2);
    expect(summary.getCell('A6').value).toBe('Belum');
    expect(summary.getCell('B6').value).toBe(1);
    expect(summary.getCell('B7').numFmt).toBe('0.0%');
    expect((summary.getCell('B7').value as number) * 100).toBeCloseTo(66.7, 10);

    const headerRow = 9;
    expect(summary.views[0]).toMatchObject({ state: 'frozen', ySplit: headerRow });
    expect(summary.getRow(headerRow).getCell(1).value).toBe('Kode unit');
    expect(summary.getRow(headerRow).getCell(7).value).toBe('Belum');
    expect(summary.getRow(headerRow).getCell(9).value).toBe('Penandatanganan terakhir (WIB)');
    expect(summary.getRow(headerRow).getCell(1).font?.bold).toBe(true);
    expect(summary.getColumn(2).width).toBeGreaterThan(20);

    for (const [i, expected] of report.units.entries()) {
      const row = summary.getRow(headerRow + 1 + i);
      expect(row.getCell(1).value).toBe(expected.code);
      expect(row.getCell(5).value).toBe(expected.required);
      expect(row.getCell(6).value).toBe(expected.signed);
      expect(row.getCell(7).value).toBe(expected.required - expected.signed);
      const percent = row.getCell(8);
      if (expected.percent === null) expect(percent.value).toBeNull();
      else {
        expect(typeof percent.value).toBe('number');
        expect((percent.value as number) * 100).toBeCloseTo(expected.percent, 10);
        expect(percent.numFmt).toContain('%');
      }
    }
    const last = summary.getRow(headerRow + 1).getCell(9);
    expect(last.value).toBeInstanceOf(Date);
    // 03:15 UTC is 10:15 WIB, stored as the wall-clock time.
    expect((last.value as Date).toISOString()).toBe('2024-11-05T10:15:00.000Z');
    expect(last.numFmt).toBe('dd/mm/yyyy hh:mm');

    const formulaName = summary.getRow(headerRow + 2).getCell(2);
    expect(formulaName.type).toBe(ExcelJS.ValueType.String);
    expect(formulaName.value).toBe(FORMULA_NAME);
    expect(formulaName.formula).toBeUndefined();
    expect(summary.getRow(headerRow + 2).getCell(4).value).toBe('+62 Budi');

    const detail = workbook.getWorksheet('Rincian') as ExcelJS.Worksheet;
    expect(detail.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(detail.getCell('A1').value).toBe('Unit kerja');
    expect(detail.getCell('A1').font?.bold).toBe(true);
    expect(detail.actualRowCount).toBe(31);
    expect(detail.getCell('B2').value).toBe('-Siti Aminah');
    expect(detail.getCell('B2').type).toBe(ExcelJS.ValueType.String);
    expect(detail.getCell('C2').value).toBe('198609262015051001');
    expect(detail.getCell('D2').value).toBe('Penata, III/c');
    expect(detail.getCell('D3').value).toBeNull();
    expect(detail.getCell('G2').value).toBe('Sudah');
    expect(detail.getCell('H2').value).toBeInstanceOf(Date);
    expect((detail.getCell('H2').value as Date).toISOString()).toBe('2024-11-05T10:15:01.000Z');
    expect(detail.getCell('I2').value).toBe('ABCD-EFGH-JKLM-NPQR');
    expect(detail.getCell('G4').value).toBe('Belum');
    expect(detail.getCell('H4').value).toBeNull();
  });

  it('streams 50,000 detail rows without holding them in memory', async () => {
    const count = 50_000;
    const out = new PassThrough();
    let bytes = 0;
    // Keep only the size: the test measures the writer, not a copy of its output.
    out.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const sample = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 5);
    async function* sampled(): AsyncGenerator<DetailRow> {
      for await (const row of detailRows(count)) {
        if (row.userId % 1000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
        yield row;
      }
    }
    await writeReportXlsx(report, sampled(), out, t);
    clearInterval(sample);
    expect(bytes).toBeGreaterThan(100_000);
    expect(peak - before).toBeLessThan(150 * 1024 * 1024);
  }, 120_000);
});

describe('writeReportXlsx of a WITA instance', () => {
  it('stores Makassar wall-clock times and names the zone in the detail header', async () => {
    const buffer = await collect((out) => writeReportXlsx(witaReport, detailRows(1), out, t));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
    const summary = workbook.getWorksheet('Ringkasan') as ExcelJS.Worksheet;
    expect(summary.getCell('A3').value).toBe('Dicetak 10 November 2024 pukul 10.05 WITA');
    // 03:15 UTC is 11:15 WITA, stored as the wall-clock time.
    expect((summary.getRow(10).getCell(9).value as Date).toISOString()).toBe('2024-11-05T11:15:00.000Z');
    const detail = workbook.getWorksheet('Rincian') as ExcelJS.Worksheet;
    expect(detail.getCell('H1').value).toBe('Waktu tanda tangan (WITA)');
    expect((detail.getCell('H2').value as Date).toISOString()).toBe('2024-11-05T11:15:01.000Z');
  });
});

describe('writeReportXlsx beyond XLSX_DETAIL_LIMIT people', () => {
  it('keeps the summary and says where to find the people, without reading them', async () => {
    const national: ReportExport = {
      ...report,
      units: [
        unit(1, { name: 'Dinas Pendidikan' }, XLSX_DETAIL_LIMIT, 10),
        unit(2, { name: 'Biro Umum' }, 1, 1),
      ],
    };
    const untouched: AsyncIterable<DetailRow> = {
      [Symbol.asyncIterator]: () => {
        throw new Error('the people were read');
      },
    };
    const buffer = await collect((out) => writeReportXlsx(national, untouched, out, t));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Ringkasan', 'Rincian']);
    const detail = workbook.getWorksheet('Rincian') as ExcelJS.Worksheet;
    expect(detail.rowCount).toBe(1);
    expect(String(detail.getCell('A1').value)).toBe(
      'Rincian 200.001 orang terlalu besar untuk satu berkas (batas 200.000). Unduh rincian per unit dari halaman unit di laporan kepatuhan.',
    );
    // At the limit itself every person is listed.
    const atLimit = { ...national, units: [unit(1, { name: 'Dinas Pendidikan' }, XLSX_DETAIL_LIMIT, 10)] };
    const full = await collect((out) => writeReportXlsx(atLimit, detailRows(3), out, t));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(full as unknown as ExcelJS.Buffer);
    expect((book.getWorksheet('Rincian') as ExcelJS.Worksheet).rowCount).toBe(4);
  });
});

describe('writeReportPdf', () => {
  it('prints the letterhead, totals, table and page numbers', async () => {
    const pdf = await collect((out) => writeReportPdf(report, out, t));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf);
    expect(text).toContain(report.instance.name.toUpperCase());
    expect(text).toContain(report.instance.address);
    expect(text).toContain(report.pact.title);
    expect(text).toContain('Versi 2');
    expect(text).toContain('Dicetak 10 November 2024 pukul 09.05 WIB');
    expect(text).toContain('2 dari 3 (66,7%); belum: 1');
    expect(text).toContain('Halaman 1 dari 1');
    expect(text).toContain('Dinas Pendidikan');
    expect(text).toContain('Kode unit');
    expect(text).toContain('05/11/2024 10.15 WIB');
  });

  it('prints the times of a WITA instance in WITA', async () => {
    const text = pdfText(await collect((out) => writeReportPdf(witaReport, out, t)));
    expect(text).toContain('Dicetak 10 November 2024 pukul 10.05 WITA');
    expect(text).toContain('05/11/2024 11.15 WITA');
    expect(text).not.toContain('WIB');
  });

  it('repeats the table header on every page', async () => {
    const many = {
      ...report,
      units: Array.from({ length: 120 }, (_, i) =>
        unit(i + 1, { name: `Unit Kerja Nomor ${i + 1}` }, 10, i % 11),
      ),
    };
    const pdf = await collect((out) => writeReportPdf(many, out, t));
    const text = pdfText(pdf);
    const pages = Number(/Halaman 1 dari (\d+)/.exec(text)?.[1]);
    expect(pages).toBeGreaterThan(1);
    // Every page with rows on it starts with the header (the last may hold only the closing block).
    const withRows = pageTexts(pdf).filter((page) => page.includes('Unit Kerja Nomor'));
    expect(withRows.length).toBeGreaterThan(1);
    for (const page of withRows) expect(squash(page).split('Kode unit').length - 1).toBe(1);
    expect(text).toContain(`Halaman ${pages} dari ${pages}`);
    expect(text).toContain('Unit Kerja Nomor 120');
  });

  it("prints 'Belum' beside 'Wajib' and 'Sudah', in each unit's row", async () => {
    const text = pdfText(await collect((out) => writeReportPdf(report, out, t)));
    expect(text).toContain('Wajib Sudah Belum Persentase');
    expect(text).toContain('Badan Kepegawaian Daerah Badan 7 0 7 0%');
    expect(text).toContain('Dewi Lestari 3 2 1 66,7%');
  });

  it('keeps every unit code and word whole, however long the names beside them', async () => {
    const codes = ['DISKOMINFO', 'BAPPEDALITBANG', 'SATPOLPPDAMKAR', 'KAB-KARANGANYAR'];
    const wide: ReportExport = {
      ...report,
      units: codes.map((code, i) =>
        unit(
          i + 1,
          {
            code,
            name: `Dinas Komunikasi, Informatika, Statistik dan Persandian Kabupaten Karanganyar ${i + 1}`,
            headName: 'Dr. Ir. Bambang Setiawan Wicaksono Prawiranegara, M.Eng., M.Sc.',
            lastSignedAt: '2024-11-05T03:15:00.000Z',
          },
          1969,
          1000,
        ),
      ),
    };
    const pdf = await collect((out) => writeReportPdf(wide, out, t));
    const lines = pageLines(pdf)
      .flat()
      .map((line) => line.text);
    for (const code of codes) {
      // The code is one piece of text on its line (a broken 'DISKOMINF O' puts the 'O' on the next line).
      expect(lines.some((line) => line.split(' ').includes(code))).toBe(true);
    }
    const words = new Set(lines.flatMap((line) => line.split(' ')));
    for (const word of ['Persandian', 'Karanganyar', 'Prawiranegara,', 'Penandatanganan', '1.969', '50,8%']) {
      expect(words).toContain(word);
    }
  });

  it("ends with the 'Mengetahui,' block of the signing official set in the settings", async () => {
    const pages = pageTexts(await collect((out) => writeReportPdf(report, out, t))).map(squash);
    const last = pages.at(-1) ?? '';
    const closing = last.slice(last.indexOf('Semarang, 10 November 2024'));
    expect(closing).toMatch(
      /^Semarang, 10 November 2024 Mengetahui, Sekretaris Daerah Provinsi Jawa Tengah Drs\. Sumarno, M\.M\. NIP\. 19670315 199303 1 008/,
    );
    // Below the table, not above it.
    expect(last.indexOf('Mengetahui,')).toBeGreaterThan(last.indexOf('Badan Kepegawaian Daerah'));

    // Not yet set: lines to fill in by hand.
    const blank: ReportExport = {
      ...report,
      instance: { ...report.instance, officialTitle: '', officialName: '', officialNip: '' },
    };
    const text = pdfText(await collect((out) => writeReportPdf(blank, out, t)));
    expect(text).toMatch(/Mengetahui, \(\.{44}\) NIP\. \.{36}/);
  });
});

describe('writeUnitPeoplePdf', () => {
  const dinas = report.units[0] as UnitCompliance;
  const unitReport: ReportExport = {
    ...report,
    summary: dinas,
    units: [dinas],
  };
  const person = (i: number, fields: Partial<DetailRow> = {}): DetailRow => ({
    ...detailRow(i),
    fullName: `Pegawai Uji ${i}`,
    ...fields,
  });

  it("prints the unit's totals, then who has not signed and who has", async () => {
    const people = [
      person(1, {
        fullName: 'Agus Salim',
        signedAt: null,
        receiptCode: null,
        email: 'agus@jatengprov.go.id',
      }),
      person(2, {
        fullName: 'Dewi Lestari',
        signedAt: '2024-11-05T03:15:00.000Z',
        receiptCode: 'ABCDEFGHJKLMNPQR',
      }),
      person(3, {
        fullName: 'Sri Wahyuni',
        nip: '199001012020122003',
        signedAt: '2024-11-06T17:30:00.000Z',
        receiptCode: 'QRSTUVWXYZ234567',
      }),
    ];
    const pdf = await collect((out) => writeUnitPeoplePdf(unitReport, each(people), out, t));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf);
    expect(text).toContain(report.instance.name.toUpperCase());
    expect(text).toContain(report.pact.title);
    expect(text).toContain('Dicetak 10 November 2024 pukul 09.05 WIB');
    expect(text).toContain('2 dari 3 (66,7%); belum: 1');
    // The totals row of the unit.
    expect(text).toContain('Kode unit');
    expect(text).toContain('UNIT-1 Dinas Pendidikan');
    expect(text).toContain('Halaman 1 dari 1');

    const outstanding = text.slice(
      text.indexOf('Belum menandatangani (1)'),
      text.indexOf('Sudah menandatangani (2)'),
    );
    expect(outstanding).toContain('No. Nama NIP Jabatan Email');
    expect(outstanding).toContain(
      '1 Agus Salim 19860926 201505 1 001 Analis Kebijakan agus@jatengprov.go.id',
    );
    expect(outstanding).not.toContain('Dewi Lestari');

    const signed = text.slice(text.indexOf('Sudah menandatangani (2)'));
    expect(text.indexOf('Sudah menandatangani (2)')).toBeGreaterThan(
      text.indexOf('Belum menandatangani (1)'),
    );
    expect(signed).toContain('Kode tanda terima');
    expect(signed).toContain('1 Dewi Lestari 19860926 201505 1 001');
    expect(signed).toContain('05/11/2024 10.15 WIB ABCD-EFGH-JKLM-NPQR');
    // 17:30 UTC is half past midnight the next day in WIB.
    expect(signed).toContain('2 Sri Wahyuni 19900101 202012 2 003');
    expect(signed).toContain('07/11/2024 00.30 WIB QRST-UVWX-YZ23-4567');
    expect(signed).not.toContain('Agus Salim');
  });

  it('lists a person whose signature was voided as not signed, and says when a list is empty', async () => {
    // The detail rows join valid signatures only: a voided signer comes with no time and no code.
    const voided = [person(1, { fullName: 'Budi Santoso', signedAt: null, receiptCode: null })];
    const text = pdfText(await collect((out) => writeUnitPeoplePdf(unitReport, each(voided), out, t)));
    expect(text).toContain('Belum menandatangani (1)');
    expect(text).toContain('1 Budi Santoso');
    expect(text).toContain('Sudah menandatangani (0)');
    expect(text).toContain('Belum ada yang menandatangani.');
    expect(text).not.toContain('Semua yang wajib sudah menandatangani.');

    const none = pdfText(await collect((out) => writeUnitPeoplePdf(unitReport, each([]), out, t)));
    expect(none).toContain('Belum menandatangani (0)');
    expect(none).toContain('Semua yang wajib sudah menandatangani.');
    expect(none).toContain('Sudah menandatangani (0)');
    expect(none).toContain('Belum ada yang menandatangani.');
  });

  it('repeats the column header on every page of a long list', async () => {
    async function* many(): AsyncGenerator<DetailRow> {
      for (let i = 1; i <= 1500; i++) {
        yield person(
          i,
          i <= 1000
            ? { signedAt: null, receiptCode: null }
            : { signedAt: '2024-11-05T03:15:00.000Z', receiptCode: 'ABCDEFGHJKLMNPQR' },
        );
      }
    }
    const pdf = await collect((out) => writeUnitPeoplePdf(unitReport, many(), out, t));
    const pages = pageTexts(pdf).map(squash);
    expect(pages.length).toBeGreaterThan(2);
    const text = pages.join(' ');
    expect(text).toContain('Belum menandatangani (1.000)');
    expect(text).toContain('Sudah menandatangani (500)');
    expect(text).toContain(`Halaman 2 dari ${pages.length}`);
    expect(text).toContain(`Halaman ${pages.length} dari ${pages.length}`);
    expect(text).toContain('1.000 Pegawai Uji 1000');
    expect(text).toContain('500 Pegawai Uji 1500');
    // Every page after the first continues a table under its header: outstanding first, then signed.
    const outstandingHeader = 'No. Nama NIP Jabatan Email';
    const signedPages = pages.filter((page) => page.includes('Kode tanda terima'));
    expect(signedPages.length).toBeGreaterThan(1);
    for (const page of pages.slice(1)) {
      expect(page.includes(outstandingHeader) || page.includes('Kode tanda terima')).toBe(true);
    }
    expect(pages.filter((page) => page.includes(outstandingHeader)).length).toBeGreaterThan(1);
    // Each page holds one header per table on it, never a page of rows without one.
    for (const page of pages) {
      const rows = page.match(/Pegawai Uji \d+/g) ?? [];
      if (rows.length > 0) expect(page).toMatch(/No\. Nama NIP Jabatan (Email|Waktu)/);
    }
  });
});

import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { normaliseHeader } from '../../src/directory/roster/grid.js';
import { cellText } from '../../src/directory/roster/read-xlsx.js';
import { checkInflatedSize } from '../../src/directory/roster/xlsx-zip.js';
import { readSheet } from '../helpers/roster-sheet.js';
import { workbookParts, zipOf } from '../helpers/zip.js';

// What Excel stores for an 18-digit NIP typed as a number: the nearest double, its last digits lost.
const NIP_AS_NUMBER = Number('198609262015051001');

const ok = async (data: Buffer | string) => {
  const result = await readSheet(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  if (!result.ok) throw new Error(`expected a roster, got ${result.problem}`);
  return result;
};
const problem = async (data: Buffer | string) => {
  const result = await readSheet(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  if (result.ok) throw new Error('expected a problem');
  return { problem: result.problem, params: result.params };
};

async function xlsx(rows: ExcelJS.CellValue[][], extraSheet = false): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Data');
  for (const row of rows) sheet.addRow(row);
  if (extraSheet) workbook.addWorksheet('Kedua').addRow(['tidak', 'dibaca']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('parseRoster: CSV', () => {
  it('reads a comma-separated file with its header and row numbers as a spreadsheet shows them', async () => {
    const result = await ok('nip,nama,kode_unit\n1,Ani,A\n\n2,Budi,B\n');
    expect(result.format).toBe('csv');
    expect(result.sheet).toEqual({
      headers: ['nip', 'nama', 'kode_unit'],
      columns: ['nip', 'nama', 'kode_unit'],
      rows: [
        { line: 2, cells: ['1', 'Ani', 'A'] },
        { line: 4, cells: ['2', 'Budi', 'B'] },
      ],
    });
  });

  it('detects the separator from the header line, ignoring separators inside quotes', async () => {
    expect((await ok('nip;nama;kode_unit\n1;"A, B";X\n')).sheet.rows[0]?.cells).toEqual(['1', 'A, B', 'X']);
    expect((await ok('nip,nama,kode_unit,jabatan\n1,"A; B",X,"a;b"\n')).sheet.rows[0]?.cells).toEqual([
      '1',
      'A; B',
      'X',
      'a;b',
    ]);
    expect((await ok('nip\tnama\tkode_unit\n1\tAni\tA\n')).sheet.rows[0]?.cells).toEqual(['1', 'Ani', 'A']);
  });

  it('accepts a byte order mark, CRLF, quoted line breaks and trims cells and headers', async () => {
    const result = await ok('\ufeff NIP ;Nama (wajib);Kode-Unit\r\n 1 ;"Ani\r\nB";A\r\n3;C;D\r\n');
    expect(result.sheet.headers).toEqual(['NIP', 'Nama (wajib)', 'Kode-Unit']);
    expect(result.sheet.rows).toEqual([
      { line: 2, cells: ['1', 'Ani\r\nB', 'A'] },
      { line: 3, cells: ['3', 'C', 'D'] },
    ]);
  });

  it('normalises header names: case, spaces, hyphens and a trailing explanation', () => {
    expect(normaliseHeader(' Kode Unit ')).toBe('kode_unit');
    expect(normaliseHeader('KODE-UNIT')).toBe('kode_unit');
    expect(normaliseHeader('jenis (PNS/PPPK)')).toBe('jenis');
  });

  it('keeps formulas as the text they are', async () => {
    const result = await ok('nip,nama,kode_unit\n1,"=HYPERLINK(""http://x"",""y"")",+A1\n');
    expect(result.sheet.rows[0]?.cells).toEqual(['1', '=HYPERLINK("http://x","y")', '+A1']);
  });

  it('marks a row with values beyond the header, and ignores an `alasan` column and empty unnamed columns', async () => {
    const result = await ok('nip,nama,kode_unit,,alasan\n1,A,X,,Baris 2: salah\n2,B,Y,,,lebih\n');
    expect(result.sheet.columns).toEqual(['nip', 'nama', 'kode_unit']);
    expect(result.sheet.rows).toEqual([
      { line: 2, cells: ['1', 'A', 'X'] },
      { line: 3, cells: ['2', 'B', 'Y'], problem: 'extra_cells' },
    ]);
  });

  it('reads the first of two SIASN columns that say the same, and names the SIASN column that is missing', async () => {
    const read = await ok(
      'NIP_BARU,NAMA,JENIS_PEGAWAI,JENIS_PEGAWAI_NAMA,UNOR_NAMA\n1,Ani,PNS,Pegawai Negeri,Dinas\n',
    );
    expect(read.sheet).toMatchObject({
      headers: ['NIP_BARU', 'NAMA', 'JENIS_PEGAWAI', 'UNOR_NAMA'],
      columns: ['nip', 'nama', 'jenis', 'unit_nama'],
      ignored: ['JENIS_PEGAWAI_NAMA'],
      rows: [{ line: 2, cells: ['1', 'Ani', 'PNS', 'Dinas'] }],
    });
    expect(await problem('NIP_BARU,JABATAN_NAMA\n1,Analis\n')).toEqual({
      problem: 'missing_columns',
      params: { columns: 'NAMA, UNOR_NAMA' },
    });
  });

  it('names what is wrong with the header', async () => {
    expect(await problem('nip,nama,kode_unit,golongan,Eselon\n1,a,b,c,d\n')).toEqual({
      problem: 'unknown_columns',
      params: { columns: 'golongan, Eselon' },
    });
    expect(await problem('nip,jabatan\n1,a\n')).toEqual({
      problem: 'missing_columns',
      params: { columns: 'nama, kode_unit' },
    });
    // The headers as the file writes them, so that the person finds them.
    expect(await problem('nip,nama,Nama,kode_unit\n1,a,b,c\n')).toEqual({
      problem: 'duplicate_columns',
      params: { columns: 'nama, Nama' },
    });

    expect(await problem('nip,nama,,kode_unit\n1,a,b,c\n')).toEqual({
      problem: 'unnamed_column',
      params: { column: 3 },
    });
    expect((await problem('nip,nama,kode_unit\n')).problem).toBe('no_rows');
  });

  it('refuses empty, binary, non-UTF-8 and malformed files', async () => {
    expect((await problem('')).problem).toBe('empty');
    expect((await problem(' \r\n\n')).problem).toBe('empty');
    expect((await problem(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]))).problem).toBe(
      'not_text',
    );
    // "Bekasi, Jawa Barat" saved as Windows-1252 with an é: not UTF-8.
    expect((await problem(Buffer.from('nip,nama,kode_unit\n1,Ren\xe9,X\n', 'latin1'))).problem).toBe(
      'not_text',
    );
    expect((await problem('nip,nama\0,kode_unit\n')).problem).toBe('not_text');
    expect(await problem('nip,nama,kode_unit\n1,"Ani,X\n2,B,C\n')).toEqual({
      problem: 'malformed_csv',
      params: { line: 3 },
    });
    expect(
      (
        await problem(
          Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(64)]),
        )
      ).problem,
    ).toBe('xls');
  });

  it('refuses more than 100 000 rows', async () => {
    const lines = ['nip,nama,kode_unit', ...Array.from({ length: 100_001 }, (_, i) => `${i},N,X`)];
    expect(await problem(lines.join('\n'))).toEqual({ problem: 'too_many_rows', params: { max: 100_000 } });
  });
});

describe('parseRoster: XLSX', () => {
  it('refuses a sheet whose row numbers repeat or go back, which the preview and the confirm rely on', async () => {
    const parts = workbookParts(
      ['nip', 'nama', 'kode_unit', '1', 'Ani', 'A', '2', 'Budi'],
      [
        [0, 1, 2],
        [3, 4, 5],
        [6, 7, 5],
      ],
    );
    const sheet = parts['xl/worksheets/sheet1.xml'] as string;
    for (const [from, to] of [
      ['<row r="3">', '<row r="2">'],
      ['<row r="3">', '<row r="1">'],
    ] as const) {
      const file = zipOf({ ...parts, 'xl/worksheets/sheet1.xml': sheet.replace(from, to) });
      expect(await problem(file)).toEqual({ problem: 'malformed_xlsx', params: undefined });
    }
    expect((await ok(zipOf(parts))).sheet.rows.map((row) => row.line)).toEqual([2, 3]);
  });

  it('reads the first sheet as text: formulas by their result, hyperlinks by their text', async () => {
    const file = await xlsx(
      [
        ['NIP', 'Nama', 'Kode Unit', 'Jabatan'],
        ['198609262015051001', { formula: 'HYPERLINK("http://x","Ani")', result: 'Ani' }, 'A', '=SUM(1)'],
        [],
        ['2', { text: 'Budi', hyperlink: 'http://x' }, { richText: [{ text: 'B' }, { text: 'X' }] }, 7],
      ],
      true,
    );
    const result = await ok(file);
    expect(result.format).toBe('xlsx');
    expect(result.sheet.columns).toEqual(['nip', 'nama', 'kode_unit', 'jabatan']);
    expect(result.sheet.rows).toEqual([
      { line: 2, cells: ['198609262015051001', 'Ani', 'A', '=SUM(1)'] },
      { line: 4, cells: ['2', 'Budi', 'BX', '7'] },
    ]);
  });

  it('flags a NIP that Excel keeps as a number (its last digits are lost)', async () => {
    const result = await ok(
      await xlsx([
        ['nip', 'nama', 'kode_unit'],
        [NIP_AS_NUMBER, 'Ani', 'A'],
      ]),
    );
    expect(result.sheet.rows[0]?.problem).toBe('nip_number');
  });

  it('refuses a malformed, truncated or non-Excel zip', async () => {
    const good = await xlsx([
      ['nip', 'nama', 'kode_unit'],
      ['1', 'A', 'B'],
    ]);
    expect((await problem(good.subarray(0, Math.floor(good.length / 2)))).problem).toBe('malformed_xlsx');
    expect(
      (await problem(Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.alloc(500, 1)]))).problem,
    ).toBe('malformed_xlsx');
    // A zip without xl/workbook.xml (here: the xlsx with that entry renamed in place).
    const renamed = Buffer.from(good);
    let at = renamed.indexOf('xl/workbook.xml');
    while (at >= 0) {
      renamed.write('xl/wurkbook.xml', at, 'latin1');
      at = renamed.indexOf('xl/workbook.xml');
    }
    expect((await problem(renamed)).problem).toBe('not_xlsx');
  });

  it('refuses an empty workbook', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Kosong');
    expect((await problem(Buffer.from(await workbook.xlsx.writeBuffer()))).problem).toBe('empty');
  });
});

describe('cellText', () => {
  it('turns every kind of cell value into text', () => {
    expect(cellText(null)).toEqual({ text: '' });
    expect(cellText('=1+1')).toEqual({ text: '=1+1' });
    expect(cellText(12)).toEqual({ text: '12' });
    expect(cellText(2.5)).toEqual({ text: '2.5' });
    expect(cellText(NIP_AS_NUMBER)).toEqual({ text: '198609262015051000', inexact: true });
    expect(cellText(true)).toEqual({ text: 'TRUE' });
    expect(cellText(new Date(Date.UTC(2024, 0, 31)))).toEqual({ text: '2024-01-31' });
    expect(cellText({ formula: 'A1', result: 'hasil' })).toEqual({ text: 'hasil' });
    expect(cellText({ formula: 'A1' } as ExcelJS.CellValue)).toEqual({ text: '' });
    expect(cellText({ sharedFormula: 'A1', result: 3 } as ExcelJS.CellValue)).toEqual({ text: '3' });
    expect(cellText({ error: '#N/A' } as ExcelJS.CellValue)).toEqual({ text: '#N/A' });
  });
});

describe('parseRoster: files built to exhaust the server', () => {
  it('refuses a CSV wider than any roster, before working on its cells', async () => {
    expect(await problem(`nip,nama,kode_unit${','.repeat(200_000)}\n1,A,B\n`)).toEqual({
      problem: 'too_many_columns',
      params: { max: 100 },
    });
  });

  it('reads a file of blank lines as just its rows', async () => {
    const result = await ok(`nip,nama,kode_unit\n${'\n'.repeat(300_000)}1,Ani,A\n`);
    expect(result.sheet.rows).toEqual([{ line: 300_002, cells: ['1', 'Ani', 'A'] }]);
  });

  it('refuses an XLSX with a cell far to the right', async () => {
    const row: ExcelJS.CellValue[] = ['1', 'Ani', 'A'];
    row[16_383] = 'x';
    expect(await problem(await xlsx([['nip', 'nama', 'kode_unit'], row]))).toMatchObject({
      problem: 'too_many_columns',
    });
  });
});

describe('parseRoster: cells longer than their column allows', () => {
  const header = 'nip,nama,jabatan,kode_unit,email,jenis,kepala';
  const limits = { nip: 40, nama: 150, jabatan: 200, kode_unit: 40, email: 254, jenis: 20, kepala: 20 };

  it('accepts each column up to its limit and refuses one character more, naming the row and column', async () => {
    for (const [column, max] of Object.entries(limits)) {
      const row = (length: number) =>
        header
          .split(',')
          .map((name) => (name === column ? 'x'.repeat(length) : '1'))
          .join(',');
      expect((await ok(`${header}\n${row(max)}\n`)).sheet.rows).toHaveLength(1);
      expect(await problem(`${header}\n${row(1)}\n${row(max + 1)}\n`)).toEqual({
        problem: 'cell_too_long',
        params: { line: 3, column, max },
      });
    }
  });

  it('holds a header, an `alasan` cell and a cell beyond the header to limits of their own, by column number', async () => {
    expect(await problem(`nip,nama,kode_unit,${'h'.repeat(101)}\n1,A,B,\n`)).toEqual({
      problem: 'cell_too_long',
      params: { line: 1, column: 4, max: 100 },
    });
    expect(await problem(`nip,nama,kode_unit,alasan\n\n1,A,B,${'a'.repeat(1001)}\n`)).toEqual({
      problem: 'cell_too_long',
      params: { line: 3, column: 4, max: 1000 },
    });
    expect(await problem(`nip,nama,kode_unit\n1,A,B,${'a'.repeat(1001)}\n`)).toEqual({
      problem: 'cell_too_long',
      params: { line: 2, column: 4, max: 1000 },
    });
  });

  it('stops reading at a 19 MB cell, without holding it', async () => {
    const started = performance.now();
    expect(await problem(`nip,nama,kode_unit\n1,"${'a'.repeat(19_000_000)}",X\n`)).toEqual({
      problem: 'cell_too_long',
      params: { line: 2, column: 'nama', max: 150 },
    });
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('refuses a small XLSX whose rows repeat long strings into more text than an import may keep', async () => {
    // Every row the same seven cells, each as long as its column allows: 745 bytes a row once stored, 46,000 rows.
    const cells = Object.entries(limits).map(([, max]) => 'x'.repeat(max));
    const file = zipOf(
      workbookParts(
        [...Object.keys(limits), ...cells],
        [[0, 1, 2, 3, 4, 5, 6], ...Array.from({ length: 46_000 }, () => [7, 8, 9, 10, 11, 12, 13])],
      ),
    );
    expect(file.length).toBeLessThan(2 * 1024 * 1024);
    expect(await problem(file)).toEqual({ problem: 'too_much_text', params: { max: 32 } });
  });

  it('reads an XLSX cell by cell under the same limits', async () => {
    const file = zipOf(
      workbookParts(
        ['nip', 'nama', 'kode_unit', '1', 'Ani', 'A', 'n'.repeat(151)],
        [
          [0, 1, 2],
          [3, 4, 5],
          [3, 6, 5],
        ],
      ),
    );
    expect(await problem(file)).toEqual({
      problem: 'cell_too_long',
      params: { line: 3, column: 'nama', max: 150 },
    });
  });

  it('refuses an XLSX whose shared strings unpack past what any roster needs, before reading them', async () => {
    // 70 million characters in one shared string: 70 kB zipped.
    const file = zipOf(
      workbookParts(
        ['nip', 'nama', 'kode_unit', 'x'.repeat(70_000_000)],
        [
          [0, 1, 2],
          [3, 3, 3],
        ],
      ),
    );
    expect(file.length).toBeLessThan(200_000);
    const heapBefore = process.memoryUsage().heapUsed;
    expect((await problem(file)).problem).toBe('xlsx_too_large');
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(50 * 1024 * 1024);
  });
});

describe('parseRoster: our own rejected-rows file uploaded again', () => {
  it("drops the ' that neutralised a formula-like cell, and keeps other apostrophes", async () => {
    const result = await ok("nip,nama,jabatan,kode_unit\n1,Ani,'-,A\n2,D'Costa,'=1+1,B\n");
    expect(result.sheet.rows.map((row) => row.cells)).toEqual([
      ['1', 'Ani', '-', 'A'],
      ['2', "D'Costa", '=1+1', 'B'],
    ]);
  });
});

describe('checkInflatedSize: a zip that lies about its sizes', () => {
  /** One zip entry as a local header and deflated data, with whatever sizes the header claims. */
  const entry = (name: string, content: Buffer, claimedSize: number) => {
    const data = deflateRawSync(content);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(8, 8); // deflate
    header.writeUInt32LE(data.length, 18);
    header.writeUInt32LE(claimedSize, 22);
    header.writeUInt16LE(Buffer.byteLength(name), 26);
    return Buffer.concat([header, Buffer.from(name), data]);
  };

  const limits = (total: number, part = total) => ({ total, part });

  it('measures what the entries really inflate to, whatever their headers claim', async () => {
    const bomb = entry('xl/worksheets/sheet1.xml', Buffer.alloc(2 * 1024 * 1024), 1000);
    await expect(checkInflatedSize(bomb, limits(1024 * 1024))).rejects.toThrow('xlsx_too_large');
  });

  it('accepts entries within the budget, one after another', async () => {
    const fine = Buffer.concat([
      entry('a.xml', Buffer.alloc(1000, 1), 1000),
      entry('b.xml', Buffer.alloc(2000, 2), 2000),
    ]);
    await expect(checkInflatedSize(fine, limits(10_000))).resolves.toBeUndefined();
    await expect(checkInflatedSize(fine, limits(2_500))).rejects.toThrow('xlsx_too_large');
  });

  it('holds each part to its own limit', async () => {
    const fine = Buffer.concat([
      entry('a.xml', Buffer.alloc(1000, 1), 1000),
      entry('b.xml', Buffer.alloc(2000, 2), 2000),
    ]);
    await expect(checkInflatedSize(fine, limits(10_000, 1_500))).rejects.toThrow('xlsx_too_large');
  });

  it('calls data that does not inflate unreadable', async () => {
    const broken = entry('a.xml', Buffer.alloc(1000, 1), 1000);
    broken.fill(0xff, 40);
    await expect(checkInflatedSize(broken, limits(10_000))).rejects.toThrow('malformed_xlsx');
  });
});

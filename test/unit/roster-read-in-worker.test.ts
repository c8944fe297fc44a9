import { describe, expect, it } from 'vitest';
import { readSheet, readSheetInWorker } from '../helpers/roster-sheet.js';
import { workbookParts, zipOf } from '../helpers/zip.js';

const roster = (rows: number) =>
  Buffer.from(
    ['nip,nama,kode_unit', ...Array.from({ length: rows }, (_, i) => `${i},Pegawai ${i},DINKES`)].join('\n'),
  );

describe('readRosterInWorker', () => {
  it('reads a file in a worker thread as parseRoster reads it, every row', async () => {
    const file = roster(12_345);
    const result = await readSheetInWorker(file);
    expect(result).toEqual(await readSheet(file));
    expect(result.ok && result.sheet.rows.length).toBe(12_345);
  });

  it('passes a refusal on, and reads XLSX too', async () => {
    expect(await readSheetInWorker(Buffer.from('nip,jabatan\n1,a\n'))).toEqual({
      ok: false,
      problem: 'missing_columns',
      params: { columns: 'nama, kode_unit' },
    });
    const xlsx = zipOf(
      workbookParts(
        ['nip', 'nama', 'kode_unit', '1', 'Ani', 'A'],
        [
          [0, 1, 2],
          [3, 4, 5],
        ],
      ),
    );
    expect(await readSheetInWorker(xlsx)).toMatchObject({ ok: true, format: 'xlsx' });
  });

  it('ends the thread and refuses the file when reading needs more memory or time than allowed', async () => {
    // An XLSX of 150,000 distinct shared strings, each short: exceljs keeps them all while it reads, a little at a
    // time, far past a 16 MB heap. (One string larger than the whole heap would end the process, not the thread:
    // no upload can make one, at 20 MB against the thread's 256 MB.)
    const names = Array.from({ length: 150_000 }, (_, i) => `Pegawai ${i} ${'x'.repeat(90)}`);
    const heavy = zipOf(
      workbookParts(
        ['nip', 'nama', 'kode_unit', 'DINKES', ...names],
        [[0, 1, 2], ...names.slice(0, 10).map((_, i) => [3, 4 + i, 3])],
      ),
    );
    expect(await readSheetInWorker(heavy, { heapMb: 16, timeMs: 30_000 })).toEqual({
      ok: false,
      problem: 'too_heavy',
    });
    const file = roster(200_000);
    expect(await readSheetInWorker(file, { heapMb: 512, timeMs: 50 })).toEqual({
      ok: false,
      problem: 'too_heavy',
    });
    // The next file is read as usual.
    expect(await readSheetInWorker(roster(3))).toMatchObject({ ok: true });
  });
});

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
    // 19 MB of text: the thread holds it as one string while it reads, more than a 16 MB heap.
    const file = Buffer.from(
      [
        'nip,nama,kode_unit',
        ...Array.from({ length: 100_000 }, (_, i) => `${i},${'Pegawai Dinas '.repeat(12)}${i},DINKES`),
      ].join('\n'),
    );
    expect(await readSheetInWorker(file, { heapMb: 16, timeMs: 30_000 })).toEqual({
      ok: false,
      problem: 'too_heavy',
    });
    expect(await readSheetInWorker(file, { heapMb: 512, timeMs: 50 })).toEqual({
      ok: false,
      problem: 'too_heavy',
    });
    // The next file is read as usual.
    expect(await readSheetInWorker(roster(3))).toMatchObject({ ok: true });
  });
});

import { describe, expect, it } from 'vitest';
import type { UnitComplianceRow } from '../../src/compliance/compliance-repository.js';
import type { PactCompliance } from '../../src/compliance/summary.js';
import { summarise } from '../../src/compliance/summary.js';
import { mostBehindFirst } from '../../src/compliance/unit-order.js';
import type { Pact } from '../../src/pledges/types.js';
import { buildReport, type ReportQuery, reportQuery } from '../../src/reports/report.js';
import { HttpError } from '../../src/web/http-error.js';
import { unitRow } from '../helpers/compliance.js';

const pactOf = (audience: 'heads' | 'all'): Pact =>
  ({
    id: 7,
    title: 'Pakta Integritas Netralitas ASN 2024',
    version: 1,
    audience,
    deadline: '2024-11-20T16:59:59.000Z',
    status: 'open',
    opensAt: '2024-11-01T00:00:00.000Z',
  }) as PactCompliance['pact'] as Pact;

const row = unitRow;

/** The rows as the admin routes pass them: summarised per unit. */
const visible = (pact: Pact, rows: UnitComplianceRow[]) => summarise(pact, rows).units;

const query = (fields: Partial<ReportQuery> = {}): ReportQuery => ({
  status: 'semua',
  kind: null,
  search: '',
  sort: null,
  descending: false,
  ...fields,
});

const expect400 = (input: Record<string, unknown>) => {
  let caught: unknown;
  try {
    reportQuery(input);
  } catch (err) {
    caught = err;
  }
  expect(caught, JSON.stringify(input)).toBeInstanceOf(HttpError);
  expect((caught as HttpError).status).toBe(400);
  expect((caught as HttpError).messageKey).toBe('compliance.report.bad_query');
};

describe('reportQuery', () => {
  it('defaults to every unit in the default order', () => {
    expect(reportQuery({})).toEqual({
      status: 'semua',
      kind: null,
      search: '',
      sort: null,
      descending: false,
    });
    expect(reportQuery({ status: '', jenis: '', q: '', urut: '', arah: '' })).toEqual({
      status: 'semua',
      kind: null,
      search: '',
      sort: null,
      descending: false,
    });
  });

  it('accepts every documented status, sort and direction', () => {
    for (const status of ['semua', 'lengkap', 'sebagian', 'belum'] as const) {
      expect(reportQuery({ status }).status).toBe(status);
    }
    for (const urut of ['nama', 'kepala', 'wajib', 'sudah', 'belum', 'persen', 'terakhir'] as const) {
      expect(reportQuery({ urut }).sort).toBe(urut);
    }
    expect(reportQuery({ arah: 'naik' }).descending).toBe(false);
    expect(reportQuery({ arah: 'turun' }).descending).toBe(true);
    expect(reportQuery({ urut: 'persen', arah: 'turun' })).toMatchObject({
      sort: 'persen',
      descending: true,
    });
  });

  it('takes a kind and a trimmed search', () => {
    expect(reportQuery({ jenis: 'kabupaten' }).kind).toBe('kabupaten');
    expect(reportQuery({ jenis: 'satpol_pp' }).kind).toBe('satpol_pp');
    expect(reportQuery({ q: '  Dinas Kesehatan  ' }).search).toBe('Dinas Kesehatan');
    expect(reportQuery({ q: 'x'.repeat(100) }).search).toHaveLength(100);
  });

  it('rejects an unknown status, sort or direction', () => {
    expect400({ status: 'selesai' });
    expect400({ status: 'SEMUA' });
    expect400({ urut: 'kode' });
    expect400({ urut: 'Nama' });
    expect400({ arah: 'asc' });
    expect400({ arah: 'desc' });
  });

  it('rejects a list where one value is expected', () => {
    expect400({ status: ['semua', 'belum'] });
    expect400({ urut: ['a', 'b'] });
    expect400({ arah: ['naik', 'turun'] });
    expect400({ q: ['a', 'b'] });
    expect400({ jenis: ['a', 'b'] });
    expect400({ q: { x: '1' } });
  });

  it('rejects a search longer than 100 characters', () => {
    expect400({ q: 'x'.repeat(101) });
  });

  it('rejects a kind with odd characters', () => {
    expect400({ jenis: 'dinas<script>' });
    expect400({ jenis: 'Dinas' });
    expect400({ jenis: 'dinas kota' });
    expect400({ jenis: "dinas'--" });
    expect400({ jenis: 'a'.repeat(41) });
  });
});

describe('buildReport', () => {
  const pact = pactOf('all');
  // Complete, partial (two of them, 50% and 66,7%), none, and not required (no active members).
  const units = visible(pact, [
    row({
      unitId: 101,
      name: 'Dinas Kesehatan',
      code: 'DINKES',
      kind: 'dinas',
      members: 4,
      membersSigned: 4,
      lastSignedAt: '2024-11-05T03:00:00.000Z',
    }),
    row({
      unitId: 102,
      name: 'Badan Kepegawaian Daerah',
      code: 'BKD',
      kind: 'badan',
      members: 4,
      membersSigned: 2,
      lastSignedAt: '2024-11-07T03:00:00.000Z',
    }),
    row({
      unitId: 103,
      name: 'Kabupaten Batang',
      code: 'KAB-BTG',
      kind: 'kabupaten',
      members: 3,
      membersSigned: 2,
      lastSignedAt: '2024-11-02T03:00:00.000Z',
    }),
    row({
      unitId: 104,
      name: 'Inspektorat',
      code: 'ITPROV',
      kind: 'inspektorat',
      members: 5,
      membersSigned: 0,
    }),
    row({ unitId: 105, name: 'Biro Kosong', code: 'BIRO-K', kind: 'biro', members: 0, membersSigned: 0 }),
  ]);
  const names = (report: ReturnType<typeof buildReport>) => report.rows.map((r) => r.name);

  it('lists the units furthest behind first by default, never those that require nobody', () => {
    const report = buildReport(pact, units, query());
    expect(names(report)).toEqual([
      'Inspektorat',
      'Badan Kepegawaian Daerah',
      'Kabupaten Batang',
      'Dinas Kesehatan',
    ]);
    expect(names(report)).not.toContain('Biro Kosong');
  });

  it('lists first the unit with the most people still to sign, not 35 units of one at 0/1', () => {
    // 35 kabupaten/kota whose one head has not signed, and BAPENDA with 12 of 19 still to sign.
    const kabkota = Array.from({ length: 35 }, (_, i) =>
      row({
        unitId: 200 + i,
        name: `Kabupaten ${String(i + 1).padStart(2, '0')}`,
        kind: 'kabupaten',
        members: 1,
      }),
    );
    const rows = visible(pact, [
      ...kabkota,
      row({ unitId: 300, name: 'Badan Pendapatan Daerah', code: 'BAPENDA', members: 19, membersSigned: 7 }),
      row({ unitId: 301, name: 'Dinas Sosial', code: 'DINSOS', members: 4, membersSigned: 2 }),
      row({ unitId: 302, name: 'Biro Umum', code: 'BIRO-U', members: 3, membersSigned: 1 }),
      row({ unitId: 303, name: 'Dinas Kesehatan', code: 'DINKES', members: 2, membersSigned: 2 }),
    ]);
    const report = buildReport(pact, rows, query());
    // Two unsigned each: the lower share first (1 of 3 before 2 of 4); then the 35 at 0/1, by name.
    expect(names(report).slice(0, 4)).toEqual([
      'Badan Pendapatan Daerah',
      'Biro Umum',
      'Dinas Sosial',
      'Kabupaten 01',
    ]);
    expect(names(report).at(-2)).toBe('Kabupaten 35');
    expect(names(report).at(-1)).toBe('Dinas Kesehatan');
    expect(report.rows[0]).toMatchObject({ required: 19, signed: 7, unsigned: 12, percent: 36.8 });
    // The same order for anyone else who lists units furthest behind (the dashboard).
    expect([...rows].sort(mostBehindFirst).map((u) => u.name)).toEqual(names(report));
  });

  it('breaks ties in the default order by name', () => {
    const tied = visible(pact, [
      row({ name: 'Dinas Pendidikan', members: 2, membersSigned: 0 }),
      row({ name: 'Badan Pendapatan', members: 3, membersSigned: 0 }),
      row({ name: 'Dinas Sosial', members: 2, membersSigned: 1 }),
      row({ name: 'Biro Hukum', members: 4, membersSigned: 2 }),
    ]);
    expect(names(buildReport(pact, tied, query()))).toEqual([
      'Badan Pendapatan',
      'Dinas Pendidikan',
      'Biro Hukum',
      'Dinas Sosial',
    ]);
  });

  it('puts the units whose head has not signed first for a heads pact', () => {
    const heads = pactOf('heads');
    const rows = visible(heads, [
      row({ name: 'Kabupaten Demak', headId: 1, headName: 'A', headSignedAt: '2024-11-03T00:00:00.000Z' }),
      row({ name: 'Kabupaten Pati', headId: 2, headName: 'B' }),
      row({ name: 'Kabupaten Blora', headId: 3, headName: 'C' }),
      row({ name: 'Kabupaten Tanpa Kepala' }),
    ]);
    const report = buildReport(heads, rows, query());
    expect(names(report)).toEqual(['Kabupaten Blora', 'Kabupaten Pati', 'Kabupaten Demak']);
    expect(report.totals).toMatchObject({ required: 3, signed: 1 });
  });

  it('filters by state', () => {
    expect(names(buildReport(pact, units, query({ status: 'lengkap' })))).toEqual(['Dinas Kesehatan']);
    expect(names(buildReport(pact, units, query({ status: 'sebagian' })))).toEqual([
      'Badan Kepegawaian Daerah',
      'Kabupaten Batang',
    ]);
    expect(names(buildReport(pact, units, query({ status: 'belum' })))).toEqual(['Inspektorat']);
    expect(names(buildReport(pact, units, query({ status: 'semua' })))).toHaveLength(4);
  });

  it('filters by kind, and offers the kinds present', () => {
    expect(names(buildReport(pact, units, query({ kind: 'kabupaten' })))).toEqual(['Kabupaten Batang']);
    expect(names(buildReport(pact, units, query({ kind: 'kota' })))).toEqual([]);
    expect(buildReport(pact, units, query()).kinds).toEqual([
      'badan',
      'biro',
      'dinas',
      'inspektorat',
      'kabupaten',
    ]);
  });

  it('searches name and code, case-insensitively', () => {
    expect(names(buildReport(pact, units, query({ search: 'kesehatan' })))).toEqual(['Dinas Kesehatan']);
    expect(names(buildReport(pact, units, query({ search: 'KABUPATEN' })))).toEqual(['Kabupaten Batang']);
    expect(names(buildReport(pact, units, query({ search: 'bkd' })))).toEqual(['Badan Kepegawaian Daerah']);
    expect(names(buildReport(pact, units, query({ search: 'kab-btg' })))).toEqual(['Kabupaten Batang']);
    expect(names(buildReport(pact, units, query({ search: 'itprov' })))).toEqual(['Inspektorat']);
    expect(names(buildReport(pact, units, query({ search: 'tidak ada' })))).toEqual([]);
    // A unit that requires nobody is not found either.
    expect(names(buildReport(pact, units, query({ search: 'biro' })))).toEqual([]);
  });

  it('combines filters', () => {
    expect(
      names(buildReport(pact, units, query({ status: 'sebagian', kind: 'badan', search: 'daerah' }))),
    ).toEqual(['Badan Kepegawaian Daerah']);
    expect(names(buildReport(pact, units, query({ status: 'lengkap', kind: 'badan' })))).toEqual([]);
  });

  it('keeps the totals over all the given units, whatever the filter', () => {
    for (const q of [
      query(),
      query({ status: 'belum' }),
      query({ search: 'dinkes' }),
      query({ kind: 'kota' }),
    ]) {
      const report = buildReport(pact, units, q);
      expect(report.totals).toMatchObject({ required: 16, signed: 8, percent: 50 });
    }
  });

  it('totals over the given units only', () => {
    const two = units.filter((u) => u.unitId === 101 || u.unitId === 104);
    const report = buildReport(pact, two, query());
    expect(report.totals).toMatchObject({ required: 9, signed: 4, percent: 44.4 });
    expect(names(report)).toEqual(['Inspektorat', 'Dinas Kesehatan']);
    expect(report.kinds).toEqual(['dinas', 'inspektorat']);
  });

  describe('sorting', () => {
    // Ties on every column, so that the name must break them.
    const sortable = visible(pact, [
      row({ name: 'Dinas Beta', members: 4, membersSigned: 2, lastSignedAt: '2024-11-05T00:00:00.000Z' }),
      row({ name: 'dinas alfa', members: 4, membersSigned: 2, lastSignedAt: '2024-11-05T00:00:00.000Z' }),
      row({ name: 'Dinas Gama', members: 2, membersSigned: 1, lastSignedAt: '2024-11-01T00:00:00.000Z' }),
      row({ name: 'Dinas Delta', members: 10, membersSigned: 0 }),
      row({ name: 'Dinas Eta', members: 3, membersSigned: 3, lastSignedAt: '2024-11-09T00:00:00.000Z' }),
      row({ name: 'Dinas Zeta', members: 10, membersSigned: 0 }),
    ]);
    const sorted = (sort: NonNullable<ReportQuery['sort']>, descending: boolean) =>
      names(buildReport(pact, sortable, query({ sort, descending })));

    it('by name', () => {
      const up = ['dinas alfa', 'Dinas Beta', 'Dinas Delta', 'Dinas Eta', 'Dinas Gama', 'Dinas Zeta'];
      expect(sorted('nama', false)).toEqual(up);
      expect(sorted('nama', true)).toEqual([...up].reverse());
    });

    it('by required, then name', () => {
      expect(sorted('wajib', false)).toEqual([
        'Dinas Gama',
        'Dinas Eta',
        'dinas alfa',
        'Dinas Beta',
        'Dinas Delta',
        'Dinas Zeta',
      ]);
      expect(sorted('wajib', true)).toEqual([
        'Dinas Delta',
        'Dinas Zeta',
        'dinas alfa',
        'Dinas Beta',
        'Dinas Eta',
        'Dinas Gama',
      ]);
    });

    it('by signed, then name', () => {
      expect(sorted('sudah', false)).toEqual([
        'Dinas Delta',
        'Dinas Zeta',
        'Dinas Gama',
        'dinas alfa',
        'Dinas Beta',
        'Dinas Eta',
      ]);
      expect(sorted('sudah', true)).toEqual([
        'Dinas Eta',
        'dinas alfa',
        'Dinas Beta',
        'Dinas Gama',
        'Dinas Delta',
        'Dinas Zeta',
      ]);
    });

    it('by percent, then name', () => {
      expect(sorted('persen', false)).toEqual([
        'Dinas Delta',
        'Dinas Zeta',
        'dinas alfa',
        'Dinas Beta',
        'Dinas Gama',
        'Dinas Eta',
      ]);
      expect(sorted('persen', true)).toEqual([
        'Dinas Eta',
        'dinas alfa',
        'Dinas Beta',
        'Dinas Gama',
        'Dinas Delta',
        'Dinas Zeta',
      ]);
    });

    it('by last signing, then name (never signed first going up, last going down)', () => {
      expect(sorted('terakhir', false)).toEqual([
        'Dinas Delta',
        'Dinas Zeta',
        'Dinas Gama',
        'dinas alfa',
        'Dinas Beta',
        'Dinas Eta',
      ]);
      expect(sorted('terakhir', true)).toEqual([
        'Dinas Eta',
        'dinas alfa',
        'Dinas Beta',
        'Dinas Gama',
        'Dinas Delta',
        'Dinas Zeta',
      ]);
    });

    it('by not yet signed, then name', () => {
      expect(sorted('belum', true)).toEqual([
        'Dinas Delta',
        'Dinas Zeta',
        'dinas alfa',
        'Dinas Beta',
        'Dinas Gama',
        'Dinas Eta',
      ]);
      expect(sorted('belum', false)).toEqual([
        'Dinas Eta',
        'Dinas Gama',
        'dinas alfa',
        'Dinas Beta',
        'Dinas Delta',
        'Dinas Zeta',
      ]);
    });

    it('by head, then name', () => {
      const heads = visible(pact, [
        row({ name: 'Dinas Satu', headId: 1, headName: 'Yanti', members: 1 }),
        row({ name: 'Dinas Dua', headId: 2, headName: 'agus', members: 1 }),
        row({ name: 'Dinas Tiga', headId: 3, headName: 'Maria', members: 1 }),
      ]);
      expect(names(buildReport(pact, heads, query({ sort: 'kepala' })))).toEqual([
        'Dinas Dua',
        'Dinas Tiga',
        'Dinas Satu',
      ]);
    });

    it('sorts only the filtered rows', () => {
      expect(
        names(buildReport(pact, sortable, query({ status: 'sebagian', sort: 'nama', descending: true }))),
      ).toEqual(['Dinas Gama', 'Dinas Beta', 'dinas alfa']);
    });
  });
});

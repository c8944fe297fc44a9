import { describe, expect, it } from 'vitest';
import type { UnitComplianceRow } from '../../src/compliance/compliance-repository.js';
import { type PactCompliance, percentOf, summarise } from '../../src/compliance/summary.js';
import { formatPercent } from '../../src/web/format.js';
import { unitRow } from '../helpers/compliance.js';

const pactOf = (audience: 'heads' | 'all'): PactCompliance['pact'] => ({
  id: 7,
  title: 'Pakta Integritas Netralitas ASN 2024',
  version: 2,
  audience,
  deadline: '2024-11-20T16:59:59.000Z',
  status: 'open',
  opensAt: '2024-11-01T00:00:00.000Z',
});

const row = (fields: Partial<UnitComplianceRow> = {}) => unitRow({ kind: 'kabupaten', ...fields });

const head = (id: number, name: string, signedAt: string | null = null): Partial<UnitComplianceRow> => ({
  headId: id,
  headName: name,
  headPosition: 'Bupati',
  headNip: `19700101199003100${id % 10}`,
  headSignedAt: signedAt,
});

describe('summarise: a heads pact', () => {
  it('requires nothing of a unit without a head', () => {
    const summary = summarise(pactOf('heads'), [row({ name: 'Kabupaten Tanpa Kepala' })]);
    expect(summary.units).toHaveLength(1);
    expect(summary.units[0]).toMatchObject({ required: 0, signed: 0, percent: null, state: 'not_required' });
    expect(summary).toMatchObject({ required: 0, signed: 0, percent: null, headsOutstanding: [] });
  });

  it('counts the head of each unit, and the head who signed as complete', () => {
    const signedAt = '2024-11-05T02:00:00.000Z';
    const summary = summarise(pactOf('heads'), [
      row({ name: 'Kabupaten Batang', ...head(11, 'Lani Dwi Rahayu', signedAt) }),
      row({ name: 'Kabupaten Pati', ...head(12, 'Henggar Budi Anggoro') }),
    ]);
    expect(summary.units.map((u) => [u.name, u.required, u.signed, u.state, u.percent])).toEqual([
      ['Kabupaten Batang', 1, 1, 'complete', 100],
      ['Kabupaten Pati', 1, 0, 'none', 0],
    ]);
    expect(summary.units[0]?.lastSignedAt).toBe(signedAt);
    expect(summary.units[1]?.lastSignedAt).toBeNull();
    expect(summary).toMatchObject({ required: 2, signed: 1, percent: 50 });
  });

  it('ignores member counts, which only an all-ASN pact uses', () => {
    const summary = summarise(pactOf('heads'), [
      row({
        ...head(11, 'Lani Dwi Rahayu'),
        members: 40,
        membersSigned: 12,
        lastSignedAt: '2024-11-02T00:00:00Z',
      }),
    ]);
    expect(summary.units[0]).toMatchObject({ required: 1, signed: 0, state: 'none', lastSignedAt: null });
    expect(summary).toMatchObject({ required: 1, signed: 0 });
  });

  it('lists as outstanding only the units whose head has not signed, in the order of the rows', () => {
    const rows = [
      row({ name: 'Kabupaten Banjarnegara', ...head(31, 'A', '2024-11-02T00:00:00Z') }),
      row({ name: 'Kabupaten Pemalang', ...head(32, 'B') }),
      row({ name: 'Kabupaten Kosong' }),
      row({ name: 'Kabupaten Pati', ...head(33, 'C') }),
      row({ name: 'Kota Semarang', ...head(34, 'D', '2024-11-02T00:00:00Z') }),
      row({ name: 'Kabupaten Batang', ...head(35, 'E') }),
    ];
    const summary = summarise(pactOf('heads'), rows);
    expect(summary.headsOutstanding.map((u) => u.name)).toEqual([
      'Kabupaten Pemalang',
      'Kabupaten Pati',
      'Kabupaten Batang',
    ]);
    expect(summary.headsOutstanding.every((u) => u.state === 'none')).toBe(true);
    expect(summary).toMatchObject({ required: 5, signed: 2, percent: 40 });
  });

  it('copies the pact facts that the views show', () => {
    const summary = summarise(pactOf('heads'), []);
    expect(summary.pact).toEqual(pactOf('heads'));
    expect(summary).toMatchObject({ required: 0, signed: 0, percent: null, units: [], headsOutstanding: [] });
  });
});

describe('summarise: a pact for all ASN', () => {
  it('sums the members of every unit and gives each unit its state', () => {
    const rows = [
      row({ name: 'Dinas Lengkap', members: 4, membersSigned: 4, lastSignedAt: '2024-11-04T00:00:00Z' }),
      row({ name: 'Dinas Sebagian', members: 3, membersSigned: 2, lastSignedAt: '2024-11-03T00:00:00Z' }),
      row({ name: 'Dinas Belum', members: 5, membersSigned: 0 }),
      row({ name: 'Dinas Kosong', members: 0, membersSigned: 0 }),
      // A head is not counted twice: on an all-ASN pact the head is one of the members.
      row({
        name: 'Dinas Berkepala',
        ...head(41, 'F', '2024-11-01T00:00:00Z'),
        members: 2,
        membersSigned: 1,
      }),
    ];
    const summary = summarise(pactOf('all'), rows);
    expect(summary.units.map((u) => [u.name, u.required, u.signed, u.unsigned, u.state, u.percent])).toEqual([
      ['Dinas Lengkap', 4, 4, 0, 'complete', 100],
      ['Dinas Sebagian', 3, 2, 1, 'partial', 66.7],
      ['Dinas Belum', 5, 0, 5, 'none', 0],
      ['Dinas Kosong', 0, 0, 0, 'not_required', null],
      ['Dinas Berkepala', 2, 1, 1, 'partial', 50],
    ]);
    expect(summary).toMatchObject({ required: 14, signed: 7, unsigned: 7, percent: 50 });
    expect(summary.headsOutstanding).toEqual([]);
    // The members' latest signing, not the head's.
    expect(summary.units[0]?.lastSignedAt).toBe('2024-11-04T00:00:00Z');
    expect(summary.units[4]?.lastSignedAt).toBeNull();
  });

  it('has nothing required and no percentage without members', () => {
    const summary = summarise(pactOf('all'), [row(), row()]);
    expect(summary).toMatchObject({ required: 0, signed: 0, percent: null });
    expect(summary.units.map((u) => u.state)).toEqual(['not_required', 'not_required']);
  });
});

describe('percentOf', () => {
  it.each([
    // One decimal, rounded half up.
    [6, 9, 66.7],
    [2, 3, 66.7],
    [999, 1000, 99.9],
    [1, 3, 33.3],
    [7, 8, 87.5],
    [7, 80, 8.8],
    [1, 16, 6.3],
    [1, 7, 14.3],
    [12, 19, 63.2],
    // 100 only when everyone has signed, 0 only when nobody has: 99,95% is 99,9%, 0,05% is 0,1%.
    [1999, 2000, 99.9],
    [19_999, 20_000, 99.9],
    [28_289_412, 28_289_413, 99.9],
    [1, 2000, 0.1],
    [1, 28_289_413, 0.1],
    [1, 1000, 0.1],
    [0, 5, 0],
    [5, 5, 100],
  ])('%i of %i is %d', (signed, required, expected) => {
    expect(percentOf(signed, required)).toBe(expected);
  });

  it('reads 100 only when everyone has signed and 0 only when nobody has', () => {
    for (let required = 1; required <= 3000; required += 1) {
      expect(percentOf(required - 1, required)).toBeLessThan(100);
      expect(percentOf(required, required)).toBe(100);
      expect(percentOf(1, required)).toBeGreaterThan(0);
      expect(percentOf(0, required)).toBe(0);
    }
  });

  it('is the number every screen prints: 6/9, 2/3 and 999/1000', () => {
    const shown = (signed: number, required: number) =>
      formatPercent((percentOf(signed, required) ?? 0) / 100);
    expect(shown(6, 9)).toBe('66,7%');
    expect(shown(2, 3)).toBe('66,7%');
    expect(shown(999, 1000)).toBe('99,9%');
    expect(shown(9999, 10_000)).toBe('99,9%');
    expect(shown(1, 10_000)).toBe('0,1%');
  });

  it('is null when nobody is required', () => {
    expect(percentOf(0, 0)).toBeNull();
  });
});

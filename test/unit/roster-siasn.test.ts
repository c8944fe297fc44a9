import { describe, expect, it } from 'vitest';
import { rosterColumnOf } from '../../src/directory/roster/grid.js';
import { composeFullName, employeeTypeOf, unitNameMatcher } from '../../src/directory/roster/siasn.js';
import type { Unit } from '../../src/directory/types.js';

const unit = (id: number, name: string): Unit => ({
  id,
  code: `U${id}`,
  name,
  kind: 'dinas',
  parentId: null,
  headUserId: null,
  headKind: 'definitif',
  headSince: null,
  headDecree: null,
  active: true,
  timeZone: null,
});

describe('SIASN column names', () => {
  it.each([
    ['NIP_BARU', 'nip'],
    ['NAMA', 'nama'],
    ['GELAR_DEPAN', 'gelar_depan'],
    ['Gelar Belakang', 'gelar_belakang'],
    ['JABATAN_NAMA', 'jabatan'],
    ['GOL_AKHIR_NAMA', 'pangkat'],
    ['JENIS_PEGAWAI', 'jenis'],
    ['UNOR_NAMA', 'unit_nama'],
    ['UNOR_INDUK_NAMA', 'unit_induk_nama'],
    ['kode_unit', 'kode_unit'],
  ])('reads %s as the roster column %s', (header, column) => {
    expect(rosterColumnOf(header)).toBe(column);
  });

  it('reads no column from a header it does not know', () => {
    expect(rosterColumnOf('TANGGAL_LAHIR')).toBeNull();
    expect(rosterColumnOf('TMT_GOLONGAN')).toBeNull();
  });
});

describe('composeFullName', () => {
  it.each([
    ['Dr. Ir.', 'Budi Santoso', 'S.T., M.T.', 'Dr. Ir. Budi Santoso, S.T., M.T.'],
    ['', 'Sri Rahayu', 'S.E.', 'Sri Rahayu, S.E.'],
    ['', 'Sri Rahayu', ', S.E.', 'Sri Rahayu, S.E.'],
    ['Drs.', 'Slamet', '', 'Drs. Slamet'],
    ['  ', ' Ani ', ' ', 'Ani'],
  ])('writes %j + %j + %j as %j', (front, name, back, full) => {
    expect(composeFullName(front, name, back)).toBe(full);
  });
});

describe('employeeTypeOf', () => {
  it.each([
    ['PNS', 'PNS'],
    ['cpns', 'PNS'],
    ['PNS Daerah', 'PNS'],
    ['PPPK', 'PPPK'],
    ['PPPK Paruh Waktu', 'PPPK'],
    ['', ''],
    ['Honorer', 'HONORER'],
  ])('reads %j as %j', (value, type) => {
    expect(employeeTypeOf(value)).toBe(type);
  });
});

describe('unitNameMatcher', () => {
  const kominfo = unit(1, 'Dinas Komunikasi dan Informatika Provinsi Jawa Tengah');
  const bkd = unit(2, 'Badan Kepegawaian Daerah');
  const cilacap = unit(3, 'Kabupaten Cilacap');
  const match = unitNameMatcher([kominfo, bkd, cilacap]);
  const byWorkUnit = (name: string) => match(name, '');

  it.each([
    'Dinas Komunikasi dan Informatika Provinsi Jawa Tengah',
    'DINAS KOMUNIKASI DAN INFORMATIKA',
    'Dis. Komunikasi & Informatika',
    'DIS. KOMUNIKASI DAN INFORMATIKA PROV. JATENG',
    '  dinas   komunikasi dan informatika  ',
  ])('finds the unit written %j', (name) => {
    expect(byWorkUnit(name)).toEqual({ unit: kominfo });
  });

  it('knows abbreviations of other kinds of unit', () => {
    expect(byWorkUnit('Bdn. Kepegawaian Daerah')).toEqual({ unit: bkd });
    expect(byWorkUnit('KAB. CILACAP')).toEqual({ unit: cilacap });
  });

  it('never takes one province for another, nor a branch for another branch', () => {
    expect(byWorkUnit('Dinas Komunikasi dan Informatika Provinsi Jawa Timur')).toEqual({
      problem: 'unknown',
    });
    const semarang = unit(4, 'UPTD Balai Pengujian Provinsi Jawa Tengah Wilayah Semarang');
    const branches = unitNameMatcher([semarang]);
    expect(branches('UPTD Balai Pengujian Prov. Jateng Wilayah Surakarta', '')).toEqual({
      problem: 'unknown',
    });
    expect(branches('UPTD Balai Pengujian Provinsi Jawa Tengah Wilayah Semarang', '')).toEqual({
      unit: semarang,
    });
  });

  it('does not guess: an unknown name is unknown, one that fits two units is ambiguous', () => {
    expect(byWorkUnit('Dinas Pariwisata')).toEqual({ problem: 'unknown' });
    expect(byWorkUnit('Dinas Komunikasi')).toEqual({ problem: 'unknown' });
    const twice = unitNameMatcher([
      unit(1, 'Dinas Kesehatan'),
      unit(2, 'Dinas Kesehatan Provinsi Jawa Tengah'),
    ]);
    expect(twice('Dinas Kesehatan', '')).toEqual({ problem: 'ambiguous' });
  });

  describe('with the parent named too', () => {
    const dinasA = unit(10, 'Dinas Pendidikan dan Kebudayaan');
    const dinasB = unit(11, 'Dinas Kesehatan');
    const sekretariatA = { ...unit(12, 'Sekretariat'), parentId: dinasA.id };
    const sekretariatB = { ...unit(13, 'Sekretariat'), parentId: dinasB.id };
    const bidangA = { ...unit(14, 'Bidang SMA'), parentId: dinasA.id };
    const tree = unitNameMatcher([dinasA, dinasB, sekretariatA, sekretariatB, bidangA]);

    it('takes the work unit listed under that parent, of several of the same name', () => {
      expect(tree('Sekretariat', 'Dinas Kesehatan')).toEqual({ unit: sekretariatB });
      expect(tree('Sekretariat', 'Dinas Pendidikan dan Kebudayaan')).toEqual({ unit: sekretariatA });
    });

    it('takes the parent when the work unit is not listed under it', () => {
      expect(tree('Bidang SMA', 'Dinas Kesehatan')).toEqual({ unit: dinasB });
      expect(tree('Bidang Pelayanan Kesehatan', 'Dinas Kesehatan')).toEqual({ unit: dinasB });
      expect(tree('Dinas Kesehatan', 'Dinas Kesehatan')).toEqual({ unit: dinasB });
    });

    it('refuses when the parent is not known, even for a work unit it could find alone', () => {
      expect(tree('Bidang SMA', 'Dinas Pariwisata')).toEqual({ problem: 'unknown' });
      expect(tree('Sekretariat', '')).toEqual({ problem: 'ambiguous' });
    });
  });
});

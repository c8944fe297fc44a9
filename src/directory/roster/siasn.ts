// Rosters as BKN's SIASN exports them: its column names, names with academic titles in columns of their own, kinds
// of employee written out, and units by name rather than by Ikrar's codes. What is read from such a file ends in
// the same roster columns as Ikrar's own template, so that one set of rules decides every row.
import type { Unit } from '../types.js';
import type { RosterColumn } from './types.js';

/** A header that only a SIASN export has: a file with it may carry columns Ikrar does not read. */
export const SIASN_MARK = 'nip_baru';

/** SIASN's names for the roster's columns (normalised as normaliseHeader does). */
export const SIASN_ALIASES: Readonly<Record<string, RosterColumn>> = {
  nip_baru: 'nip',
  jabatan_nama: 'jabatan',
  gol_akhir_nama: 'pangkat',
  jenis_pegawai: 'jenis',
  jenis_pegawai_nama: 'jenis',
  unor_nama: 'unit_nama',
  unor_induk_nama: 'unit_induk_nama',
};

/** What a SIASN export calls the columns a roster must have, for the message when one is missing. */
export const SIASN_NAMES: Readonly<Record<string, string>> = {
  nip: 'NIP_BARU',
  nama: 'NAMA',
  kode_unit: 'UNOR_NAMA',
};

/**
 * The name as it is written with its titles: 'Dr. Ir.', 'Budi Santoso', 'S.T., M.T.' → 'Dr. Ir. Budi Santoso, S.T.,
 * M.T.'. Titles after the name follow a comma, whether or not the file wrote one.
 */
export function composeFullName(front: string, name: string, back: string): string {
  const after = back.trim().replace(/^,\s*/, '');
  const core = [front.trim(), name.trim()].filter((part) => part !== '').join(' ');
  return after === '' ? core : `${core}, ${after}`;
}

/**
 * The kind of employee as the roster rules know it: 'CPNS' (a candidate civil servant) and 'PNS Daerah' are PNS,
 * 'PPPK Paruh Waktu' is PPPK; anything else is returned as typed (uppercase), for the rules to refuse.
 */
export function employeeTypeOf(value: string): string {
  const upper = value.trim().toUpperCase();
  if (/^C?PNS\b/.test(upper)) return 'PNS';
  if (/^PPPK\b/.test(upper)) return 'PPPK';
  return upper;
}

// Abbreviations that unit names are written with, in SIASN and by hand.
const ABBREVIATIONS: Readonly<Record<string, string>> = {
  dis: 'dinas',
  din: 'dinas',
  bdn: 'badan',
  kab: 'kabupaten',
  prov: 'provinsi',
  sekr: 'sekretariat',
};

// Indonesia's provinces as unit names end with them ('… Provinsi Jawa Tengah'), and their usual short forms.
const PROVINCES = [
  'aceh',
  'sumatera utara',
  'sumatera barat',
  'riau',
  'kepulauan riau',
  'jambi',
  'sumatera selatan',
  'kepulauan bangka belitung',
  'bengkulu',
  'lampung',
  'dki jakarta',
  'jawa barat',
  'banten',
  'jawa tengah',
  'di yogyakarta',
  'jawa timur',
  'bali',
  'nusa tenggara barat',
  'nusa tenggara timur',
  'kalimantan barat',
  'kalimantan tengah',
  'kalimantan selatan',
  'kalimantan timur',
  'kalimantan utara',
  'sulawesi utara',
  'gorontalo',
  'sulawesi tengah',
  'sulawesi barat',
  'sulawesi selatan',
  'sulawesi tenggara',
  'maluku',
  'maluku utara',
  'papua',
  'papua barat',
  'papua barat daya',
  'papua selatan',
  'papua tengah',
  'papua pegunungan',
];
const PROVINCE_SHORT: Readonly<Record<string, string>> = {
  sumut: 'sumatera utara',
  sumbar: 'sumatera barat',
  kepri: 'kepulauan riau',
  sumsel: 'sumatera selatan',
  babel: 'kepulauan bangka belitung',
  jakarta: 'dki jakarta',
  dki: 'dki jakarta',
  jabar: 'jawa barat',
  jateng: 'jawa tengah',
  diy: 'di yogyakarta',
  jogja: 'di yogyakarta',
  yogyakarta: 'di yogyakarta',
  jatim: 'jawa timur',
  ntb: 'nusa tenggara barat',
  ntt: 'nusa tenggara timur',
  kalbar: 'kalimantan barat',
  kalteng: 'kalimantan tengah',
  kalsel: 'kalimantan selatan',
  kaltim: 'kalimantan timur',
  kaltara: 'kalimantan utara',
  sulut: 'sulawesi utara',
  sulteng: 'sulawesi tengah',
  sulbar: 'sulawesi barat',
  sulsel: 'sulawesi selatan',
  sultra: 'sulawesi tenggara',
  malut: 'maluku utara',
  pabar: 'papua barat',
};
const PROVINCE_AT_END = new RegExp(
  ` provinsi (${[...PROVINCES, ...Object.keys(PROVINCE_SHORT)].sort((a, b) => b.length - a.length).join('|')})$`,
);

/**
 * A unit name as compared: 'DIS. Komunikasi & Informatika Prov. Jateng' → bare 'dinas komunikasi dan informatika',
 * province 'jawa tengah' (null when the name ends with none).
 */
function unitNameParts(name: string): { bare: string; province: string | null } {
  const key = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' dan ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .map((word) => ABBREVIATIONS[word] ?? word)
    .join(' ');
  const province = PROVINCE_AT_END.exec(key)?.[1];
  return province
    ? { bare: key.replace(PROVINCE_AT_END, ''), province: PROVINCE_SHORT[province] ?? province }
    : { bare: key, province: null };
}

export type UnitNameMatch = { unit: Unit } | { problem: 'unknown' | 'ambiguous' };

/**
 * Finds a row's unit by the names SIASN gives it: its work unit (UNOR_NAMA) and that unit's parent
 * (UNOR_INDUK_NAMA), either may be empty. Names are compared with case, spacing, punctuation, '&', common
 * abbreviations ('Dis.', 'Bdn.', 'Kab.', 'Prov. Jateng') and the province after the name tolerated: 'Dinas
 * Kesehatan' is 'Dinas Kesehatan Provinsi Jawa Tengah', but never '… Provinsi Jawa Timur'.
 *
 * The work unit counts when it is listed under the parent named (a 'Sekretariat' exists in many dinas); one that
 * Ikrar does not list there gives the parent (a bidang Ikrar does not list falls to its dinas). A name that fits two
 * units is ambiguous, a row error, never a guess.
 */
export function unitNameMatcher(units: readonly Unit[]): (workUnit: string, parent: string) => UnitNameMatch {
  // Each unit by its name without the province, with the province it names (null: none).
  const byBareKey = new Map<string, { unit: Unit; province: string | null }[]>();
  for (const unit of units) {
    const { bare, province } = unitNameParts(unit.name);
    byBareKey.set(bare, [...(byBareKey.get(bare) ?? []), { unit, province }]);
  }
  const byId = new Map(units.map((unit) => [unit.id, unit]));
  // The units of that name, the province written or not on either side, never a different one.
  const lookup = (name: string): Unit[] => {
    const { bare, province } = unitNameParts(name);
    return (byBareKey.get(bare) ?? [])
      .filter((entry) => province === null || entry.province === null || entry.province === province)
      .map((entry) => entry.unit);
  };
  const isUnder = (unit: Unit, parents: readonly Unit[]): boolean => {
    for (let up = unit.parentId; up !== null; up = byId.get(up)?.parentId ?? null) {
      if (parents.some((parent) => parent.id === up)) return true;
    }
    return false;
  };
  const one = (found: readonly Unit[]): UnitNameMatch =>
    found.length === 1
      ? { unit: found[0] as Unit }
      : { problem: found.length === 0 ? 'unknown' : 'ambiguous' };
  return (workUnit, parent) => {
    const parents = parent.trim() === '' ? null : lookup(parent);
    if (workUnit.trim() !== '') {
      const found = lookup(workUnit);
      if (parents === null) return one(found);
      const under = found.filter((unit) => isUnder(unit, parents));
      if (under.length > 0) return one(under);
    }
    return parents === null ? { problem: 'unknown' } : one(parents);
  };
}

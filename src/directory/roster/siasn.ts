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
  jenis_pegawai: 'jenis',
  jenis_pegawai_nama: 'jenis',
  unor_nama: 'unit_nama',
  unor_induk_nama: 'unit_induk_nama',
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
  pemprov: 'pemerintah provinsi',
  sekr: 'sekretariat',
};

/** 'DIS. Komunikasi & Informatika' → 'dinas komunikasi dan informatika'. */
export function unitNameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' dan ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .map((word) => ABBREVIATIONS[word] ?? word)
    .join(' ');
}

/** The key without the region it ends with: 'dinas kesehatan provinsi jawa tengah' → 'dinas kesehatan'. */
const withoutRegion = (key: string): string => key.replace(/ provinsi( [a-z0-9 ]*)?$/, '');

export type UnitNameMatch = { unit: Unit } | { problem: 'unknown' | 'ambiguous' };

/**
 * Finds units by name, tolerating case, spacing, punctuation, common abbreviations ('Dis.', 'Bdn.', 'Kab.') and the
 * province written after the name or not. A name that fits two units is ambiguous, never a guess.
 */
export function unitNameMatcher(units: readonly Unit[]): (name: string) => UnitNameMatch {
  const byKey = new Map<string, Unit[]>();
  const add = (key: string, unit: Unit) => {
    const found = byKey.get(key) ?? [];
    if (!found.includes(unit)) found.push(unit);
    byKey.set(key, found);
  };
  for (const unit of units) {
    const key = unitNameKey(unit.name);
    add(key, unit);
    if (withoutRegion(key) !== key && withoutRegion(key) !== '') add(withoutRegion(key), unit);
  }
  return (name) => {
    const key = unitNameKey(name);
    const found = byKey.get(key) ?? byKey.get(withoutRegion(key)) ?? [];
    if (found.length === 1) return { unit: found[0] as Unit };
    return { problem: found.length === 0 ? 'unknown' : 'ambiguous' };
  };
}

// NIP (Nomor Induk Pegawai): the 18-digit ASN employee number.
// PNS layout: YYYYMMDD (birth date) YYYYMM (TMT CPNS) G (1 male, 2 female) NNN (sequence).
// There is no checksum, so validation is limited to the plausibility of each part.
import type { TimeZone } from '../core/time-zone.js';

export type EmployeeType = 'PNS' | 'PPPK';
export const EMPLOYEE_TYPES: readonly EmployeeType[] = Object.freeze(['PNS', 'PPPK'] as const);

export type NipProblem =
  | 'format'
  | 'birth_date'
  | 'tmt_month'
  | 'tmt_too_early'
  | 'tmt_in_future'
  | 'gender'
  | 'sequence';
// Order matters: checkNip reports the first problem in this order.
export const NIP_PROBLEMS: readonly NipProblem[] = Object.freeze([
  'format',
  'birth_date',
  'tmt_month',
  'tmt_too_early',
  'tmt_in_future',
  'gender',
  'sequence',
] as const);

export type NipCheck = { ok: true; nip: string } | { ok: false; problem: NipProblem };

export interface NipParts {
  birthDate: string; // YYYY-MM-DD
  tmt: string; // YYYY-MM
  gender: 'male' | 'female';
  sequence: string; // 3 digits
}

// ASCII digits only: \d would be fine without the u flag, but be explicit about it.
const NIP_RE = /^[0-9]{18}$/;
const MIN_BIRTH_YEAR = 1940;
const MIN_TMT_AGE_YEARS = 18;

/** Removes all whitespace (spaces, tabs, NBSP, other Unicode spaces); nothing else. */
export function normaliseNip(input: string): string {
  return input.replace(/\s+/gu, '');
}

function digits(nip: string, start: number, end: number): number {
  return Number(nip.slice(start, end));
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this month (leap years included).
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

interface Shape {
  birthYear: number;
  birthMonth: number;
  birthDay: number;
  tmtYear: number;
  tmtMonth: number;
  genderDigit: number;
  sequence: string;
}

function shapeOf(nip: string): Shape {
  return {
    birthYear: digits(nip, 0, 4),
    birthMonth: digits(nip, 4, 6),
    birthDay: digits(nip, 6, 8),
    tmtYear: digits(nip, 8, 12),
    tmtMonth: digits(nip, 12, 14),
    genderDigit: digits(nip, 14, 15),
    sequence: nip.slice(15, 18),
  };
}

/**
 * Validates a NIP typed by a user. Whitespace is removed first; the first problem found is
 * reported in NIP_PROBLEMS order. "Not after today" uses the calendar date at instant `today` in
 * `zone`, the instance's time zone. Any type other than 'PPPK' gets the stricter PNS rules.
 */
export function checkNip(input: string, type: EmployeeType, today: Date, zone: TimeZone): NipCheck {
  if (Number.isNaN(today.getTime())) throw new RangeError('checkNip: today is an invalid Date');
  const nip = normaliseNip(input);
  if (!NIP_RE.test(nip)) return { ok: false, problem: 'format' };

  const now = zone.wallClock(today);
  const s = shapeOf(nip);

  const birthKey = s.birthYear * 10000 + s.birthMonth * 100 + s.birthDay;
  const todayKey = now.year * 10000 + now.month * 100 + now.day;
  if (
    s.birthYear < MIN_BIRTH_YEAR ||
    !isRealDate(s.birthYear, s.birthMonth, s.birthDay) ||
    birthKey > todayKey
  ) {
    return { ok: false, problem: 'birth_date' };
  }

  // PPPK numbers reuse the layout but digits 9-14 are not a year-month, so they are not checked.
  if (type !== 'PPPK') {
    if (s.tmtMonth < 1 || s.tmtMonth > 12) return { ok: false, problem: 'tmt_month' };
    // Month granularity on purpose: TMT has no day, so the month of the 18th birthday is allowed.
    const tmtIndex = s.tmtYear * 12 + s.tmtMonth;
    const adultIndex = (s.birthYear + MIN_TMT_AGE_YEARS) * 12 + s.birthMonth;
    if (tmtIndex < adultIndex) return { ok: false, problem: 'tmt_too_early' };
    if (tmtIndex > now.year * 12 + now.month) return { ok: false, problem: 'tmt_in_future' };
  }

  if (s.genderDigit !== 1 && s.genderDigit !== 2) return { ok: false, problem: 'gender' };
  if (s.sequence === '000') return { ok: false, problem: 'sequence' };
  return { ok: true, nip };
}

/**
 * Splits a stored (unspaced) PNS NIP into its parts. Only the shape is checked (18 digits, real
 * birth date, TMT month 1-12, gender 1/2); policy rules that depend on "today", the 1940 floor and
 * sequence 000 are checkNip's job. Returns null for anything else, including PPPK numbers.
 */
export function parseNip(nip: string): NipParts | null {
  if (!NIP_RE.test(nip)) return null;
  const s = shapeOf(nip);
  if (!isRealDate(s.birthYear, s.birthMonth, s.birthDay)) return null;
  if (s.tmtMonth < 1 || s.tmtMonth > 12) return null;
  if (s.genderDigit !== 1 && s.genderDigit !== 2) return null;
  return {
    birthDate: `${nip.slice(0, 4)}-${nip.slice(4, 6)}-${nip.slice(6, 8)}`,
    tmt: `${nip.slice(8, 12)}-${nip.slice(12, 14)}`,
    gender: s.genderDigit === 1 ? 'male' : 'female',
    sequence: s.sequence,
  };
}

/** Inverse of parseNip. Throws a RangeError on parts that parseNip could not have produced. */
export function composeNip(parts: NipParts): string {
  if (!/^[0-9]{3}$/.test(parts.sequence)) {
    throw new RangeError(`composeNip: sequence must be 3 digits, got ${JSON.stringify(parts.sequence)}`);
  }
  const birth = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(parts.birthDate);
  const tmt = /^([0-9]{4})-([0-9]{2})$/.exec(parts.tmt);
  const gender = parts.gender === 'male' ? '1' : parts.gender === 'female' ? '2' : null;
  const nip =
    birth && tmt && gender
      ? `${birth.slice(1).join('')}${tmt.slice(1).join('')}${gender}${parts.sequence}`
      : '';
  if (parseNip(nip) === null) throw new RangeError('composeNip: invalid birthDate, tmt or gender');
  return nip;
}

/** '198609262015051001' -> '19860926 201505 1 001'; anything that is not 18 digits is returned unchanged. */
export function formatNip(nip: string): string {
  if (!NIP_RE.test(nip)) return nip;
  return `${nip.slice(0, 8)} ${nip.slice(8, 14)} ${nip.slice(14, 15)} ${nip.slice(15)}`;
}

/**
 * For public pages. The NIP encodes birth date and gender, which are personal data under
 * UU 27/2022 (Pelindungan Data Pribadi), so only the sequence stays visible. Malformed input
 * gets a fixed mask so that neither its content nor its length leaks.
 */
export function maskNip(nip: string): string {
  if (!NIP_RE.test(nip)) return '******';
  return `******** ****** * ${nip.slice(15)}`;
}

import { describe, expect, it } from 'vitest';
import { timeZone } from '../../src/core/time-zone.js';
import {
  checkNip,
  composeNip,
  EMPLOYEE_TYPES,
  formatNip,
  maskNip,
  NIP_PROBLEMS,
  normaliseNip,
  parseNip,
} from '../../src/directory/nip.js';

const WIB = timeZone('Asia/Jakarta');
const WIT = timeZone('Asia/Jayapura');

const VALID = '198609262015051001';
// 2026-11-28 12:00 in Jakarta, well away from any day boundary.
const TODAY = new Date('2026-11-28T05:00:00Z');

function problemOf(input: string, type: 'PNS' | 'PPPK' = 'PNS', today: Date = TODAY, zone = WIB) {
  const result = checkNip(input, type, today, zone);
  return result.ok ? null : result.problem;
}

describe('constants', () => {
  it('lists the employee types and problems in check order', () => {
    expect(EMPLOYEE_TYPES).toEqual(['PNS', 'PPPK']);
    expect(NIP_PROBLEMS).toEqual([
      'format',
      'birth_date',
      'tmt_month',
      'tmt_too_early',
      'tmt_in_future',
      'gender',
      'sequence',
    ]);
  });
});

describe('normaliseNip', () => {
  it('removes spaces, tabs, newlines and NBSP', () => {
    expect(normaliseNip(' 19860926\t201505\u00a01\n001 ')).toBe(VALID);
  });

  it('removes nothing but whitespace', () => {
    expect(normaliseNip('19860926-201505.1/001')).toBe('19860926-201505.1/001');
  });
});

describe('checkNip (PNS)', () => {
  it('accepts a valid NIP', () => {
    expect(checkNip(VALID, 'PNS', TODAY, WIB)).toEqual({ ok: true, nip: VALID });
  });

  it('accepts grouped input and returns the normalised NIP', () => {
    expect(checkNip('19860926 201505 1 001', 'PNS', TODAY, WIB)).toEqual({ ok: true, nip: VALID });
    expect(checkNip('19860926\u00a0201505\u00a01\u00a0001', 'PNS', TODAY, WIB)).toEqual({
      ok: true,
      nip: VALID,
    });
  });

  it('accepts a female NIP', () => {
    expect(checkNip('198609262015052001', 'PNS', TODAY, WIB)).toEqual({
      ok: true,
      nip: '198609262015052001',
    });
  });

  it.each([
    ['a letter', '19860926201505100A'],
    ['separators other than whitespace', '19860926-201505-1-001'],
    ['17 digits', '19860926201505100'],
    ['19 digits', '1986092620150510011'],
    ['an empty string', ''],
    ['only whitespace', '   '],
    ['non-ASCII digits', '１９８６０９２６２０１５０５１００１'],
  ])('rejects %s as format', (_label, input) => {
    expect(problemOf(input)).toBe('format');
  });

  it.each([
    ['30 February', '198602302015051001'],
    ['29 February in a non-leap year', '198702292015051001'],
    ['month 13', '198613012015051001'],
    ['day 00', '198609002015051001'],
    ['year 1930', '193001011955031001'],
    ['year 1939', '193912311965031001'],
    ['a birth date after today', '202611292015051001'],
  ])('rejects %s as birth_date', (_label, input) => {
    expect(problemOf(input)).toBe('birth_date');
  });

  it('accepts 29 February in a leap year and the 1940 floor', () => {
    expect(problemOf('198802292015051001')).toBeNull();
    expect(problemOf('194001011965031001')).toBeNull();
  });

  it('treats a birth date of today as a valid birth date (the TMT then fails)', () => {
    expect(problemOf('202611282015051001')).toBe('tmt_too_early');
  });

  it.each([
    ['00', '198609262015001001'],
    ['13', '198609262015131001'],
  ])('rejects TMT month %s as tmt_month', (_label, input) => {
    expect(problemOf(input)).toBe('tmt_month');
  });

  it('rejects a TMT before the 18th birthday month and accepts that month itself', () => {
    // Born 1986-09: turns 18 in 2004-09.
    expect(problemOf('198609262004081001')).toBe('tmt_too_early');
    expect(problemOf('198609262004091001')).toBeNull();
    expect(problemOf('198609262003121001')).toBe('tmt_too_early');
  });

  it('rejects a TMT after the current month and accepts the current month', () => {
    expect(problemOf('198609262026121001')).toBe('tmt_in_future');
    expect(problemOf('198609262027011001')).toBe('tmt_in_future');
    expect(problemOf('198609262026111001')).toBeNull();
  });

  it.each([
    ['3', '198609262015053001'],
    ['0', '198609262015050001'],
  ])('rejects gender digit %s', (_label, input) => {
    expect(problemOf(input)).toBe('gender');
  });

  it('rejects sequence 000', () => {
    expect(problemOf('198609262015051000')).toBe('sequence');
  });

  it('reports the first problem when several are present', () => {
    // Bad birth date, TMT month, gender and sequence.
    expect(problemOf('198602302015133000')).toBe('birth_date');
    // Bad TMT month, gender and sequence.
    expect(problemOf('198609262015133000')).toBe('tmt_month');
    // TMT too early and in the future cannot both hold; too early plus bad gender.
    expect(problemOf('198609261990013001')).toBe('tmt_too_early');
    // TMT in the future plus bad gender and sequence.
    expect(problemOf('198609262030013000')).toBe('tmt_in_future');
    // Bad gender and sequence.
    expect(problemOf('198609262015053000')).toBe('gender');
  });

  it('throws on an invalid today', () => {
    expect(() => checkNip(VALID, 'PNS', new Date('not a date'), WIB)).toThrow(RangeError);
  });
});

describe('checkNip (PPPK)', () => {
  // 202121 is not a year-month (month 21).
  const PPPK = '199003152021211005';

  it('rejects a PPPK number as PNS but accepts it as PPPK', () => {
    expect(problemOf(PPPK, 'PNS')).toBe('tmt_month');
    expect(checkNip(PPPK, 'PPPK', TODAY, WIB)).toEqual({ ok: true, nip: PPPK });
  });

  it('ignores digits 9-14 entirely, even when they look like a future or too-early TMT', () => {
    expect(problemOf('199003159999991005', 'PPPK')).toBeNull();
    expect(problemOf('199003150000001005', 'PPPK')).toBeNull();
  });

  it('still checks format, birth date, gender and sequence', () => {
    expect(problemOf('19900315202121100', 'PPPK')).toBe('format');
    expect(problemOf('199002302021211005', 'PPPK')).toBe('birth_date');
    expect(problemOf('193003152021211005', 'PPPK')).toBe('birth_date');
    expect(problemOf('202611292021211005', 'PPPK')).toBe('birth_date');
    expect(problemOf('199003152021213005', 'PPPK')).toBe('gender');
    expect(problemOf('199003152021211000', 'PPPK')).toBe('sequence');
  });

  it('accepts a birth date of today', () => {
    expect(problemOf('202611282021211005', 'PPPK')).toBeNull();
  });
});

describe("checkNip uses the calendar date of the instance's time zone", () => {
  const tmtDec2026 = '198609262026121001';

  it('accepts a TMT of the Jakarta month while UTC is still in the previous month', () => {
    // 2026-11-30T18:00Z is 2026-12-01 01:00 in Jakarta.
    expect(checkNip(tmtDec2026, 'PNS', new Date('2026-11-30T18:00:00Z'), WIB)).toEqual({
      ok: true,
      nip: tmtDec2026,
    });
    // Midnight in Jakarta exactly.
    expect(problemOf(tmtDec2026, 'PNS', new Date('2026-11-30T17:00:00Z'))).toBeNull();
  });

  it('rejects it one second before midnight in Jakarta', () => {
    expect(problemOf(tmtDec2026, 'PNS', new Date('2026-11-30T16:59:59Z'))).toBe('tmt_in_future');
  });

  it('applies the same boundary to the birth date', () => {
    const bornDec1 = '202612012021211005';
    expect(problemOf(bornDec1, 'PPPK', new Date('2026-11-30T17:00:00Z'))).toBeNull();
    expect(problemOf(bornDec1, 'PPPK', new Date('2026-11-30T16:59:59Z'))).toBe('birth_date');
  });

  it('in WIT (Papua), the new month begins two hours before it does in Jakarta', () => {
    // 15:00 UTC on 30 November: midnight of 1 December in Jayapura, still 22.00 on 30 November in Jakarta.
    const atWitMidnight = new Date('2026-11-30T15:00:00Z');
    expect(problemOf(tmtDec2026, 'PNS', atWitMidnight, WIT)).toBeNull();
    expect(problemOf(tmtDec2026, 'PNS', atWitMidnight, WIB)).toBe('tmt_in_future');
    expect(problemOf(tmtDec2026, 'PNS', new Date('2026-11-30T14:59:59Z'), WIT)).toBe('tmt_in_future');
  });
});

describe('formatNip', () => {
  it('groups an 18-digit NIP', () => {
    expect(formatNip(VALID)).toBe('19860926 201505 1 001');
  });

  it.each(['19860926201505100', '19860926 201505 1 001', '19860926201505100A', ''])(
    'returns %j unchanged',
    (input) => {
      expect(formatNip(input)).toBe(input);
    },
  );
});

describe('maskNip', () => {
  it('shows only the sequence, keeping the grouping', () => {
    expect(maskNip(VALID)).toBe('******** ****** * 001');
    expect(maskNip('199003152021212042')).toBe('******** ****** * 042');
  });

  it.each(['19860926201505100', '19860926 201505 1 001', 'abc', ''])(
    'masks %j as a fixed string',
    (input) => {
      expect(maskNip(input)).toBe('******');
    },
  );
});

describe('parseNip / composeNip', () => {
  it('parses the parts of a NIP', () => {
    expect(parseNip(VALID)).toEqual({
      birthDate: '1986-09-26',
      tmt: '2015-05',
      gender: 'male',
      sequence: '001',
    });
    expect(parseNip('199003152021062042')).toEqual({
      birthDate: '1990-03-15',
      tmt: '2021-06',
      gender: 'female',
      sequence: '042',
    });
  });

  it.each([
    ['grouped input', '19860926 201505 1 001'],
    ['17 digits', '19860926201505100'],
    ['30 February', '198602302015051001'],
    ['TMT month 13', '198609262015131001'],
    ['TMT month 00', '198609262015001001'],
    ['gender 3', '198609262015053001'],
    ['a PPPK number', '199003152021211005'],
  ])('returns null for %s', (_label, input) => {
    expect(parseNip(input)).toBeNull();
  });

  it('does not apply the today-dependent checks', () => {
    expect(parseNip('198609262099121001')).toEqual({
      birthDate: '1986-09-26',
      tmt: '2099-12',
      gender: 'male',
      sequence: '001',
    });
  });

  it('round-trips', () => {
    for (const nip of [VALID, '199003152021062042', '198802292010011999']) {
      const parts = parseNip(nip);
      expect(parts).not.toBeNull();
      if (parts) expect(composeNip(parts)).toBe(nip);
    }
  });

  it('composes from parts', () => {
    expect(composeNip({ birthDate: '1986-09-26', tmt: '2015-05', gender: 'male', sequence: '001' })).toBe(
      VALID,
    );
  });

  it.each(['01', '0001', 'abc', ''])('throws on sequence %j', (sequence) => {
    expect(() => composeNip({ birthDate: '1986-09-26', tmt: '2015-05', gender: 'male', sequence })).toThrow(
      RangeError,
    );
  });

  it('throws on parts parseNip could not have produced', () => {
    const base = { birthDate: '1986-09-26', tmt: '2015-05', gender: 'male', sequence: '001' } as const;
    expect(() => composeNip({ ...base, birthDate: '1986-02-30' })).toThrow(RangeError);
    expect(() => composeNip({ ...base, birthDate: '19860926' })).toThrow(RangeError);
    expect(() => composeNip({ ...base, tmt: '2015-13' })).toThrow(RangeError);
    expect(() => composeNip({ ...base, tmt: '201505' })).toThrow(RangeError);
  });
});

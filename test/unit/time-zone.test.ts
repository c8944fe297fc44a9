import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/core/config.js';
import {
  addDays,
  canonicalTimeZone,
  DEFAULT_TIME_ZONE,
  dayNumber,
  parseWallClock,
  timeZone,
} from '../../src/core/time-zone.js';

const WIB = timeZone('Asia/Jakarta');
const WITA = timeZone('Asia/Makassar');
const WIT = timeZone('Asia/Jayapura');

describe('the Indonesian zones', () => {
  it('are named WIB, WITA and WIT, Pontianak (Kalimantan Barat) being WIB too', () => {
    expect([WIB.label, WITA.label, WIT.label, timeZone('Asia/Pontianak').label]).toEqual([
      'WIB',
      'WITA',
      'WIT',
      'WIB',
    ]);
    expect(WITA.labelAt('2024-07-01T00:00:00Z')).toBe('WITA');
  });

  it('are 7, 8 and 9 hours ahead of UTC', () => {
    const at = new Date('2024-01-16T03:00:00Z');
    expect([WIB, WITA, WIT].map((zone) => zone.offsetMinutes(at))).toEqual([7 * 60, 8 * 60, 9 * 60]);
  });

  it('know the old name of Makassar', () => {
    expect(timeZone('Asia/Ujung_Pandang')).toMatchObject({ id: 'Asia/Makassar', label: 'WITA' });
  });

  it('default to Jakarta', () => {
    expect(DEFAULT_TIME_ZONE).toBe('Asia/Jakarta');
  });
});

describe('dayOf: the calendar day of an instant', () => {
  it('turns at local midnight in each zone', () => {
    // Midnight of 16 January: 17.00 UTC (WIB), 16.00 UTC (WITA), 15.00 UTC (WIT) on the 15th.
    const cases = [
      [WIB, '2024-01-15T17:00:00.000Z'],
      [WITA, '2024-01-15T16:00:00.000Z'],
      [WIT, '2024-01-15T15:00:00.000Z'],
    ] as const;
    for (const [zone, midnight] of cases) {
      const justBefore = new Date(Date.parse(midnight) - 1);
      expect(zone.dayOf(justBefore), zone.label).toBe('2024-01-15');
      expect(zone.dayOf(midnight), zone.label).toBe('2024-01-16');
    }
  });

  it('gives three different days for one instant in three zones around midnight', () => {
    const at = '2024-01-15T15:30:00Z';
    expect(WIB.dayOf(at)).toBe('2024-01-15');
    expect(WITA.dayOf(at)).toBe('2024-01-15');
    expect(WIT.dayOf(at)).toBe('2024-01-16');
  });

  it('crosses months and years', () => {
    expect(WIT.dayOf('2023-12-31T15:00:00Z')).toBe('2024-01-01');
    expect(WITA.dayOf('2024-02-28T16:00:00Z')).toBe('2024-02-29');
  });
});

describe('stamp and wallClock: what the clocks read', () => {
  it('writes the local date and time for files', () => {
    expect(WIB.stamp('2024-11-05T03:15:09.123Z')).toBe('2024-11-05 10:15:09');
    expect(WITA.stamp('2024-11-05T03:15:09.123Z')).toBe('2024-11-05 11:15:09');
    expect(WIT.stamp('2024-11-05T17:30:00Z')).toBe('2024-11-06 02:30:00');
  });

  it('gives the parts of the reading', () => {
    expect(WITA.wallClock(new Date('2024-12-06T20:39:00Z'))).toEqual({
      year: 2024,
      month: 12,
      day: 7,
      hour: 4,
      minute: 39,
      second: 0,
    });
  });

  it('moves an instant so that its UTC fields read the local clock (for Excel cells)', () => {
    expect(WIT.wallClockAsUtc('2024-11-05T03:15:00Z').toISOString()).toBe('2024-11-05T12:15:00.000Z');
  });

  it('refuses an invalid instant', () => {
    expect(() => WIB.dayOf(new Date('no date'))).toThrow(RangeError);
  });
});

describe('instantOf: the instant a local date and time denote', () => {
  it('reads a datetime-local value on the clocks of the zone', () => {
    expect(WIB.instantOf('2024-02-14T08:00')?.toISOString()).toBe('2024-02-14T01:00:00.000Z');
    expect(WITA.instantOf('2024-02-14T08:00')?.toISOString()).toBe('2024-02-14T00:00:00.000Z');
    expect(WIT.instantOf('2024-02-14T08:00')?.toISOString()).toBe('2024-02-13T23:00:00.000Z');
    expect(WIT.instantOf('2024-02-14T08:00:30')?.toISOString()).toBe('2024-02-13T23:00:30.000Z');
  });

  it('reads a date alone as the first moment of that local day', () => {
    expect(WITA.instantOf('2024-01-16')?.toISOString()).toBe('2024-01-15T16:00:00.000Z');
    expect(WIT.instantOf('2024-01-16')?.toISOString()).toBe('2024-01-15T15:00:00.000Z');
  });

  it('is undone by stamp', () => {
    for (const zone of [WIB, WITA, WIT]) {
      const at = zone.instantOf('2030-01-29T16:30') as Date;
      expect(zone.stamp(at)).toBe('2030-01-29 16:30:00');
    }
  });

  it('refuses what is not a real date and time', () => {
    for (const bad of [
      '2024-02-30T08:00',
      '2023-02-29',
      '2024-13-01',
      '2024-01-16T24:00',
      '2024-01-16T08:60',
      '',
      '16-01-2024',
      '2024-1-16',
    ]) {
      expect(WIB.instantOf(bad), bad).toBeNull();
    }
    expect(WIB.instantOf('2024-02-29')?.toISOString()).toBe('2024-02-28T17:00:00.000Z');
  });
});

describe('zones with daylight saving time (not Indonesian, but TIME_ZONE accepts them)', () => {
  const amsterdam = timeZone('Europe/Amsterdam');

  it('are labelled by their name, and each time by its offset that day', () => {
    expect(amsterdam.label).toBe('Europe/Amsterdam');
    expect(amsterdam.labelAt('2024-01-15T12:00:00Z')).toBe('UTC+1');
    expect(amsterdam.labelAt('2024-07-15T12:00:00Z')).toBe('UTC+2');
  });

  it('read a skipped time with the offset before the change, and a repeated one as the earlier', () => {
    // 31 March 2024: clocks go from 02.00 to 03.00; 27 October: from 03.00 back to 02.00.
    expect(amsterdam.instantOf('2024-03-31T02:30')?.toISOString()).toBe('2024-03-31T01:30:00.000Z');
    expect(amsterdam.instantOf('2024-10-27T02:30')?.toISOString()).toBe('2024-10-27T00:30:00.000Z');
    expect(amsterdam.instantOf('2024-07-01')?.toISOString()).toBe('2024-06-30T22:00:00.000Z');
  });

  it('a zone with a fixed offset elsewhere is labelled by it', () => {
    expect(timeZone('Asia/Kolkata').label).toBe('UTC+5.30');
    expect(timeZone('America/Sao_Paulo').label).toBe('UTC−3');
    expect(timeZone('UTC').label).toBe('UTC');
    expect(timeZone('Asia/Singapore').label).toBe('UTC+8');
  });
});

describe('an unknown zone', () => {
  it('is refused with an Indonesian message', () => {
    expect(() => timeZone('Asia/Bandung')).toThrow(/zona waktu "Asia\/Bandung" tidak dikenal/);
    expect(canonicalTimeZone('Asia/Bandung')).toBeNull();
    expect(canonicalTimeZone('')).toBeNull();
    expect(canonicalTimeZone('asia/makassar')).toBe('Asia/Makassar');
  });

  it('stops the app at start: TIME_ZONE is checked with the rest of the configuration', () => {
    let problems: string[] = [];
    try {
      loadConfig({ TIME_ZONE: 'WITA' });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      problems = (err as ConfigError).problems;
    }
    expect(problems).toEqual([expect.stringMatching(/^TIME_ZONE: TIME_ZONE bukan zona waktu yang dikenal/)]);
  });

  it('while a known one is read from TIME_ZONE, and Jakarta is the default', () => {
    expect(loadConfig({}).timeZone).toMatchObject({ id: 'Asia/Jakarta', label: 'WIB' });
    expect(loadConfig({ TIME_ZONE: 'Asia/Jayapura' }).timeZone).toMatchObject({
      id: 'Asia/Jayapura',
      label: 'WIT',
    });
    expect(loadConfig({ TIME_ZONE: ' ' }).timeZone.id).toBe('Asia/Jakarta');
  });
});

describe('calendar days', () => {
  it('are counted and added without a zone', () => {
    expect(dayNumber('1970-01-02')).toBe(1);
    expect(dayNumber('2024-03-01') - dayNumber('2024-02-28')).toBe(2);
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(() => dayNumber('2024-02-30')).toThrow(RangeError);
  });

  it('parse into a wall-clock reading, or null', () => {
    expect(parseWallClock('2024-01-16T08:05')).toEqual({
      year: 2024,
      month: 1,
      day: 16,
      hour: 8,
      minute: 5,
      second: 0,
    });
    expect(parseWallClock('2024-02-30')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { timeZone } from '../../src/core/time-zone.js';
import {
  createFormatter,
  formatDay,
  formatNumber,
  formatPercent,
  formatsIn,
  formatterFor,
} from '../../src/web/format.js';

const wib = createFormatter(timeZone('Asia/Jakarta'));
const wita = createFormatter(timeZone('Asia/Makassar'));
const wit = createFormatter(timeZone('Asia/Jayapura'));

describe('formatDate', () => {
  it('writes the weekday, day, month and year in Indonesian', () => {
    expect(wib.formatDate('2023-11-21T03:00:00Z')).toBe('Selasa, 21 November 2023');
    expect(wib.formatDate(new Date('2023-11-21T03:00:00Z'))).toBe('Selasa, 21 November 2023');
  });

  it('uses the calendar day of the zone, not the UTC one', () => {
    // 17:30 UTC on the 20th is 00:30 WIB on the 21st.
    expect(wib.formatDate('2023-11-20T17:30:00Z')).toBe('Selasa, 21 November 2023');
    // 16:59 UTC on the 20th is still 23:59 WIB on the 20th.
    expect(wib.formatDate('2023-11-20T16:59:00Z')).toBe('Senin, 20 November 2023');
  });

  it('turns the day an hour earlier in WITA and two hours earlier in WIT', () => {
    // 15:30 UTC on the 20th: 22.30 WIB (the 20th), 23.30 WITA (the 20th), 00.30 WIT (the 21st).
    expect(wib.formatDate('2023-11-20T15:30:00Z')).toBe('Senin, 20 November 2023');
    expect(wita.formatDate('2023-11-20T15:30:00Z')).toBe('Senin, 20 November 2023');
    expect(wit.formatDate('2023-11-20T15:30:00Z')).toBe('Selasa, 21 November 2023');
    // 16:00 UTC: midnight in Makassar.
    expect(wita.formatDate('2023-11-20T16:00:00Z')).toBe('Selasa, 21 November 2023');
  });
});

describe('formatShortDate', () => {
  it('omits the weekday', () => {
    expect(wib.formatShortDate('2023-11-21T03:00:00Z')).toBe('21 November 2023');
  });
});

describe('formatTime', () => {
  it('shows the local time with a dot between hours and minutes and the zone after it', () => {
    expect(wib.formatTime('2023-11-21T07:30:00Z')).toBe('14.30 WIB');
    expect(wita.formatTime('2023-11-21T07:30:00Z')).toBe('15.30 WITA');
    expect(wit.formatTime('2023-11-21T07:30:00Z')).toBe('16.30 WIT');
  });

  it('uses a 24-hour clock with two-digit hours', () => {
    expect(wib.formatTime('2023-11-20T17:05:00Z')).toBe('00.05 WIB');
    expect(wib.formatTime('2023-11-21T16:59:00Z')).toBe('23.59 WIB');
  });
});

describe('formatDateTime', () => {
  it('joins the date and time with "pukul"', () => {
    expect(wib.formatDateTime('2023-11-21T03:15:00Z')).toBe('21 November 2023 pukul 10.15 WIB');
    expect(wita.formatDateTime('2023-11-21T02:15:00Z')).toBe('21 November 2023 pukul 10.15 WITA');
    expect(wit.formatDateTime('2023-11-21T01:15:00Z')).toBe('21 November 2023 pukul 10.15 WIT');
  });

  it('moves the date forward across local midnight', () => {
    expect(wib.formatDateTime('2023-11-20T17:30:00Z')).toBe('21 November 2023 pukul 00.30 WIB');
    expect(wit.formatDateTime('2023-11-20T15:30:00Z')).toBe('21 November 2023 pukul 00.30 WIT');
  });
});

describe('daysUntil', () => {
  it('counts calendar days of the zone', () => {
    // Deadline 23.59 WITA on the 21st; now 00.30 WITA on the 21st (16:30 UTC the day before): the same day.
    expect(wita.daysUntil('2023-11-21T15:59:00Z', new Date('2023-11-20T16:30:00Z'))).toBe(0);
    // Read in WIB, now (23.30 on the 20th) is still the day before.
    expect(wib.daysUntil('2023-11-21T15:59:00Z', new Date('2023-11-20T16:30:00Z'))).toBe(1);
    expect(wit.daysUntil('2023-11-20T12:00:00Z', new Date('2023-11-22T12:00:00Z'))).toBe(-2);
  });
});

describe('the zone name', () => {
  it('is given for labels that name no instant', () => {
    expect([wib.zone, wita.zone, wit.zone]).toEqual(['WIB', 'WITA', 'WIT']);
  });
});

describe('formatDay', () => {
  it('writes a calendar day as it is, in any zone', () => {
    expect(formatDay('2023-11-21')).toBe('21 November 2023');
    expect(formatDay('2024-02-29')).toBe('29 Februari 2024');
  });
});

describe('formatNumber', () => {
  it('groups thousands with dots', () => {
    expect(formatNumber(28289413)).toBe('28.289.413');
    expect(formatNumber(999)).toBe('999');
  });
});

describe('formatPercent', () => {
  it('uses a decimal comma, one decimal and no space before %', () => {
    expect(formatPercent(0.943)).toBe('94,3%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0)).toBe('0%');
  });

  it('rounds half up, but shows 100% only for the whole and 0% only for nothing', () => {
    expect(formatPercent(6 / 9)).toBe('66,7%');
    expect(formatPercent(2 / 3)).toBe('66,7%');
    expect(formatPercent(999 / 1000)).toBe('99,9%');
    expect(formatPercent(0.0875)).toBe('8,8%');
    expect(formatPercent(0.9999)).toBe('99,9%');
    expect(formatPercent(0.99996)).toBe('99,9%');
    expect(formatPercent(0.0004)).toBe('0,1%');
    expect(formatPercent(0.00001)).toBe('0,1%');
  });
});

describe('formatNumericDateTime', () => {
  it('writes a compact day and time for a printed table', () => {
    expect(wib.formatNumericDateTime('2023-11-21T03:15:00Z')).toBe('21/11/2023 10.15 WIB');
    expect(wit.formatNumericDateTime('2023-11-21T03:15:00Z')).toBe('21/11/2023 12.15 WIT');
  });
});

describe('in English', () => {
  const en = createFormatter(timeZone('Asia/Jakarta'), 'en');
  const enWit = createFormatter(timeZone('Asia/Jayapura'), 'en');

  it('writes dates with the weekday, the day before the month, and the year', () => {
    expect(en.formatDate('2023-11-21T03:00:00Z')).toBe('Tuesday, 21 November 2023');
    expect(en.formatShortDate('2023-11-21T03:00:00Z')).toBe('21 November 2023');
    expect(en.formatDay('2024-02-29')).toBe('29 February 2024');
    // The zone's calendar day, as in Indonesian: 15:30 UTC on the 20th is the 21st in Jayapura.
    expect(enWit.formatDate('2023-11-20T15:30:00Z')).toBe('Tuesday, 21 November 2023');
  });

  it('writes times with a colon and the zone, joined to the date by "at"', () => {
    expect(en.formatTime('2023-11-21T07:30:00Z')).toBe('14:30 WIB');
    expect(en.formatTime('2023-11-20T17:05:00Z')).toBe('00:05 WIB');
    expect(en.formatDateTime('2023-11-21T03:15:00Z')).toBe('21 November 2023 at 10:15 WIB');
    expect(enWit.formatDateTime('2023-11-21T01:15:00Z')).toBe('21 November 2023 at 10:15 WIT');
    expect(en.formatNumericDateTime('2023-11-21T03:15:00Z')).toBe('21/11/2023 10:15 WIB');
  });

  it('groups thousands with commas and writes a decimal point, by the same percentage rule', () => {
    expect(en.formatNumber(28289413)).toBe('28,289,413');
    expect(en.formatPercent(0.943)).toBe('94.3%');
    expect(en.formatPercent(6 / 9)).toBe('66.7%');
    expect(en.formatPercent(0.9999)).toBe('99.9%');
    expect(en.formatPercent(0.0004)).toBe('0.1%');
    expect(en.formatPercent(1)).toBe('100%');
    expect(en.formatPercent(0)).toBe('0%');
  });

  it('leaves Indonesian as it was', () => {
    expect(createFormatter(timeZone('Asia/Jakarta'), 'id').formatDateTime('2023-11-21T03:15:00Z')).toBe(
      '21 November 2023 pukul 10.15 WIB',
    );
    expect(wib.language).toBe('id');
    expect(en.language).toBe('en');
  });
});

describe('formatterFor and formatsIn', () => {
  it('keep one formatter per zone and language, Indonesian when none is named', () => {
    const jakarta = timeZone('Asia/Jakarta');
    expect(formatterFor(jakarta, 'en')).toBe(formatterFor(jakarta, 'en'));
    expect(formatterFor(jakarta, 'en')).not.toBe(formatterFor(jakarta, 'id'));
    expect(formatterFor(jakarta, null)).toBe(formatterFor(jakarta, 'id'));
    expect(formatsIn('en').formatNumber(1250)).toBe('1,250');
    expect(formatsIn(null).formatNumber(1250)).toBe('1.250');
  });
});

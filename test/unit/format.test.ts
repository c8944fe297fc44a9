import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDateTime,
  formatNumber,
  formatPercent,
  formatShortDate,
  formatTime,
} from '../../src/web/format.js';

describe('formatDate', () => {
  it('writes the weekday, day, month and year in Indonesian', () => {
    expect(formatDate('2023-11-21T03:00:00Z')).toBe('Selasa, 21 November 2023');
    expect(formatDate(new Date('2023-11-21T03:00:00Z'))).toBe('Selasa, 21 November 2023');
  });

  it('uses the Asia/Jakarta calendar day, not the UTC one', () => {
    // 17:30 UTC on the 20th is 00:30 WIB on the 21st.
    expect(formatDate('2023-11-20T17:30:00Z')).toBe('Selasa, 21 November 2023');
    // 16:59 UTC on the 20th is still 23:59 WIB on the 20th.
    expect(formatDate('2023-11-20T16:59:00Z')).toBe('Senin, 20 November 2023');
  });
});

describe('formatShortDate', () => {
  it('omits the weekday', () => {
    expect(formatShortDate('2023-11-21T03:00:00Z')).toBe('21 November 2023');
  });
});

describe('formatTime', () => {
  it('shows Jakarta time with a dot between hours and minutes', () => {
    expect(formatTime('2023-11-21T07:30:00Z')).toBe('14.30 WIB');
  });

  it('uses a 24-hour clock with two-digit hours', () => {
    expect(formatTime('2023-11-20T17:05:00Z')).toBe('00.05 WIB');
    expect(formatTime('2023-11-21T16:59:00Z')).toBe('23.59 WIB');
  });
});

describe('formatDateTime', () => {
  it('joins the date and time with "pukul"', () => {
    expect(formatDateTime('2023-11-21T03:15:00Z')).toBe('21 November 2023 pukul 10.15 WIB');
  });

  it('moves the date forward across Jakarta midnight', () => {
    expect(formatDateTime('2023-11-20T17:30:00Z')).toBe('21 November 2023 pukul 00.30 WIB');
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
});

// The one place that turns stored values into Indonesian text. Stored times are UTC; people read them in a time zone
// (WIB, WITA or WIT: their unit's, else the instance's TIME_ZONE), so dates and times are formatted by a formatter
// made for that zone (formatterFor), which views get as `fmt`. Numbers read the same everywhere.
import { dayNumber, type TimeZone } from '../core/time-zone.js';

const LOCALE = 'id-ID';

const numberFormat = new Intl.NumberFormat(LOCALE);
const percentFormat = new Intl.NumberFormat(LOCALE, { style: 'percent', maximumFractionDigits: 1 });
// A calendar day is the same day in every zone: it is formatted as the UTC day it is written as.
const dayFormat = new Intl.DateTimeFormat(LOCALE, {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

const toDate = (value: Date | string): Date => (typeof value === 'string' ? new Date(value) : value);

/** "28.289.413" */
export const formatNumber = (value: number): string => numberFormat.format(value);

/**
 * The one percentage rule (screens, exports, the API): a share in percent to one decimal, rounded half up, except
 * that it reads 100 only when the share is whole and 0 only when it is nothing (99,96% is 99,9%, 0,04% is 0,1%).
 * `exactTenths` is the share in tenths of a percent (ratio × 1000).
 */
function tenthsOfPercent(exactTenths: number): number {
  if (!(exactTenths > 0)) return 0;
  if (exactTenths >= 1000) return 1000;
  // The nudge absorbs the binary error of a ratio that was itself a one-decimal percent (0.667 × 1000).
  return Math.min(999, Math.max(1, Math.floor(exactTenths + 0.5 + 1e-9)));
}

/** `part` of `whole` in percent by the rule above (6 of 9 → 66.7, 999 of 1000 → 99.9); null when `whole` is 0. */
export function percentOf(part: number, whole: number): number | null {
  if (whole <= 0) return null;
  // part × 1000 / whole is one correctly rounded division, so an exact half (7 of 80: 87.5 tenths) stays exact.
  return tenthsOfPercent(part >= whole ? 1000 : (part * 1000) / whole) / 10;
}

/** 0.943 → "94,3%", by the rule above: 0.9999 → "99,9%", 1 → "100%", 0 → "0%". */
export const formatPercent = (ratio: number): string =>
  percentFormat.format(tenthsOfPercent(ratio * 1000) / 1000).replace(/\s/g, '');

/** A calendar day 'YYYY-MM-DD' (no instant, so no zone) → "21 November 2023". */
export const formatDay = (day: string): string => dayFormat.format(new Date(`${day}T00:00:00Z`));

/** Dates, times and numbers as people of one time zone read them. */
export interface Formatter {
  /** The zone's name as written after a time: "WIB", "WITA", "WIT" (see TimeZone.label). */
  readonly zone: string;
  /** "Selasa, 21 November 2023" */
  formatDate(value: Date | string): string;
  /** "21 November 2023" */
  formatShortDate(value: Date | string): string;
  /** "14.30 WIB" (Indonesian writes the hour and minutes with a dot) */
  formatTime(value: Date | string): string;
  /** "21 November 2023 pukul 10.15 WIB" */
  formatDateTime(value: Date | string): string;
  /** Whole calendar days (here) from `now` to `deadline`: positive ahead, 0 on the day, negative after. */
  daysUntil(deadline: Date | string, now: Date): number;
  formatNumber(value: number): string;
  formatPercent(ratio: number): string;
  formatDay(day: string): string;
}

const formatters = new Map<string, Formatter>();

/**
 * The formatter of a time zone, made once per process and zone and then shared (it holds Intl formatters and depends
 * on nothing but the zone): what a request, a receipt or a mail asks for the zone of the person it is for.
 */
export function formatterFor(zone: TimeZone): Formatter {
  let formatter = formatters.get(zone.id);
  if (formatter === undefined) {
    formatter = createFormatter(zone);
    formatters.set(zone.id, formatter);
  }
  return formatter;
}

/** A new formatter of a time zone (it holds Intl formatters: prefer `formatterFor`, which keeps one per zone). */
export function createFormatter(zone: TimeZone): Formatter {
  const dateFormat = new Intl.DateTimeFormat(LOCALE, {
    timeZone: zone.id,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });
  const shortDateFormat = new Intl.DateTimeFormat(LOCALE, {
    timeZone: zone.id,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });
  const timeFormat = new Intl.DateTimeFormat(LOCALE, {
    timeZone: zone.id,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const formatShortDate = (value: Date | string): string => shortDateFormat.format(toDate(value));
  const formatTime = (value: Date | string): string =>
    `${timeFormat.format(toDate(value)).replace(':', '.')} ${zone.labelAt(value)}`;
  return {
    zone: zone.label,
    formatDate: (value) => dateFormat.format(toDate(value)),
    formatShortDate,
    formatTime,
    formatDateTime: (value) => `${formatShortDate(value)} pukul ${formatTime(value)}`,
    daysUntil: (deadline, now) => dayNumber(zone.dayOf(deadline)) - dayNumber(zone.dayOf(now)),
    formatNumber,
    formatPercent,
    formatDay,
  };
}

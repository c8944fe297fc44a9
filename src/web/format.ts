// The one place that turns stored values into text people read, in Indonesian or English. Stored times are UTC;
// people read them in a time zone (WIB, WITA or WIT: their unit's, else the instance's TIME_ZONE) and a language (the
// request's, or the person's a mail goes to), so dates, times and numbers are formatted by a formatter made for that
// zone and language (formatterFor), which views get as `fmt`.
import { dayNumber, type TimeZone } from '../core/time-zone.js';
import { DEFAULT_LANGUAGE, type Language } from './i18n.js';

/** How each language writes: its Intl locale, the word between a date and a time, the hour–minute separator. */
const WRITING: Record<Language, { locale: string; at: string; clock: string }> = {
  // "21 November 2023 pukul 10.15 WIB": Indonesian writes the hour and minutes with a dot.
  id: { locale: 'id-ID', at: 'pukul', clock: '.' },
  // "21 November 2023 at 10:15 WIB": day before month, as British and international English write it.
  en: { locale: 'en-GB', at: 'at', clock: ':' },
};

/** The number, percent and calendar-day formats of one language. */
export interface LanguageFormats {
  formatNumber(value: number): string;
  formatPercent(ratio: number): string;
  formatDay(day: string): string;
}

const toDate = (value: Date | string): Date => (typeof value === 'string' ? new Date(value) : value);

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

function makeLanguageFormats(language: Language): LanguageFormats {
  const { locale } = WRITING[language];
  const numberFormat = new Intl.NumberFormat(locale);
  const percentFormat = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  // A calendar day is the same day in every zone: it is formatted as the UTC day it is written as.
  const dayFormat = new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });
  return {
    formatNumber: (value) => numberFormat.format(value),
    formatPercent: (ratio) => percentFormat.format(tenthsOfPercent(ratio * 1000) / 1000).replace(/\s/g, ''),
    formatDay: (day) => dayFormat.format(new Date(`${day}T00:00:00Z`)),
  };
}

const byLanguage: Record<Language, LanguageFormats> = {
  id: makeLanguageFormats('id'),
  en: makeLanguageFormats('en'),
};

/** Numbers, percentages and calendar days (nothing that needs a zone) as a language writes them; none: Indonesian. */
export const formatsIn = (language: Language | null | undefined): LanguageFormats =>
  byLanguage[language ?? DEFAULT_LANGUAGE];

/**
 * Numbers, percentages and calendar days in Indonesian, for what is stored rather than read by one person (the demo
 * seed's documents); people's pages, mails and files take a formatter of their language.
 */
export const { formatNumber, formatPercent, formatDay } = byLanguage[DEFAULT_LANGUAGE];

/** Dates, times and numbers as people of one time zone and language read them. */
export interface Formatter {
  /** The zone's name as written after a time: "WIB", "WITA", "WIT" (see TimeZone.label). */
  readonly zone: string;
  /** The language it writes: the reader's (a page, a file) or the recipient's (a mail). */
  readonly language: Language;
  /** "Selasa, 21 November 2023"; "Tuesday, 21 November 2023" */
  formatDate(value: Date | string): string;
  /** "21 November 2023" */
  formatShortDate(value: Date | string): string;
  /** "14.30 WIB" (Indonesian writes the hour and minutes with a dot); "14:30 WIB" */
  formatTime(value: Date | string): string;
  /** "21 November 2023 pukul 10.15 WIB"; "21 November 2023 at 10:15 WIB" */
  formatDateTime(value: Date | string): string;
  /** Compact, for a printed table: "21/11/2023 10.15 WIB"; "21/11/2023 10:15 WIB" */
  formatNumericDateTime(value: Date | string): string;
  /** Whole calendar days (here) from `now` to `deadline`: positive ahead, 0 on the day, negative after. */
  daysUntil(deadline: Date | string, now: Date): number;
  /** "28.289.413"; "28,289,413" */
  formatNumber(value: number): string;
  /** 0.943 → "94,3%"; "94.3%", by the rule above: 0.9999 → "99,9%", 1 → "100%", 0 → "0%". */
  formatPercent(ratio: number): string;
  /** A calendar day 'YYYY-MM-DD' (no instant, so no zone) → "21 November 2023". */
  formatDay(day: string): string;
}

const formatters = new Map<string, Formatter>();

/**
 * The formatter of a time zone and a language, made once per process, zone and language and then shared (it holds
 * Intl formatters and depends on nothing else): what a request, a receipt or a mail asks for the person it is for.
 */
export function formatterFor(zone: TimeZone, language: Language | null | undefined): Formatter {
  const chosen = language ?? DEFAULT_LANGUAGE;
  const key = `${zone.id} ${chosen}`;
  let formatter = formatters.get(key);
  if (formatter === undefined) {
    formatter = createFormatter(zone, chosen);
    formatters.set(key, formatter);
  }
  return formatter;
}

/** A new formatter (it holds Intl formatters: prefer `formatterFor`, which keeps one per zone and language). */
export function createFormatter(zone: TimeZone, language: Language = DEFAULT_LANGUAGE): Formatter {
  const { locale, at, clock } = WRITING[language];
  const shortDateFormat = new Intl.DateTimeFormat(locale, {
    timeZone: zone.id,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });
  const weekdayFormat = new Intl.DateTimeFormat(locale, { timeZone: zone.id, weekday: 'long' });
  const timeFormat = new Intl.DateTimeFormat(locale, {
    timeZone: zone.id,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const formatShortDate = (value: Date | string): string => shortDateFormat.format(toDate(value));
  const formatTime = (value: Date | string): string =>
    `${timeFormat.format(toDate(value)).replace(/[:.]/, clock)} ${zone.labelAt(value)}`;
  return {
    zone: zone.label,
    language,
    // The weekday, a comma, the day: written out rather than left to the locale data, which differs by ICU version.
    formatDate: (value) => `${weekdayFormat.format(toDate(value))}, ${formatShortDate(value)}`,
    formatShortDate,
    formatTime,
    formatDateTime: (value) => `${formatShortDate(value)} ${at} ${formatTime(value)}`,
    formatNumericDateTime: (value) => {
      const [date = '', time = ''] = zone.stamp(value).split(' ');
      return `${date.split('-').reverse().join('/')} ${time.slice(0, 5).replace(':', clock)} ${zone.labelAt(value)}`;
    },
    daysUntil: (deadline, now) => dayNumber(zone.dayOf(deadline)) - dayNumber(zone.dayOf(now)),
    ...byLanguage[language],
  };
}

// The one place that turns stored values into Indonesian text. Stored times are UTC; people read Asia/Jakarta.
const TIME_ZONE = 'Asia/Jakarta';
const LOCALE = 'id-ID';

const dateFormat = new Intl.DateTimeFormat(LOCALE, {
  timeZone: TIME_ZONE,
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const shortDateFormat = new Intl.DateTimeFormat(LOCALE, {
  timeZone: TIME_ZONE,
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const timeFormat = new Intl.DateTimeFormat(LOCALE, {
  timeZone: TIME_ZONE,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const numberFormat = new Intl.NumberFormat(LOCALE);
const percentFormat = new Intl.NumberFormat(LOCALE, { style: 'percent', maximumFractionDigits: 1 });

const toDate = (value: Date | string): Date => (typeof value === 'string' ? new Date(value) : value);

/** "Selasa, 21 November 2023" */
export const formatDate = (value: Date | string): string => dateFormat.format(toDate(value));

/** "21 November 2023" */
export const formatShortDate = (value: Date | string): string => shortDateFormat.format(toDate(value));

/** "14.30 WIB" (Indonesian writes the hour and minutes with a dot) */
export const formatTime = (value: Date | string): string =>
  `${timeFormat.format(toDate(value)).replace(':', '.')} WIB`;

/** "21 November 2023 pukul 10.15 WIB" */
export const formatDateTime = (value: Date | string): string =>
  `${formatShortDate(value)} pukul ${formatTime(value)}`;

/** "28.289.413" */
export const formatNumber = (value: number): string => numberFormat.format(value);

/** 0.943 → "94,3%" */
export const formatPercent = (ratio: number): string => percentFormat.format(ratio).replace(/\s/g, '');

const DAY_MS = 24 * 60 * 60 * 1000;
const jakartaDay = (value: Date | string): number =>
  Math.floor((toDate(value).getTime() + 7 * 3_600_000) / DAY_MS);

/** Whole calendar days (in Jakarta) from `now` to `deadline`: positive ahead, 0 on the day, negative after. */
export const daysUntil = (deadline: Date | string, now: Date): number =>
  jakartaDay(deadline) - jakartaDay(now);

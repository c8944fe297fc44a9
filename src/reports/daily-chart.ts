import { addDays, type TimeZone } from '../core/time-zone.js';

/** The chart shows at most this many days (the latest ones). */
const MAX_DAYS = 60;
const WIDTH = 600;
const HEIGHT = 160;

export interface ChartBar {
  /** 'YYYY-MM-DD', which the view writes out in the reader's language. */
  day: string;
  value: number;
  /** The drawn bar (its height in proportion to the busiest day's). */
  x: number;
  y: number;
  width: number;
  height: number;
  /** The day's whole column, drawn invisible, so that hovering anywhere over the day shows its value. */
  slotX: number;
  slotWidth: number;
}

export interface DailyChart {
  width: number;
  height: number;
  max: number;
  total: number;
  bars: ChartBar[];
  /** The first and last days ('YYYY-MM-DD'), the ends of the horizontal axis. */
  firstDay: string;
  lastDay: string;
  /** No signing at all in the period: the view says what will appear rather than drawing an empty box. */
  empty: boolean;
}

/**
 * Signings per hour (as stored, see migration 014) added up into calendar days of `zone`. An hour belongs to the
 * day it starts in: exact for every zone whose offset is whole hours, as all of Indonesia's are.
 */
export function signingsPerDay(
  hours: readonly { at: Date; signed: number }[],
  zone: TimeZone,
): Map<string, number> {
  const days = new Map<string, number>();
  for (const { at, signed } of hours) {
    const day = zone.dayOf(at);
    days.set(day, (days.get(day) ?? 0) + signed);
  }
  return days;
}

/**
 * Signings per day as bars for an SVG drawn by the view: one bar for every day of `zone` from `from` to `to` (days
 * without signings included, so gaps show), scaled to the busiest day. Geometry is computed here so the view only
 * draws.
 */
export function dailyChart(
  hours: readonly { at: Date; signed: number }[],
  from: Date,
  to: Date,
  zone: TimeZone,
): DailyChart {
  const counts = signingsPerDay(hours, zone);
  const days: string[] = [];
  const last = zone.dayOf(to);
  const earliest = addDays(last, -(MAX_DAYS - 1));
  const first = zone.dayOf(from);
  // biome-ignore lint/complexity/useMathMinMax: these are 'YYYY-MM-DD' strings, which Math.max would not compare
  for (let day = first > earliest ? first : earliest; ; day = addDays(day, 1)) {
    days.push(day);
    if (day >= last) break;
  }
  const max = Math.max(1, ...days.map((day) => counts.get(day) ?? 0));
  const slot = WIDTH / days.length;
  const total = days.reduce((sum, day) => sum + (counts.get(day) ?? 0), 0);
  const tenth = (value: number) => Math.round(value * 10) / 10;
  return {
    width: WIDTH,
    height: HEIGHT,
    max,
    total,
    firstDay: days[0] as string,
    lastDay: days[days.length - 1] as string,
    empty: total === 0,
    bars: days.map((day, i) => {
      const value = counts.get(day) ?? 0;
      // The busiest day reaches the top, where the vertical axis reads `max`.
      const height = Math.round((value / max) * HEIGHT);
      return {
        day,
        value,
        x: tenth(i * slot),
        y: HEIGHT - height,
        width: Math.max(1, tenth(slot - 2)),
        height,
        slotX: tenth(i * slot),
        slotWidth: tenth(slot),
      };
    }),
  };
}

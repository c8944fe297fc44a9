import { formatShortDate } from '../web/format.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const WIB_MS = 7 * 60 * 60 * 1000;
/** The chart shows at most this many days (the latest ones). */
const MAX_DAYS = 60;
const WIDTH = 600;
const HEIGHT = 160;

export interface ChartBar {
  day: string;
  label: string;
  value: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DailyChart {
  width: number;
  height: number;
  max: number;
  total: number;
  bars: ChartBar[];
}

const wibDay = (at: Date): string => new Date(at.getTime() + WIB_MS).toISOString().slice(0, 10);

/**
 * Signings per day as bars for an SVG drawn by the view: one bar for every WIB day from `from` to `to` (days without
 * signings included, so gaps show), scaled to the busiest day. Geometry is computed here so the view only draws.
 */
export function dailyChart(
  points: readonly { day: string; signed: number }[],
  from: Date,
  to: Date,
): DailyChart {
  const counts = new Map(points.map((p) => [p.day, p.signed]));
  const days: string[] = [];
  const last = wibDay(to);
  for (
    let at = new Date(Math.max(from.getTime(), to.getTime() - (MAX_DAYS - 1) * DAY_MS));
    ;
    at = new Date(at.getTime() + DAY_MS)
  ) {
    const day = wibDay(at);
    days.push(day);
    if (day >= last) break;
  }
  const max = Math.max(1, ...days.map((day) => counts.get(day) ?? 0));
  const slot = WIDTH / days.length;
  return {
    width: WIDTH,
    height: HEIGHT,
    max,
    total: days.reduce((sum, day) => sum + (counts.get(day) ?? 0), 0),
    bars: days.map((day, i) => {
      const value = counts.get(day) ?? 0;
      const height = Math.round((value / max) * (HEIGHT - 20));
      return {
        day,
        label: formatShortDate(`${day}T12:00:00+07:00`),
        value,
        x: Math.round(i * slot * 10) / 10,
        y: HEIGHT - height,
        width: Math.max(1, Math.round((slot - 2) * 10) / 10),
        height,
      };
    }),
  };
}

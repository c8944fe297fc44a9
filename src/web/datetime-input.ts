// <input type="date"> and <input type="datetime-local"> speak calendar days and wall-clock time without a zone; people
// mean the instance's zone (TIME_ZONE).
import { parseWallClock, type TimeZone } from '../core/time-zone.js';

const LOCAL_INPUT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const DAY_INPUT = /^\d{4}-\d{2}-\d{2}$/;

/** Whether a date input's value ('2024-02-14') is a real day of this century. */
export function isDayInput(value: string): boolean {
  const clock = DAY_INPUT.test(value) ? parseWallClock(value) : null;
  return clock !== null && clock.year >= 2000 && clock.year <= 2099;
}

/** Whether a datetime-local value ('2024-02-14T08:00') is a real date and time of this century. */
export function isLocalInput(value: string): boolean {
  const text = value.trim();
  const clock = LOCAL_INPUT.test(text) ? parseWallClock(text) : null;
  // No pact is signed, nor post published, outside this century.
  return clock !== null && clock.year >= 2000 && clock.year <= 2099;
}

/** '2024-02-14T08:00' read on the clocks of `zone` → the UTC instant, or null when it is not a real date and time. */
export function parseLocalInput(value: string, zone: TimeZone): Date | null {
  return isLocalInput(value) ? zone.instantOf(value.trim()) : null;
}

/** A stored instant as the value of a datetime-local input, on the clocks of `zone`. */
export function toLocalInput(at: Date | string, zone: TimeZone): string {
  return zone.stamp(at).slice(0, 16).replace(' ', 'T');
}

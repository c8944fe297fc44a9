import type { TimeZone } from '../core/time-zone.js';

/**
 * The first and last days of a pact's period on the instance's calendar: a deadline at midnight ends the day
 * before (as the reminders count it, slots.ts), so a sheet or a ceremony can be dated no later than that day.
 */
export function periodDays(
  zone: TimeZone,
  period: { opensAt: Date | string; deadline: Date | string },
): { first: string; last: string } {
  return {
    first: zone.dayOf(period.opensAt),
    last: zone.dayOf(new Date(new Date(period.deadline).getTime() - 1)),
  };
}

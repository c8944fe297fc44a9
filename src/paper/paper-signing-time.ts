import type { TimeZone } from '../core/time-zone.js';
import { periodDays } from '../pledges/period-days.js';
import type { Pact } from '../pledges/types.js';

export type PaperDayProblem = 'future' | 'before_opens' | 'after_deadline';

/**
 * Why a paper signing cannot have been made on a day, or null: the day lies within the pact's period (by the
 * instance's calendar) and is not later than today.
 */
export function paperDayProblem(
  zone: TimeZone,
  signedOn: string,
  pact: Pick<Pact, 'opensAt' | 'deadline'>,
  now: Date,
): PaperDayProblem | null {
  const { first, last } = periodDays(zone, pact);
  if (signedOn > zone.dayOf(now)) return 'future';
  if (signedOn < first) return 'before_opens';
  if (signedOn > last) return 'after_deadline';
  return null;
}

/**
 * The instant a paper signing is counted at: a sheet says the day, not the hour, so noon of that day in the
 * instance's zone, kept within the pact's period and not after now (a ceremony this morning counts from now, one
 * on the opening day from the opening). Every figure and chart that reads `signed_at` then places it on the right
 * day without an hour anyone could take for a fact.
 */
export function paperSigningTime(
  zone: TimeZone,
  signedOn: string,
  pact: Pick<Pact, 'opensAt' | 'deadline'>,
  now: Date,
): Date {
  const noon = (zone.instantOf(`${signedOn}T12:00`) as Date).getTime();
  const latest = Math.min(now.getTime(), Date.parse(pact.deadline));
  return new Date(Math.max(Date.parse(pact.opensAt), Math.min(noon, latest)));
}

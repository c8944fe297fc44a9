import { sharedTimeZone, type TimeZone } from '../core/time-zone.js';
import type { UnitRepository } from './unit-repository.js';

/**
 * The zones a unit may read instants in, besides following its parent (migration 017 holds the same list in a CHECK):
 * WIB, WITA and WIT. Deadlines stay instants; a unit's zone only decides how its people read them.
 */
export const UNIT_TIME_ZONES = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'] as const;

export type UnitTimeZone = (typeof UNIT_TIME_ZONES)[number];

export const isUnitTimeZone = (name: string): name is UnitTimeZone =>
  (UNIT_TIME_ZONES as readonly string[]).includes(name);

/**
 * The zone the people of a unit read instants in: the unit's own, else its nearest ancestor's, else the instance's
 * (`services.timeZone`, also for someone in no unit). One query, walking up from the unit (see `units.timeZoneOf`).
 */
export async function zoneOfUnit(
  services: { units: UnitRepository; timeZone: TimeZone },
  unitId: number | null,
): Promise<TimeZone> {
  const name = unitId === null ? null : await services.units.timeZoneOf(unitId);
  return name === null || name === services.timeZone.id ? services.timeZone : sharedTimeZone(name);
}

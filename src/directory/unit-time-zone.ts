import { sharedTimeZone, type TimeZone } from '../core/time-zone.js';

/**
 * The zones a unit may read instants in, besides following its parent (migration 017 holds the same list in a CHECK):
 * WIB, WITA and WIT. Deadlines stay instants; a unit's zone only decides how its people read them.
 */
export const UNIT_TIME_ZONES = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'] as const;

export type UnitTimeZone = (typeof UNIT_TIME_ZONES)[number];

export const isUnitTimeZone = (name: string): name is UnitTimeZone =>
  (UNIT_TIME_ZONES as readonly string[]).includes(name);

/**
 * The name of the zone a unit's people read instants in, its own or inherited, or null for the instance's: the
 * runtime's `unitTimeZones`, which keeps `units.timeZoneOf` in memory until the settings epoch moves.
 */
export type UnitZoneLookup = (unitId: number) => Promise<string | null>;

/**
 * The zone the people of a unit read instants in: the unit's own, else its nearest ancestor's, else the instance's
 * (`services.timeZone`, also for someone in no unit).
 */
export async function zoneOfUnit(
  services: { unitTimeZones: UnitZoneLookup; timeZone: TimeZone },
  unitId: number | null,
): Promise<TimeZone> {
  const name = unitId === null ? null : await services.unitTimeZones(unitId);
  return name === null || name === services.timeZone.id ? services.timeZone : sharedTimeZone(name);
}

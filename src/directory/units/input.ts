import { isUnitTimeZone } from '../unit-time-zone.js';
import type { UnitKind } from './kinds.js';

/** What an admin fills in for a unit, already parsed from the form. */
export interface UnitInput {
  code: string;
  name: string;
  kind: UnitKind;
  /** The unit's own zone as chosen ('Asia/Jayapura'), or null to follow its parent; checked by the operations. */
  timeZone: string | null;
}

/** Field → catalogue key: what an operation refused about a form, shown beside the field. */
export type UnitFieldErrors = Record<string, string>;

/** The refusals of what an operation checks in the input itself: a zone outside UNIT_TIME_ZONES (a crafted POST). */
export function inputErrors(input: UnitInput): UnitFieldErrors {
  return input.timeZone === null || isUnitTimeZone(input.timeZone)
    ? {}
    : { time_zone: 'admin.units.time_zone_invalid' };
}

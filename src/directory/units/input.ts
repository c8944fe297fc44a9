import type { HeadAppointment } from '../head-kind.js';
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

/**
 * The refusals of a head's appointment (its day already a real day, its decree a plausible number): an acting head
 * (Plt, Plh) needs the day they took the post and the decree's number, and no head takes the post after `today`
 * ('YYYY-MM-DD').
 */
export function appointmentErrors(appointment: HeadAppointment, today: string): UnitFieldErrors {
  const errors: UnitFieldErrors = {};
  if (appointment.kind !== 'definitif') {
    if (appointment.since === null) errors.head_since = 'admin.units.head.since_required';
    if (appointment.decree === null) errors.head_decree = 'admin.units.head.decree_required';
  }
  if (appointment.since !== null && appointment.since > today)
    errors.head_since = 'admin.units.head.since_future';
  return errors;
}

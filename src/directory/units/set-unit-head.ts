import { type Actor, recordEvent } from '../../audit/record-event.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import type { TimeZone } from '../../core/time-zone.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import { DEFINITIVE, type HeadAppointment } from '../head-kind.js';
import type { UnitRepository } from '../unit-repository.js';
import { inUnitScope, type UnitScope } from '../unit-scope.js';
import type { UserRepository } from '../user-repository.js';
import { appointmentErrors, type UnitFieldErrors } from './input.js';

export type SetUnitHeadResult =
  | { ok: true; changed: boolean }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'invalid'; errors: UnitFieldErrors };

/**
 * Makes one of the unit's own active users its head, definitive or acting (Plt, Plh: from a day, by a decree), or
 * clears the head (`userId` null; the appointment is then ignored). Admins may do this for any unit, operators for
 * the units of their subtree (`scope`); a unit outside the scope is answered as unknown. Both the scope and the
 * membership are checked inside the write transaction. Signatures already made stay as they are: each keeps the kind
 * of head its signer was when signing.
 */
export async function setUnitHead(
  services: {
    db: Db;
    units: UnitRepository;
    users: UserRepository;
    audit: AuditRepository;
    clock: Clock;
    timeZone: TimeZone;
  },
  options: {
    unitId: number;
    userId: number | null;
    appointment?: HeadAppointment;
    scope: UnitScope;
    actor: Actor;
  },
): Promise<SetUnitHeadResult> {
  const { userId } = options;
  const appointment = userId === null ? DEFINITIVE : (options.appointment ?? DEFINITIVE);
  return inTransaction(services.db, async () => {
    const unit = await services.units.findById(options.unitId);
    if (!unit || !(await inUnitScope(services, options.scope, unit.id)))
      return { ok: false, reason: 'not_found' } as const;
    const now = services.clock.now();
    const errors = appointmentErrors(appointment, services.timeZone.dayOf(now));
    if (userId !== null) {
      const user = await services.users.findById(userId);
      // Operators may choose only a signer (never an admin, another operator or themselves).
      const allowed = options.scope.kind === 'all' || user?.role === 'signer';
      if (!user || user.unitId !== unit.id || user.status !== 'active' || !allowed) {
        errors.head_user_id = 'admin.units.head_not_member';
      }
      // The form comes filled with the current head's appointment: a new person keeping their predecessor's decree
      // is that form sent unchanged, not a decree of theirs.
      if (
        unit.headUserId !== null &&
        unit.headUserId !== userId &&
        appointment.decree !== null &&
        appointment.decree === unit.headDecree
      ) {
        errors.head_decree = 'admin.units.head.decree_of_predecessor';
      }
    }
    if (Object.keys(errors).length > 0) return { ok: false, reason: 'invalid', errors } as const;
    const unchanged =
      unit.headUserId === userId &&
      unit.headKind === appointment.kind &&
      unit.headSince === appointment.since &&
      unit.headDecree === appointment.decree;
    if (unchanged) return { ok: true, changed: false } as const;
    await services.units.setHead(unit.id, userId, now, appointment);
    await recordEvent(services.audit, {
      actor: options.actor,
      action: 'unit.head_set',
      target: { type: 'unit', id: unit.id },
      details: {
        code: unit.code,
        fromUserId: unit.headUserId,
        fromKind: unit.headKind,
        toUserId: userId,
        kind: appointment.kind,
        since: appointment.since,
        decree: appointment.decree,
      },
      at: now,
    });
    return { ok: true, changed: true } as const;
  });
}

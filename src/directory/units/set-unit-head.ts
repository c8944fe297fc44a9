import { type Actor, recordEvent } from '../../audit/record-event.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import type { UnitRepository } from '../unit-repository.js';
import { inUnitScope, type UnitScope } from '../unit-scope.js';
import type { UserRepository } from '../user-repository.js';
import type { UnitFieldErrors } from './input.js';

export type SetUnitHeadResult =
  | { ok: true; changed: boolean }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'invalid'; errors: UnitFieldErrors };

/**
 * Makes one of the unit's own active users its head, or clears the head (`userId` null). Admins may do this for any
 * unit, operators for the units of their subtree (`scope`); a unit outside the scope is answered as unknown. Both
 * the scope and the membership are checked inside the write transaction.
 */
export async function setUnitHead(
  services: { db: Db; units: UnitRepository; users: UserRepository; audit: AuditRepository; clock: Clock },
  options: { unitId: number; userId: number | null; scope: UnitScope; actor: Actor },
): Promise<SetUnitHeadResult> {
  const { userId } = options;
  return inTransaction(services.db, async () => {
    const unit = await services.units.findById(options.unitId);
    if (!unit || !(await inUnitScope(services, options.scope, unit.id)))
      return { ok: false, reason: 'not_found' } as const;
    if (userId !== null) {
      const user = await services.users.findById(userId);
      // Operators may choose only a signer (never an admin, another operator or themselves).
      const allowed = options.scope.kind === 'all' || user?.role === 'signer';
      if (!user || user.unitId !== unit.id || user.status !== 'active' || !allowed) {
        return {
          ok: false,
          reason: 'invalid',
          errors: { head_user_id: 'admin.units.head_not_member' },
        } as const;
      }
    }
    if (unit.headUserId === userId) return { ok: true, changed: false } as const;
    const now = services.clock.now();
    await services.units.setHead(unit.id, userId, now);
    await recordEvent(services.audit, {
      actor: options.actor,
      action: 'unit.head_set',
      target: { type: 'unit', id: unit.id },
      details: { code: unit.code, fromUserId: unit.headUserId, toUserId: userId },
      at: now,
    });
    return { ok: true, changed: true } as const;
  });
}

import { type Actor, recordEvent } from '../../audit/record-event.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import type { UnitRepository } from '../unit-repository.js';

export type SetUnitActiveResult =
  | { ok: true; changed: boolean }
  | { ok: false; reason: 'not_found' }
  /** Deactivation refused: the unit still has active users or active child units (how many of each). */
  | { ok: false; reason: 'in_use'; activeUsers: number; activeChildren: number }
  /** Reactivation refused: the parent is inactive, and an inactive unit has no active children. */
  | { ok: false; reason: 'parent_inactive' };

/**
 * Deactivates a unit that has no active users and no active child units, or reactivates one whose parent is active
 * (or that has none). Checked inside the write transaction. Admins only (route guard).
 */
export async function setUnitActive(
  services: { db: Db; units: UnitRepository; audit: AuditRepository; clock: Clock },
  options: { unitId: number; active: boolean; actor: Actor },
): Promise<SetUnitActiveResult> {
  return inTransaction(services.db, async () => {
    const unit = await services.units.findById(options.unitId);
    if (!unit) return { ok: false, reason: 'not_found' } as const;
    if (unit.active === options.active) return { ok: true, changed: false } as const;
    if (options.active) {
      const parent = unit.parentId === null ? null : await services.units.findById(unit.parentId);
      if (parent && !parent.active) return { ok: false, reason: 'parent_inactive' } as const;
    } else {
      const activeUsers = await services.units.countActiveMembers(unit.id);
      const activeChildren = await services.units.countActiveChildren(unit.id);
      if (activeUsers > 0 || activeChildren > 0) {
        return { ok: false, reason: 'in_use', activeUsers, activeChildren } as const;
      }
    }
    const now = services.clock.now();
    await services.units.setActive(unit.id, options.active, now);
    await recordEvent(services.audit, {
      actor: options.actor,
      action: options.active ? 'unit.reactivated' : 'unit.deactivated',
      target: { type: 'unit', id: unit.id },
      details: { code: unit.code },
      at: now,
    });
    return { ok: true, changed: true } as const;
  });
}

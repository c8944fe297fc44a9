import { type Actor, recordEvent } from '../../audit/record-event.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import type { UnitRepository } from '../unit-repository.js';
import type { UnitFieldErrors } from './input.js';

export type MoveUnitResult =
  | { ok: true; changed: boolean }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'invalid'; errors: UnitFieldErrors };

/**
 * Gives a unit a new parent (or none: the top of the tree); its whole subtree moves with it. Refused, inside the
 * transaction so that no concurrent move can slip between check and write: a parent that is the unit itself or one
 * of its descendants (a cycle would cut the subtree off from every root), an unknown parent, and an inactive parent
 * for an active unit (an inactive unit has no active children). Admins only (route guard).
 */
export async function moveUnit(
  services: { db: Db; units: UnitRepository; audit: AuditRepository; clock: Clock },
  options: { unitId: number; parentId: number | null; actor: Actor },
): Promise<MoveUnitResult> {
  const { parentId } = options;
  return inTransaction(services.db, async () => {
    const unit = await services.units.findById(options.unitId);
    if (!unit) return { ok: false, reason: 'not_found' } as const;
    const refuse = (key: string) => ({ ok: false, reason: 'invalid', errors: { parent_id: key } }) as const;
    if (parentId !== null) {
      if (parentId === unit.id || (await services.units.descendantIds(unit.id)).includes(parentId)) {
        return refuse('admin.units.move_cycle');
      }
      const parent = await services.units.findById(parentId);
      if (!parent) return refuse('admin.units.parent_unknown');
      if (!parent.active && unit.active) return refuse('admin.units.parent_inactive');
    }
    if (parentId === unit.parentId) return { ok: true, changed: false } as const;
    const now = services.clock.now();
    await services.units.setParent(unit.id, parentId, now);
    await recordEvent(services.audit, {
      actor: options.actor,
      action: 'unit.moved',
      target: { type: 'unit', id: unit.id },
      details: { code: unit.code, fromParentId: unit.parentId, toParentId: parentId },
      at: now,
    });
    return { ok: true, changed: true } as const;
  });
}

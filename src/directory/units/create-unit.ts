import { type Actor, recordEvent } from '../../audit/record-event.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import type { UnitRepository } from '../unit-repository.js';
import { inputErrors, type UnitFieldErrors, type UnitInput } from './input.js';

export type CreateUnitResult = { ok: true; unitId: number } | { ok: false; errors: UnitFieldErrors };

/**
 * Adds a unit, under `parentId` or at the top of the tree. The code must be free (ignoring case), the parent must
 * exist and be active (both checked inside the write transaction), and its own zone, if any, one of UNIT_TIME_ZONES. Only admins reach this (route guard).
 */
export async function createUnit(
  services: { db: Db; units: UnitRepository; audit: AuditRepository; clock: Clock },
  options: { input: UnitInput; parentId: number | null; actor: Actor },
): Promise<CreateUnitResult> {
  const { input, parentId } = options;
  return inTransaction(services.db, async () => {
    const errors: UnitFieldErrors = inputErrors(input);
    if (await services.units.findByCode(input.code)) errors.code = 'admin.units.code_taken';
    if (parentId !== null) {
      const parent = await services.units.findById(parentId);
      if (!parent) errors.parent_id = 'admin.units.parent_unknown';
      else if (!parent.active) errors.parent_id = 'admin.units.parent_inactive';
    }
    if (Object.keys(errors).length > 0) return { ok: false, errors } as const;
    const now = services.clock.now();
    const unitId = await services.units.insert({ ...input, parentId }, now);
    await recordEvent(services.audit, {
      actor: options.actor,
      action: 'unit.created',
      target: { type: 'unit', id: unitId },
      details: { code: input.code, name: input.name, kind: input.kind, parentId, timeZone: input.timeZone },
      at: now,
    });
    return { ok: true, unitId } as const;
  });
}

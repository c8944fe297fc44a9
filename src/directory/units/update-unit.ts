import { type Actor, recordEvent } from '../../audit/record-event.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import type { UnitRepository } from '../unit-repository.js';
import { inputErrors, type UnitFieldErrors, type UnitInput } from './input.js';

export type UpdateUnitResult =
  | { ok: true; changed: boolean }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'invalid'; errors: UnitFieldErrors };

/**
 * Changes a unit's code, name, kind and own time zone. A code another unit uses (ignoring case) and a zone outside
 * UNIT_TIME_ZONES are refused. Admins only.
 */
export async function updateUnit(
  services: { db: Db; units: UnitRepository; audit: AuditRepository; clock: Clock },
  options: { unitId: number; input: UnitInput; actor: Actor },
): Promise<UpdateUnitResult> {
  const { input } = options;
  return inTransaction(services.db, async () => {
    const unit = await services.units.findById(options.unitId);
    if (!unit) return { ok: false, reason: 'not_found' } as const;
    const errors = inputErrors(input);
    const holder = await services.units.findByCode(input.code);
    if (holder && holder.id !== unit.id) errors.code = 'admin.units.code_taken';
    if (Object.keys(errors).length > 0) return { ok: false, reason: 'invalid', errors } as const;
    const before: Record<keyof UnitInput, string | null> = {
      code: unit.code,
      name: unit.name,
      kind: unit.kind,
      timeZone: unit.timeZone,
    };
    const changedFields = (Object.keys(before) as (keyof UnitInput)[]).filter(
      (key) => before[key] !== input[key],
    );
    if (changedFields.length === 0) return { ok: true, changed: false } as const;
    const now = services.clock.now();
    await services.units.update(unit.id, input, now);
    await recordEvent(services.audit, {
      actor: options.actor,
      action: 'unit.updated',
      target: { type: 'unit', id: unit.id },
      details: {
        before: Object.fromEntries(changedFields.map((key) => [key, before[key]])),
        after: Object.fromEntries(changedFields.map((key) => [key, input[key]])),
      },
      at: now,
    });
    return { ok: true, changed: true } as const;
  });
}

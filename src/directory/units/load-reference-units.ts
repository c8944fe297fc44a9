import { type Actor, recordEvent } from '../../audit/record-event.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import type { UnitRepository } from '../unit-repository.js';
import { loadReferenceUnits, readReferenceUnits } from './reference-units.js';

/** The reference sets an admin may load from the units page (files in db/seeds/). */
export const UNIT_REFERENCE_SETS = ['jateng-kabkota'] as const;
export type UnitReferenceSet = (typeof UNIT_REFERENCE_SETS)[number];

/**
 * Adds the units of a reference set that are not there yet (matched by code, ignoring case), in one transaction with
 * its audit event. Idempotent: a second load adds nothing and records nothing. Returns how many were added.
 */
export async function loadReferenceSet(
  services: { db: Db; units: UnitRepository; audit: AuditRepository; clock: Clock },
  options: { set: UnitReferenceSet; actor: Actor },
): Promise<{ added: number }> {
  const reference = readReferenceUnits(options.set);
  return inTransaction(services.db, async () => {
    const added = await loadReferenceUnits(services.units, reference, services.clock);
    if (added > 0) {
      await recordEvent(services.audit, {
        actor: options.actor,
        action: 'unit.reference_loaded',
        target: { type: 'unit_reference', id: options.set },
        details: { set: options.set, added, total: reference.length },
        at: services.clock.now(),
      });
    }
    return { added };
  });
}

import { type Actor, recordEvent } from '../../audit/record-event.js';
import { inTransaction } from '../../db/database.js';
import type { Services } from '../../services.js';
import { loadReferenceUnits, readReferenceUnits } from './reference-units.js';

/** The reference sets an admin may load from the units page (files in db/seeds/). */
export const UNIT_REFERENCE_SETS = ['jateng-kabkota'] as const;
export type UnitReferenceSet = (typeof UNIT_REFERENCE_SETS)[number];

/**
 * Adds the units of a reference set that are not there yet (matched by code, ignoring case), in one transaction with
 * its audit event. Idempotent: a second load adds nothing and records nothing. Returns how many were added.
 */
export function loadReferenceSet(
  services: Pick<Services, 'db' | 'units' | 'audit' | 'clock'>,
  options: { set: UnitReferenceSet; actor: Actor },
): { added: number } {
  const reference = readReferenceUnits(options.set);
  return inTransaction(services.db, () => {
    const added = loadReferenceUnits(services.units, reference, services.clock);
    if (added > 0) {
      recordEvent(services.audit, {
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

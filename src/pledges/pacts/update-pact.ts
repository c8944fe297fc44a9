import { type Actor, recordEvent } from '../../audit/record-event.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import type { TimeZone } from '../../core/time-zone.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import type { UnitRepository } from '../../directory/unit-repository.js';
import type { PactRepository } from '../pact-repository.js';
import { checkPactInput, type PactInput, toDraft } from './input.js';

export type UpdatePactResult =
  | { ok: true }
  | { ok: false; reason: 'not_found' | 'not_draft' }
  | { ok: false; reason: 'invalid'; errors: Record<string, string> };

/**
 * Changes a draft. Refused once the pact has opened — checked here and again by the UPDATE itself, so neither a
 * crafted POST nor a race with "open" can change a body people have signed.
 */
export async function updatePact(
  services: {
    db: Db;
    pacts: PactRepository;
    units: UnitRepository;
    audit: AuditRepository;
    clock: Clock;
    timeZone: TimeZone;
  },
  options: { pactId: number; input: PactInput; actor: Actor },
): Promise<UpdatePactResult> {
  const pact = await services.pacts.findById(options.pactId);
  if (!pact) return { ok: false, reason: 'not_found' };
  if (pact.status !== 'draft') return { ok: false, reason: 'not_draft' };
  const errors = await checkPactInput(services, options.input);
  if (Object.keys(errors).length > 0) return { ok: false, reason: 'invalid', errors };
  return inTransaction(services.db, async () => {
    const now = services.clock.now();
    if (!(await services.pacts.updateDraft(pact.id, toDraft(options.input), now)))
      return { ok: false, reason: 'not_draft' } as const;
    await services.pacts.setUnits(pact.id, options.input.unitIds);
    await recordEvent(services.audit, {
      actor: options.actor,
      action: 'pact.updated',
      target: { type: 'pact', id: pact.id },
      details: { title: options.input.title },
      at: now,
    });
    return { ok: true } as const;
  });
}

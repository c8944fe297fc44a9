import { type Actor, recordEvent } from '../../audit/record-event.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import type { TimeZone } from '../../core/time-zone.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import type { UnitRepository } from '../../directory/unit-repository.js';
import type { PactRepository } from '../pact-repository.js';
import { checkPactInput, type PactInput, toDraft } from './input.js';

export type CreatePactResult = { ok: true; pactId: number } | { ok: false; errors: Record<string, string> };

/** Drafts a new pact (version 1). Only admins reach this (the route's guard). */
export async function createPact(
  services: {
    db: Db;
    pacts: PactRepository;
    units: UnitRepository;
    audit: AuditRepository;
    clock: Clock;
    timeZone: TimeZone;
  },
  options: { input: PactInput; actor: Actor },
): Promise<CreatePactResult> {
  const errors = await checkPactInput(services, options.input);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return inTransaction(services.db, async () => {
    const now = services.clock.now();
    const pactId = await services.pacts.insert(
      { ...toDraft(options.input), version: 1, supersedesId: null, createdBy: options.actor.userId },
      now,
    );
    await services.pacts.setUnits(pactId, options.input.unitIds);
    await recordEvent(services.audit, {
      actor: options.actor,
      action: 'pact.created',
      target: { type: 'pact', id: pactId },
      details: { title: options.input.title, audience: options.input.audience, units: options.input.unitIds },
      at: now,
    });
    return { ok: true, pactId } as const;
  });
}

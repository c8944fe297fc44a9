import { type Actor, recordEvent } from '../../audit/record-event.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import type { PactRepository } from '../pact-repository.js';

export type RevisePactResult =
  | { ok: true; pactId: number; created: boolean }
  | { ok: false; reason: 'not_found' | 'not_open' };

/**
 * Starts a new version of an open pact: a draft copy (version + 1, supersedes_id) to edit and then open. If a
 * revision already exists, that one is returned instead of making a second.
 */
export async function revisePact(
  services: { db: Db; pacts: PactRepository; audit: AuditRepository; clock: Clock },
  options: { pactId: number; actor: Actor },
): Promise<RevisePactResult> {
  return inTransaction(services.db, async () => {
    const pact = await services.pacts.findById(options.pactId);
    if (!pact) return { ok: false, reason: 'not_found' } as const;
    const existing = await services.pacts.findRevision(pact.id);
    if (existing) return { ok: true, pactId: existing.id, created: false } as const;
    if (pact.status !== 'open') return { ok: false, reason: 'not_open' } as const;
    const now = services.clock.now();
    const pactId = await services.pacts.insert(
      {
        title: pact.title,
        body: pact.body,
        place: pact.place,
        audience: pact.audience,
        opensAt: pact.opensAt,
        deadline: pact.deadline,
        // Only an open pact is revised: never an archived one. Its ceremony stays planned for the new version.
        archived: false,
        ceremonyOn: pact.ceremonyOn,
        ceremonyPlace: pact.ceremonyPlace,
        version: pact.version + 1,
        supersedesId: pact.id,
        createdBy: options.actor.userId,
      },
      now,
    );
    await services.pacts.setUnits(pactId, await services.pacts.unitIds(pact.id));
    await recordEvent(services.audit, {
      actor: options.actor,
      action: 'pact.revised',
      target: { type: 'pact', id: pact.id },
      details: { newPactId: pactId, version: pact.version + 1 },
      at: now,
    });
    return { ok: true, pactId, created: true } as const;
  });
}

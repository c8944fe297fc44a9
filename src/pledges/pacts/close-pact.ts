import { type Actor, recordEvent } from '../../audit/record-event.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import type { PactRepository } from '../pact-repository.js';

export type ClosePactResult = { ok: true } | { ok: false; reason: 'not_found' | 'not_open' };

/** Ends signing of an open pact. Its signatures stay valid. */
export async function closePact(
  services: { db: Db; pacts: PactRepository; audit: AuditRepository; clock: Clock },
  options: { pactId: number; actor: Actor },
): Promise<ClosePactResult> {
  return inTransaction(services.db, async () => {
    if (!(await services.pacts.findById(options.pactId))) return { ok: false, reason: 'not_found' } as const;
    const now = services.clock.now();
    if (!(await services.pacts.close(options.pactId, now))) return { ok: false, reason: 'not_open' } as const;
    await recordEvent(services.audit, {
      actor: options.actor,
      action: 'pact.closed',
      target: { type: 'pact', id: options.pactId },
      at: now,
    });
    return { ok: true } as const;
  });
}

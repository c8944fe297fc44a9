import { type Actor, recordEvent } from '../../audit/record-event.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import type { PactRepository } from '../pact-repository.js';
import type { Pact } from '../types.js';

export type ExtendDeadlineResult =
  | { ok: true; pact: Pact }
  | { ok: false; reason: 'not_found' | 'not_open' }
  | { ok: false; reason: 'invalid'; errors: { deadline?: string; reason?: string } };

/**
 * Moves an open pact's deadline later, with a reason, audited, in one transaction that reads the pact afresh. A
 * deadline can only be extended: an earlier one, or one already past, is refused beside the field (people may
 * have planned by the deadline they were given). Reminders follow the new deadline by themselves (their slots are
 * counted from it); telling the people still required is the caller's, after this has committed.
 */
export async function extendDeadline(
  services: { db: Db; pacts: PactRepository; audit: AuditRepository; clock: Clock },
  options: { pactId: number; deadline: Date; reason: string; actor: Actor & { userId: number } },
): Promise<ExtendDeadlineResult> {
  return inTransaction(services.db, async (): Promise<ExtendDeadlineResult> => {
    const pact = await services.pacts.findById(options.pactId);
    if (!pact) return { ok: false, reason: 'not_found' };
    if (pact.status !== 'open') return { ok: false, reason: 'not_open' };
    const now = services.clock.now();
    const to = options.deadline.toISOString();
    if (to <= pact.deadline)
      return { ok: false, reason: 'invalid', errors: { deadline: 'admin.pacts.extend.not_later' } };
    if (options.deadline.getTime() <= now.getTime())
      return { ok: false, reason: 'invalid', errors: { deadline: 'admin.pacts.extend.past' } };
    const moved = await services.pacts.extendDeadline({
      pactId: pact.id,
      from: pact.deadline,
      to: options.deadline,
      reason: options.reason,
      by: options.actor.userId,
      at: now,
    });
    if (!moved) return { ok: false, reason: 'not_open' };
    await recordEvent(services.audit, {
      actor: options.actor,
      action: 'pact.deadline_extended',
      target: { type: 'pact', id: pact.id },
      details: { from: pact.deadline, to, reason: options.reason },
      at: now,
    });
    return { ok: true, pact: (await services.pacts.findById(pact.id)) as Pact };
  });
}

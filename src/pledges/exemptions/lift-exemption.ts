import type { Actor } from '../../audit/record-event.js';
import { recordEvent } from '../../audit/record-event.js';
import { inTransaction } from '../../db/database.js';
import type { User } from '../../directory/types.js';
import { canManageUser } from '../../directory/users/input.js';
import type { ExemptionServices } from './exempt-person.js';

/**
 * Lifts an exemption (the person must sign again from now), audited, with an optional reason. Answered as unknown
 * when the manager may not manage the person; false-y when it was lifted already.
 */
export async function liftExemption(
  services: ExemptionServices,
  options: {
    exemptionId: number;
    reason: string | null;
    manager: Pick<User, 'id' | 'role' | 'unitId'>;
    actor: Actor;
  },
): Promise<{ ok: true; pactId: number } | { ok: false; reason: 'not_found' | 'already_lifted' }> {
  return inTransaction(services.db, async () => {
    const exemption = await services.exemptions.findById(options.exemptionId);
    const person = exemption && (await services.users.findById(exemption.userId));
    if (!exemption || !person || !(await canManageUser(services, options.manager, person))) {
      return { ok: false, reason: 'not_found' } as const;
    }
    const now = services.clock.now();
    if (!(await services.exemptions.lift(exemption.id, options.actor.userId, now, options.reason))) {
      return { ok: false, reason: 'already_lifted' } as const;
    }
    await recordEvent(services.audit, {
      actor: options.actor,
      action: 'exemption.lifted',
      target: { type: 'user', id: person.id },
      details: { exemption: exemption.id, pact: exemption.pactId, reason: options.reason },
      at: now,
    });
    return { ok: true, pactId: exemption.pactId } as const;
  });
}

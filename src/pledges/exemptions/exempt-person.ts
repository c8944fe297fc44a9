import { type Actor, recordEvent } from '../../audit/record-event.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import { addDays, type TimeZone } from '../../core/time-zone.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import type { User } from '../../directory/types.js';
import type { UnitRepository } from '../../directory/unit-repository.js';
import type { UserRepository } from '../../directory/user-repository.js';
import { canManageUser } from '../../directory/users/input.js';
import type { PactRepository } from '../pact-repository.js';
import { takesRecords } from '../types.js';
import type { ExemptionRepository } from './exemption-repository.js';
import type { ExemptionReason } from './reasons.js';

export type ExemptionServices = {
  db: Db;
  audit: AuditRepository;
  clock: Clock;
  timeZone: TimeZone;
  exemptions: ExemptionRepository;
  pacts: PactRepository;
  units: UnitRepository;
  users: UserRepository;
};

export type ExemptResult =
  | { ok: true; exemptionId: number }
  | { ok: false; reason: 'not_found' | 'not_open' | 'not_required' | 'already_exempt' | 'already_ended' };

/**
 * Excuses a person from an open pact, from a day (of the instance's calendar) and optionally until one, for a
 * reason from the list (`lainnya` with a note), audited, in one transaction that reads everything afresh. Only a
 * person the pact requires now can be excused, by an admin or by the operator of their unit's subtree (a person
 * out of reach is answered as unknown). From its first day the rule leaves them out: not required, not reminded.
 */
export async function exemptPerson(
  services: ExemptionServices,
  options: {
    pactId: number;
    userId: number;
    reason: ExemptionReason;
    note: string | null;
    startsOn: string;
    endsOn: string | null;
    manager: Pick<User, 'id' | 'role' | 'unitId'>;
    actor: Actor;
  },
): Promise<ExemptResult> {
  return inTransaction(services.db, async (): Promise<ExemptResult> => {
    const pact = await services.pacts.findById(options.pactId);
    const person = await services.users.findById(options.userId);
    if (!pact || !person || !(await canManageUser(services, options.manager, person))) {
      return { ok: false, reason: 'not_found' };
    }
    if (!takesRecords(pact)) return { ok: false, reason: 'not_open' };
    const zone = services.timeZone;
    const now = services.clock.now();
    // An exemption that would be over already excuses nobody: refused beside its end day.
    if (options.endsOn !== null && options.endsOn < zone.dayOf(now))
      return { ok: false, reason: 'already_ended' };
    // One that has ended makes way for a new one; one in force or still to begin does not.
    await services.exemptions.closeEnded(pact.id, person.id, now);
    if (await services.exemptions.unliftedOf(pact.id, person.id))
      return { ok: false, reason: 'already_exempt' };
    if (!(await services.pacts.requirement(pact.id, person.id))) return { ok: false, reason: 'not_required' };
    const exemptionId = await services.exemptions.insert({
      pactId: pact.id,
      userId: person.id,
      reason: options.reason,
      note: options.note,
      startsOn: options.startsOn,
      endsOn: options.endsOn,
      startsAt: zone.instantOf(`${options.startsOn}T00:00`) as Date,
      // Through the whole of its last day.
      endsAt:
        options.endsOn === null ? null : (zone.instantOf(`${addDays(options.endsOn, 1)}T00:00`) as Date),
      createdBy: options.actor.userId,
      createdAt: now,
    });
    // Another request excused them a moment ago (the database's unique index decided).
    if (exemptionId === undefined) return { ok: false, reason: 'already_exempt' };
    await recordEvent(services.audit, {
      actor: options.actor,
      action: 'exemption.created',
      target: { type: 'user', id: person.id },
      details: {
        exemption: exemptionId,
        pact: pact.id,
        reason: options.reason,
        note: options.note,
        startsOn: options.startsOn,
        endsOn: options.endsOn,
      },
      at: now,
    });
    return { ok: true, exemptionId };
  });
}

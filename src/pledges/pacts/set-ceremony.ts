import { type Actor, recordEvent } from '../../audit/record-event.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import type { TimeZone } from '../../core/time-zone.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import type { PactRepository } from '../pact-repository.js';
import { outsidePeriod } from './input.js';

export type SetCeremonyResult =
  | { ok: true }
  | { ok: false; reason: 'not_found' | 'not_open' }
  | { ok: false; reason: 'invalid'; errors: Record<string, string> };

/**
 * Sets, moves or clears the ceremony (ikrar bersama) of a pact that is open, or archived: a day within its period
 * and a place, both or neither. A draft sets it in its own form. Audited with what it was and what it is.
 */
export async function setCeremony(
  services: { db: Db; pacts: PactRepository; audit: AuditRepository; clock: Clock; timeZone: TimeZone },
  options: { pactId: number; ceremonyOn: string | null; ceremonyPlace: string | null; actor: Actor },
): Promise<SetCeremonyResult> {
  const { ceremonyOn, ceremonyPlace } = options;
  if ((ceremonyOn === null) !== (ceremonyPlace === null)) {
    return {
      ok: false,
      reason: 'invalid',
      errors:
        ceremonyOn === null
          ? { ceremony_on: 'pact.form.ceremony_on_required' }
          : { ceremony_place: 'pact.form.ceremony_place_required' },
    };
  }
  return inTransaction(services.db, async (): Promise<SetCeremonyResult> => {
    const pact = await services.pacts.findById(options.pactId);
    if (!pact) return { ok: false, reason: 'not_found' };
    if (pact.status === 'draft' || (pact.status === 'closed' && !pact.archived))
      return { ok: false, reason: 'not_open' };
    if (ceremonyOn !== null && outsidePeriod(services.timeZone, ceremonyOn, pact)) {
      return { ok: false, reason: 'invalid', errors: { ceremony_on: 'pact.form.ceremony_outside_period' } };
    }
    const now = services.clock.now();
    await services.pacts.setCeremony(pact.id, ceremonyOn, ceremonyPlace, now);
    await recordEvent(services.audit, {
      actor: options.actor,
      action: 'pact.ceremony_set',
      target: { type: 'pact', id: pact.id },
      details: {
        from: { on: pact.ceremonyOn, place: pact.ceremonyPlace },
        to: { on: ceremonyOn, place: ceremonyPlace },
      },
      at: now,
    });
    return { ok: true };
  });
}

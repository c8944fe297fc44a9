import { type Actor, recordEvent } from '../../audit/record-event.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import { bodySha256 } from '../body-hash.js';
import type { PactRepository } from '../pact-repository.js';

export type OpenPactResult =
  | { ok: true; archived: boolean }
  | { ok: false; reason: 'not_found' | 'not_draft' | 'deadline_passed' };

/**
 * Opens a draft for signing and freezes its body (its sha256 is stored). Opening a new version closes the version
 * it supersedes, in the same transaction; signatures on the old version stay valid for that version. An archived
 * draft (a past period) is published straight to closed: nobody signs it online; it is filled in on paper.
 */
export async function openPact(
  services: { db: Db; pacts: PactRepository; audit: AuditRepository; clock: Clock },
  options: { pactId: number; actor: Actor },
): Promise<OpenPactResult> {
  return inTransaction(services.db, async () => {
    const pact = await services.pacts.findById(options.pactId);
    if (!pact) return { ok: false, reason: 'not_found' } as const;
    const now = services.clock.now();
    const sha = bodySha256(pact.body);
    if (pact.archived) {
      if (!(await services.pacts.openAsArchive(pact.id, sha, now)))
        return { ok: false, reason: 'not_draft' } as const;
      await recordEvent(services.audit, {
        actor: options.actor,
        action: 'pact.archived',
        target: { type: 'pact', id: pact.id },
        details: { version: pact.version, bodySha256: sha, opensAt: pact.opensAt, deadline: pact.deadline },
        at: now,
      });
      return { ok: true, archived: true } as const;
    }
    // Nobody could sign it: opening would only close the version it supersedes.
    if (pact.deadline <= now.toISOString()) return { ok: false, reason: 'deadline_passed' } as const;
    if (!(await services.pacts.open(pact.id, sha, now))) return { ok: false, reason: 'not_draft' } as const;
    await recordEvent(services.audit, {
      actor: options.actor,
      action: 'pact.opened',
      target: { type: 'pact', id: pact.id },
      details: { version: pact.version, bodySha256: sha },
      at: now,
    });
    if (pact.supersedesId !== null && (await services.pacts.close(pact.supersedesId, now))) {
      await recordEvent(services.audit, {
        actor: options.actor,
        action: 'pact.closed',
        target: { type: 'pact', id: pact.supersedesId },
        details: { supersededBy: pact.id },
        at: now,
      });
    }
    return { ok: true, archived: false } as const;
  });
}

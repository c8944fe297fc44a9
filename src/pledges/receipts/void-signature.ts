import { type Actor, recordEvent } from '../../audit/record-event.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import { appendEntry } from '../../ledger/append-entry.js';
import type { LedgerRepository } from '../../ledger/repository.js';
import { voidFacts } from '../ledger-facts.js';
import type { SignatureRepository } from '../signature-repository.js';

export type VoidSignatureResult =
  | { ok: true }
  | { ok: false; reason: 'not_found' | 'already_voided' }
  | { ok: false; reason: 'invalid'; errors: Record<string, string> };

/**
 * Voids a signature (e.g. signed by the wrong person) with a mandatory reason: the signature is marked voided and a
 * `void` entry is appended to the ledger — history is never rewritten. The person must sign again.
 */
export async function voidSignature(
  services: {
    db: Db;
    signatures: SignatureRepository;
    ledger: LedgerRepository;
    audit: AuditRepository;
    clock: Clock;
  },
  options: { receiptCode: string; reason: string; actor: Actor & { userId: number } },
): Promise<VoidSignatureResult> {
  const reason = options.reason.trim();
  if (reason.length < 10)
    return { ok: false, reason: 'invalid', errors: { reason: 'void.form.reason_required' } };
  return inTransaction(services.db, async (): Promise<VoidSignatureResult> => {
    await services.ledger.lockForAppend();
    const signature = await services.signatures.findByReceiptCode(options.receiptCode);
    if (!signature) return { ok: false, reason: 'not_found' };
    const now = services.clock.now();
    if (!(await services.signatures.void(signature.id, options.actor.userId, reason, now))) {
      return { ok: false, reason: 'already_voided' };
    }
    const entry = await appendEntry(services.ledger, {
      kind: 'void',
      signatureId: signature.id,
      at: now,
      facts: voidFacts(signature, reason, options.actor.userId),
    });
    await recordEvent(services.audit, {
      actor: options.actor,
      action: 'signature.voided',
      target: { type: 'signature', id: signature.id },
      details: { receiptCode: signature.receiptCode, reason, ledgerSeq: entry.seq },
      at: now,
    });
    return { ok: true };
  });
}

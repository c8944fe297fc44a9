import { createHash } from 'node:crypto';
import { entryPayload } from '../../ledger/append-entry.js';
import { defaultTranslator } from '../../web/i18n.js';
import { rowCommitment, signingEntry, voidFacts } from '../ledger-facts.js';
import type { Signature } from '../types.js';

export interface SignatureRecord {
  signature: Signature;
  /** The stored drawing, if any. */
  png: Buffer | null;
  pact: { version: number; bodySha256: string | null };
  /** The `sign` (or `paper`) entry at signature.ledgerSeq, if there is one. */
  sign: { kind: string | null; signatureId: number | null; payload: string } | null;
  /** The `void` entry of this signature, if there is one. */
  void: { payload: string } | null;
}

/** What a signing's entry recorded of its format and its commitment to the signer (null: not JSON). */
function recordedPerson(payload: string): { format: unknown; person: unknown } | null {
  try {
    const { format, person } = JSON.parse(payload) as { format?: unknown; person?: unknown };
    return { format: format ?? 1, person };
  } catch {
    return null;
  }
}

/**
 * Why a signature's stored record no longer matches what the ledger recorded when it was signed (or voided), or
 * null when it matches: the facts, the pact text's hash, the drawing, and the void state. The signer's personal data
 * is compared through the entry's commitment, computed from the row and its salt; an anonymised row has neither, and
 * everything else is compared with the commitment the entry holds. A drawing deleted under the retention rule or with
 * its signer's data is no difference: its hash is still compared. Used by the public verification of one receipt
 * and by the full check of every signature.
 */
export function recordMismatch(record: SignatureRecord): string | null {
  // In Indonesian: the full check stores it and shows it on /admin/ledger and in `ledger:verify`.
  const t = defaultTranslator();
  const { signature: s } = record;
  if (!record.sign || s.ledgerSeq === null) return t('ledger.problem.unrecorded');
  const differs = t('ledger.problem.differs_from_entry', { seq: s.ledgerSeq });
  const recorded = recordedPerson(record.sign.payload);
  if (!recorded) return differs;
  if (recorded.format === 1) return t('ledger.problem.old_format', { seq: s.ledgerSeq });
  const person = s.anonymisedAt !== null ? recorded.person : rowCommitment(s);
  if (typeof person !== 'string') return differs;
  const expected = signingEntry(s, record.pact.version, person);
  const signed = entryPayload(expected.kind, s.signedAt, expected.facts);
  if (
    record.sign.kind !== expected.kind ||
    record.sign.signatureId !== s.id ||
    record.sign.payload !== signed
  ) {
    return differs;
  }
  if (record.pact.bodySha256 !== s.pactBodySha256) return t('ledger.problem.pact_text_signed');
  const pngSha256 = record.png ? createHash('sha256').update(record.png).digest('hex') : null;
  const removed = record.png === null && s.imageRemoved !== null;
  if (!removed && pngSha256 !== s.signatureSha256) return t('ledger.problem.drawing');
  if (s.status === 'voided') {
    const voided =
      s.voidedAt && entryPayload('void', s.voidedAt, voidFacts(s, s.voidReason ?? '', s.voidedBy));
    if (!record.void || record.void.payload !== voided) return t('ledger.problem.void_unrecorded');
  } else if (record.void) {
    return t('ledger.problem.void_unrecorded_in_record');
  }
  return null;
}

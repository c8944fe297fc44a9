import { createHash } from 'node:crypto';
import { entryPayload } from '../../ledger/append-entry.js';
import { defaultTranslator } from '../../web/i18n.js';
import { signingEntry, voidFacts } from '../ledger-facts.js';
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

/**
 * Why a signature's stored record no longer matches what the ledger recorded when it was signed (or voided), or
 * null when it matches: the facts, the pact text's hash, the drawing, and the void state. Used by the public
 * verification of one receipt and by the full check of every signature.
 */
export function recordMismatch(record: SignatureRecord): string | null {
  // In Indonesian: the full check stores it and shows it on /admin/ledger and in `ledger:verify`.
  const t = defaultTranslator();
  const { signature: s } = record;
  if (!record.sign || s.ledgerSeq === null) return t('ledger.problem.unrecorded');
  const expected = signingEntry(s, record.pact.version);
  const signed = entryPayload(expected.kind, s.signedAt, expected.facts);
  if (
    record.sign.kind !== expected.kind ||
    record.sign.signatureId !== s.id ||
    record.sign.payload !== signed
  ) {
    return t('ledger.problem.differs_from_entry', { seq: s.ledgerSeq });
  }
  if (record.pact.bodySha256 !== s.pactBodySha256) return t('ledger.problem.pact_text_signed');
  const pngSha256 = record.png ? createHash('sha256').update(record.png).digest('hex') : null;
  if (pngSha256 !== s.signatureSha256) return t('ledger.problem.drawing');
  if (s.status === 'voided') {
    const voided =
      s.voidedAt && entryPayload('void', s.voidedAt, voidFacts(s, s.voidReason ?? '', s.voidedBy));
    if (!record.void || record.void.payload !== voided) return t('ledger.problem.void_unrecorded');
  } else if (record.void) {
    return t('ledger.problem.void_unrecorded_in_record');
  }
  return null;
}

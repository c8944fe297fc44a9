import { createHash } from 'node:crypto';
import { entryPayload } from '../../ledger/append-entry.js';
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
  const { signature: s } = record;
  if (!record.sign || s.ledgerSeq === null) return 'not recorded in the ledger';
  const expected = signingEntry(s, record.pact.version);
  const signed = entryPayload(expected.kind, s.signedAt, expected.facts);
  if (
    record.sign.kind !== expected.kind ||
    record.sign.signatureId !== s.id ||
    record.sign.payload !== signed
  ) {
    return `differs from ledger entry #${s.ledgerSeq}`;
  }
  if (record.pact.bodySha256 !== s.pactBodySha256) return 'the pact text differs from the text signed';
  const pngSha256 = record.png ? createHash('sha256').update(record.png).digest('hex') : null;
  if (pngSha256 !== s.signatureSha256) return 'the drawing differs from the one signed';
  if (s.status === 'voided') {
    const voided =
      s.voidedAt && entryPayload('void', s.voidedAt, voidFacts(s, s.voidReason ?? '', s.voidedBy));
    if (!record.void || record.void.payload !== voided) return 'voided without a matching ledger entry';
  } else if (record.void) {
    return 'voided in the ledger but not in its record';
  }
  return null;
}

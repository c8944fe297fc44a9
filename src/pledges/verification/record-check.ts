import { createHash } from 'node:crypto';
import { entryPayload } from '../../ledger/append-entry.js';
import { LEDGER_FORMAT, type LedgerFormat } from '../../ledger/repository.js';
import { defaultTranslator } from '../../web/i18n.js';
import { formatOneSigningEntry, rowCommitment, signingEntry, voidFacts } from '../ledger-facts.js';
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

/** What an entry recorded of its format (a format-1 payload says none) and its commitment to a signer; null: not JSON. */
function recordedAs(payload: string): { format: LedgerFormat; person: unknown } | null {
  try {
    const { format, person } = JSON.parse(payload) as { format?: unknown; person?: unknown };
    return { format: format === undefined ? 1 : LEDGER_FORMAT, person };
  } catch {
    return null;
  }
}

/**
 * The payload of the entry that recorded this signing, as the row says it must be, in the entry's format. Format 2:
 * the commitment computed from the row and its salt (an anonymised row has neither: the commitment the entry holds).
 * Format 1 (written before migration 028 and left so while the ledger's upgrade is refused): the signer's data in
 * the clear, compared as then; an anonymised row no longer has it (null: it cannot match).
 */
function expectedSigning(
  s: Signature,
  pactVersion: number,
  recorded: { format: LedgerFormat; person: unknown },
): { kind: 'sign' | 'paper'; payload: string } | null {
  if (recorded.format === 1) {
    if (s.anonymisedAt !== null) return null;
    const { kind, facts } = formatOneSigningEntry(s, pactVersion);
    return { kind, payload: entryPayload(kind, s.signedAt, facts, 1) };
  }
  const person = s.anonymisedAt !== null ? recorded.person : rowCommitment(s);
  if (typeof person !== 'string') return null;
  const { kind, facts } = signingEntry(s, pactVersion, person);
  return { kind, payload: entryPayload(kind, s.signedAt, facts) };
}

/**
 * Why a signature's stored record no longer matches what the ledger recorded when it was signed (or voided), or
 * null when it matches: the facts, the pact text's hash, the drawing, and the void state, each entry compared in its
 * own format (see expectedSigning). A drawing deleted under the retention rule or with its signer's data is no
 * difference: its hash is still compared. Used by the public verification of one receipt and by the full check of
 * every signature.
 */
export function recordMismatch(record: SignatureRecord): string | null {
  // In Indonesian: the full check stores it and shows it on /admin/ledger and in `ledger:verify`.
  const t = defaultTranslator();
  const { signature: s } = record;
  if (!record.sign || s.ledgerSeq === null) return t('ledger.problem.unrecorded');
  const recorded = recordedAs(record.sign.payload);
  const expected = recorded && expectedSigning(s, record.pact.version, recorded);
  if (
    !expected ||
    record.sign.kind !== expected.kind ||
    record.sign.signatureId !== s.id ||
    record.sign.payload !== expected.payload
  ) {
    return t('ledger.problem.differs_from_entry', { seq: s.ledgerSeq });
  }
  if (record.pact.bodySha256 !== s.pactBodySha256) return t('ledger.problem.pact_text_signed');
  const pngSha256 = record.png ? createHash('sha256').update(record.png).digest('hex') : null;
  const removed = record.png === null && s.imageRemoved !== null;
  if (!removed && pngSha256 !== s.signatureSha256) return t('ledger.problem.drawing');
  if (s.status === 'voided') {
    // A void is in its own format: a signing of format 1 may have been voided after the refused upgrade.
    const format = record.void && recordedAs(record.void.payload)?.format;
    const voided =
      s.voidedAt &&
      entryPayload('void', s.voidedAt, voidFacts(s, s.voidReason ?? '', s.voidedBy), format ?? LEDGER_FORMAT);
    if (!record.void || record.void.payload !== voided) return t('ledger.problem.void_unrecorded');
  } else if (record.void) {
    return t('ledger.problem.void_unrecorded_in_record');
  }
  return null;
}

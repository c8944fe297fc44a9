import { createHash, randomBytes } from 'node:crypto';
import { canonicalPayload } from '../ledger/chain.js';
import type { PaperFacts, Signature, SignerSnapshot } from './types.js';

type Facts = Record<string, string | number | boolean | null>;

/** A new salt for a signature's `person` commitment: 16 random bytes, hex. */
export const newPersonSalt = (): string => randomBytes(16).toString('hex');

/**
 * The personal data a signing's ledger entry commits to without holding it: the signer as they were (NIP, name,
 * position, pangkat when known) and, for a signing on paper, the witness's name (so that the ledger names nobody).
 */
export interface CommittedPerson {
  nip: string | null;
  fullName: string;
  position: string;
  pangkat?: string;
  paperWitness?: string;
}

/**
 * The `person` of a format-2 entry: hex sha256(salt ‖ canonical JSON of the committed person), the salt as its 16
 * bytes. Without the salt the commitment says nothing, even of a NIP (which has little entropy): anonymising a
 * signer deletes the salt with the data.
 */
export function personCommitment(saltHex: string, person: CommittedPerson): string {
  return createHash('sha256')
    .update(Buffer.from(saltHex, 'hex'))
    .update(canonicalPayload({ ...person }))
    .digest('hex');
}

type CommittedFields = Pick<Signature, 'nip' | 'fullName' | 'position' | 'pangkat'> & {
  paper?: Pick<PaperFacts, 'witness'> | null;
};

/** What a signature row commits to (see CommittedPerson): pangkat only when known, the witness only on paper. */
export const committedPerson = (signature: CommittedFields): CommittedPerson => ({
  nip: signature.nip,
  fullName: signature.fullName,
  position: signature.position,
  ...(signature.pangkat !== null ? { pangkat: signature.pangkat } : {}),
  ...(signature.paper ? { paperWitness: signature.paper.witness } : {}),
});

type SignedFields = SignerSnapshot &
  Pick<Signature, 'receiptCode' | 'id' | 'pactId' | 'pactBodySha256' | 'signatureSha256'> & {
    paper?: PaperFacts | null;
  };

/**
 * The commitment a signature row makes now: from its personal data and its salt; null without a salt (an anonymised
 * signing, or one made before migration 028 that the upgrade has not reached).
 */
export const rowCommitment = (signature: SignedFields): string | null =>
  signature.personSalt === null ? null : personCommitment(signature.personSalt, committedPerson(signature));

/**
 * The facts a `sign` ledger entry records about a signature: everything the receipt and the public verification
 * show, the signer's personal data as its commitment (`person`). Built from the stored row, so that the entry
 * written at signing and the row read later can be compared byte for byte (any later edit of either shows).
 * `person` is the row's own commitment unless given: the check of an anonymised row passes the one recorded.
 */
export const signFacts = (
  signature: SignedFields,
  pactVersion: number,
  person: string | null = rowCommitment(signature),
): Facts => {
  if (person === null) throw new Error(`signature ${signature.id} has no salt to commit to its signer with`);
  return signingFacts(signature, pactVersion, { person });
};

/** The facts of every signing's entry, with `signer`: the commitment (format 2), or the person in the clear (format 1). */
const signingFacts = (signature: SignedFields, pactVersion: number, signer: Facts): Facts => ({
  receiptCode: signature.receiptCode,
  signatureId: signature.id,
  pactId: signature.pactId,
  pactVersion,
  pactBodySha256: signature.pactBodySha256,
  userId: signature.userId,
  ...signer,
  unitId: signature.unitId,
  unitName: signature.unitName,
  wasHead: signature.wasHead,
  // Recorded only for a signing as head (acting heads, migration 021), as entries before it were written.
  ...(signature.headKind !== null ? { headKind: signature.headKind } : {}),
  signatureSha256: signature.signatureSha256,
});

/** What a `paper` entry records besides the signing's facts (the witness is the signer's, above). */
const recordedPaper = (paper: PaperFacts): Facts => ({
  paperSignedOn: paper.signedOn,
  paperPlace: paper.place,
  paperScanSha256: paper.scanSha256,
  recordedBy: paper.recordedBy,
  recordedAt: paper.recordedAt,
});

/**
 * The facts a `paper` ledger entry records: those of an online signing, and what its recorder entered (the day and
 * place; the witness is in the `person` commitment), the hash of the scan behind it, who recorded it and when.
 */
export const paperFacts = (
  signature: SignedFields & { paper: PaperFacts },
  pactVersion: number,
  person: string | null = rowCommitment(signature),
): Facts => ({ ...signFacts(signature, pactVersion, person), ...recordedPaper(signature.paper) });

/** The kind and facts of the entry that records a signing, online or on paper (`person`: as for signFacts). */
export const signingEntry = (
  signature: SignedFields & Pick<Signature, 'paper'>,
  pactVersion: number,
  person: string | null = rowCommitment(signature),
): { kind: 'sign' | 'paper'; facts: Facts } =>
  signature.paper
    ? { kind: 'paper', facts: paperFacts({ ...signature, paper: signature.paper }, pactVersion, person) }
    : { kind: 'sign', facts: signFacts(signature, pactVersion, person) };

/**
 * The kind and facts of a signing's format-1 entry, as written before migration 028 (and kept so while the ledger's
 * upgrade is refused): the same facts with the signer's NIP, name, position, pangkat when known and, on paper, the
 * witness in the clear instead of their commitment. What the check compares such an entry with.
 */
export const formatOneSigningEntry = (
  signature: SignedFields & Pick<Signature, 'paper'>,
  pactVersion: number,
): { kind: 'sign' | 'paper'; facts: Facts } => {
  const facts = signingFacts(signature, pactVersion, { ...committedPerson(signature) });
  return signature.paper
    ? { kind: 'paper', facts: { ...facts, ...recordedPaper(signature.paper) } }
    : { kind: 'sign', facts };
};

/** The facts a `void` ledger entry records. */
export const voidFacts = (
  signature: Pick<Signature, 'receiptCode' | 'id'>,
  reason: string,
  voidedBy: number | null,
): Facts => ({
  receiptCode: signature.receiptCode,
  signatureId: signature.id,
  reason,
  voidedBy,
});

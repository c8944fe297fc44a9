import type { PaperFacts, Signature } from './types.js';

type Facts = Record<string, string | number | boolean | null>;

/**
 * The facts a `sign` ledger entry records about a signature: everything the receipt and the public verification
 * show. Built from the stored row, so that the entry written at signing and the row read later can be compared
 * byte for byte (any later edit of either shows).
 */
export const signFacts = (
  signature: Pick<
    Signature,
    | 'receiptCode'
    | 'id'
    | 'pactId'
    | 'pactBodySha256'
    | 'userId'
    | 'nip'
    | 'fullName'
    | 'position'
    | 'pangkat'
    | 'unitId'
    | 'unitName'
    | 'wasHead'
    | 'headKind'
    | 'signatureSha256'
  >,
  pactVersion: number,
): Facts => ({
  receiptCode: signature.receiptCode,
  signatureId: signature.id,
  pactId: signature.pactId,
  pactVersion,
  pactBodySha256: signature.pactBodySha256,
  userId: signature.userId,
  nip: signature.nip,
  fullName: signature.fullName,
  position: signature.position,
  // Recorded since pangkat exists (migration 019), and only when known: the entries written before, and those of
  // people without one, stay byte for byte what they were, so the chain still verifies.
  ...(signature.pangkat !== null ? { pangkat: signature.pangkat } : {}),
  unitId: signature.unitId,
  unitName: signature.unitName,
  wasHead: signature.wasHead,
  // Recorded since acting heads exist (migration 021), and only for a signing as head: as with pangkat, every other
  // entry stays byte for byte what it was.
  ...(signature.headKind !== null ? { headKind: signature.headKind } : {}),
  signatureSha256: signature.signatureSha256,
});

/**
 * The facts a `paper` ledger entry records: those of an online signing, and what its recorder entered (the day,
 * place and witness), the hash of the scan behind it, who recorded it and when.
 */
export const paperFacts = (
  signature: Parameters<typeof signFacts>[0] & { paper: PaperFacts },
  pactVersion: number,
): Facts => ({
  ...signFacts(signature, pactVersion),
  paperSignedOn: signature.paper.signedOn,
  paperPlace: signature.paper.place,
  paperWitness: signature.paper.witness,
  paperScanSha256: signature.paper.scanSha256,
  recordedBy: signature.paper.recordedBy,
  recordedAt: signature.paper.recordedAt,
});

/** The kind and facts of the entry that records a signing, online or on paper. */
export const signingEntry = (
  signature: Parameters<typeof signFacts>[0] & Pick<Signature, 'paper'>,
  pactVersion: number,
): { kind: 'sign' | 'paper'; facts: Facts } =>
  signature.paper
    ? { kind: 'paper', facts: paperFacts({ ...signature, paper: signature.paper }, pactVersion) }
    : { kind: 'sign', facts: signFacts(signature, pactVersion) };

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

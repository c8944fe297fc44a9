import type { HeadKind } from '../directory/head-kind.js';

export type Audience = 'heads' | 'all';
export type PactStatus = 'draft' | 'open' | 'closed';

export interface Pact {
  id: number;
  title: string;
  body: string;
  place: string;
  version: number;
  supersedesId: number | null;
  bodySha256: string | null;
  audience: Audience;
  opensAt: string;
  deadline: string;
  status: PactStatus;
  createdBy: number | null;
  createdAt: string;
  updatedAt: string;
  openedAt: string | null;
  closedAt: string | null;
  /** The day ('YYYY-MM-DD') of the ceremony where it is read and signed together (ikrar bersama), if set. */
  ceremonyOn: string | null;
  /** Where that ceremony is held, if set. */
  ceremonyPlace: string | null;
  /** A record of a past period: published straight to closed, filled in with paper signings only (migration 024). */
  archived: boolean;
}

/** What the compliance pages, their cache and the API show of a pact: everything but its text and history. */
export type PactHeading = Pick<
  Pact,
  'id' | 'title' | 'version' | 'audience' | 'status' | 'opensAt' | 'deadline'
>;

/** A pact's heading alone, copied field by field: nothing else of the object (its body, its author) comes along. */
export function pactHeading<P extends PactHeading>(pact: P): Pick<P, keyof PactHeading> {
  return {
    id: pact.id,
    title: pact.title,
    version: pact.version,
    audience: pact.audience,
    status: pact.status,
    opensAt: pact.opensAt,
    deadline: pact.deadline,
  };
}

/**
 * Whether paper signings and exemptions may be recorded for a pact: while it is open, and always for an archived one
 * (a past period, published straight to closed, that is filled in afterwards).
 */
export const takesRecords = (pact: Pick<Pact, 'status' | 'archived'>): boolean =>
  pact.status === 'open' || (pact.archived && pact.status === 'closed');

/** A pact that has been opened (and maybe closed since): what anyone but the admins who draft may see. */
export type PublishedPact = Pact & { status: Exclude<PactStatus, 'draft'> };

export type SignatureStatus = 'valid' | 'voided';

export interface Signature {
  id: number;
  pactId: number;
  userId: number;
  fullName: string;
  nip: string | null;
  position: string;
  /** The signer's pangkat/golongan when they signed, if known. */
  pangkat: string | null;
  unitId: number | null;
  unitName: string;
  wasHead: boolean;
  /** How the signer headed their unit when signing as its head (Plt, Plh …); null otherwise, and on older rows. */
  headKind: HeadKind | null;
  signedAt: string;
  ip: string | null;
  userAgent: string | null;
  signatureSha256: string | null;
  pactBodySha256: string;
  receiptCode: string;
  ledgerSeq: number | null;
  status: SignatureStatus;
  voidedAt: string | null;
  voidedBy: number | null;
  voidReason: string | null;
  /** Signed online by the person, or on paper and recorded by someone else (migration 024). */
  method: SigningMethod;
  /** What a paper signing's recorder entered; null for an online signing. */
  paper: PaperFacts | null;
  /**
   * The salt (hex) of the ledger entry's commitment to the signer's personal data (see ledger-facts.ts); null once
   * the signer is anonymised (and on rows older than migration 028 until the ledger's upgrade gives them one).
   */
  personSalt: string | null;
  /** When the signer was anonymised: name replaced, NIP, position, pangkat, device and drawing removed. */
  anonymisedAt: string | null;
  /** When the drawn image was deleted, and why; its hash (signatureSha256) stays. */
  imageRemoved: { at: string; why: ImageRemovedWhy } | null;
}

/** Why a drawn image was deleted: the retention rule (years after its pact closed), or its signer's anonymisation. */
/** Who signed, as a signing records them at that moment: the facts a signature row, its receipt and its ledger entry share. */
export type SignerSnapshot = Pick<
  Signature,
  | 'userId'
  | 'fullName'
  | 'nip'
  | 'position'
  | 'pangkat'
  | 'unitId'
  | 'unitName'
  | 'wasHead'
  | 'headKind'
  | 'personSalt'
>;

export type ImageRemovedWhy = 'retention' | 'anonymised';

export type SigningMethod = 'online' | 'paper';

/** A signing on paper as recorded: the day, place and witness, the scan behind it, who recorded it and when. */
export interface PaperFacts {
  signedOn: string;
  place: string;
  witness: string;
  scanId: number;
  /** Hex SHA-256 of the scan's bytes: the ledger entry commits to it, so a scan swapped later shows. */
  scanSha256: string;
  /** null: recorded by the system (the demo seed, the command line). */
  recordedBy: number | null;
  recordedAt: string;
}

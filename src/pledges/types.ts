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
}

export type SignatureStatus = 'valid' | 'voided';

export interface Signature {
  id: number;
  pactId: number;
  userId: number;
  fullName: string;
  nip: string | null;
  position: string;
  unitId: number | null;
  unitName: string;
  wasHead: boolean;
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
}

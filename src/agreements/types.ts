import { UNIT_KINDS } from '../directory/units/kinds.js';

/**
 * Which units an agreement is for: 'kabkota' (kabupaten and kota together, as a province counts its regencies and
 * cities) or one kind of unit. Named `agreements.scope.<scope>` (a label) and `agreements.scope_noun.<scope>` (the
 * word after "33 dari 35") in the catalogue; the same list is a CHECK of migration 025.
 */
export const AGREEMENT_SCOPES = ['kabkota', ...UNIT_KINDS] as const;
export type AgreementScope = (typeof AGREEMENT_SCOPES)[number];

/** The unit kinds a scope counts. */
export const kindsOf = (scope: AgreementScope): string[] =>
  scope === 'kabkota' ? ['kabupaten', 'kota'] : [scope];

export type AgreementStatus = 'draft' | 'open' | 'closed';

/** An agreement that units sign as units (migration 025): a tracker of one record per unit in scope. */
export interface Agreement {
  id: number;
  title: string;
  /** Plain text (no Markdown), '' when there is none. */
  description: string;
  scope: AgreementScope;
  /** Only units of the scope's kinds under this unit (itself included); null: the whole directory. */
  parentUnitId: number | null;
  /** 'YYYY-MM-DD' on the instance's calendar, shown only. */
  deadlineOn: string | null;
  status: AgreementStatus;
  openedAt: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** An agreement the public may see. */
export type PublishedAgreement = Agreement & { status: 'open' | 'closed' };

export const isPublished = (agreement: Agreement): agreement is PublishedAgreement =>
  agreement.status !== 'draft';

/** Whether records may be written: a draft is filled in before it is made public, a closed one is final. */
export const takesRecords = (agreement: Agreement): boolean => agreement.status !== 'closed';

export type RecordStatus = 'signed' | 'not_signed';

/** What an admin records for one unit (a row of unit_agreement_records, or a version of it in the history). */
export interface RecordFacts {
  status: RecordStatus;
  /** 'YYYY-MM-DD'; signed records only. */
  signedOn: string | null;
  documentNumber: string | null;
  /** The other parties as written ('KPU Kabupaten Pemalang; Bawaslu Kabupaten Pemalang'). */
  parties: string | null;
  scanId: number | null;
  /** The admin's own remark, never public. */
  note: string | null;
}

/** A version of a unit's record, as the history lists it. */
export interface RecordVersion extends RecordFacts {
  id: number;
  recordedBy: number | null;
  recordedByName: string | null;
  recordedAt: string;
}

/** A unit in an agreement's scope with its record as it stands (none: outstanding). */
export interface AgreementUnit {
  unitId: number;
  code: string;
  name: string;
  kind: string;
  /** 'outstanding' when there is no record, or the record says not signed. */
  state: 'signed' | 'outstanding';
  record: (RecordFacts & { recordedAt: string }) | null;
}

/** An agreement's units counted: "33 dari 35 kabupaten/kota", the outstanding named. */
export interface AgreementSummary {
  agreement: Agreement;
  total: number;
  signed: number;
  /** The units still to sign, in the order the page lists them (by name). */
  outstanding: AgreementUnit[];
  /** Every unit in scope: the outstanding first, then the signed, each by name. */
  units: AgreementUnit[];
}

export function summarise(agreement: Agreement, units: readonly AgreementUnit[]): AgreementSummary {
  const outstanding = units.filter((unit) => unit.state === 'outstanding');
  const signed = units.filter((unit) => unit.state === 'signed');
  return {
    agreement,
    total: units.length,
    signed: signed.length,
    outstanding,
    units: [...outstanding, ...signed],
  };
}

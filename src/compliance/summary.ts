import { type PactHeading, pactHeading } from '../pledges/types.js';
import { percentOf } from '../web/format.js';
import type { UnitComplianceRow } from './compliance-repository.js';

/** A heads pact's summary names the units still waiting up to this many; past it the rest are counted. */
export const OUTSTANDING_NAMED = 10;

export type UnitState = 'complete' | 'partial' | 'none' | 'not_required';

export interface UnitCompliance extends UnitComplianceRow {
  required: number;
  signed: number;
  /** Required but not yet signed ('Belum'): what someone chasing signatures counts. */
  unsigned: number;
  percent: number | null;
  state: UnitState;
}

export interface PactCompliance {
  pact: PactHeading;
  required: number;
  signed: number;
  /** Required but not yet signed ('Belum'). */
  unsigned: number;
  /** People exempt from the pact now, who are in neither number (public pages show only this count). */
  exempt: number;
  percent: number | null;
  units: UnitCompliance[];
  /** Heads pact: the units whose current head has not signed, by name. Empty for an all-ASN pact. */
  headsOutstanding: UnitCompliance[];
}

/**
 * Signed as a percentage of required by the one rule of src/web/format.ts (one decimal, half up; 100 only when all
 * have signed, 0 only when none has); null when none required. Summaries hold the number, so every page, export and
 * API answer reads the same one.
 */
export { percentOf };

const stateOf = (signed: number, required: number): UnitState =>
  required === 0 ? 'not_required' : signed === required ? 'complete' : signed === 0 ? 'none' : 'partial';

/**
 * A pact's compliance from its per-unit rows. For a heads pact each unit requires its head, for an all-ASN pact its
 * active members (migration 013), but for those exempt from the pact now (migration 023). A head is a member of the unit they head, and everyone belongs to one unit, so
 * nobody is counted twice and the totals are the sums.
 */
export function summarise(pact: PactHeading, rows: readonly UnitComplianceRow[]): PactCompliance {
  const heads = pact.audience === 'heads';
  const units = rows.map((row): UnitCompliance => {
    // Exempt people are not required, and a signature of theirs counts no more than they do.
    const headRequired = row.headId !== null && !row.headExempt;
    const required = heads ? (headRequired ? 1 : 0) : row.members - row.exempt;
    const signed = heads
      ? headRequired && row.headSignedAt !== null
        ? 1
        : 0
      : row.membersSigned - row.exemptSigned;
    const lastSignedAt = heads ? row.headSignedAt : row.lastSignedAt;
    return {
      ...row,
      lastSignedAt,
      required,
      signed,
      unsigned: required - signed,
      percent: percentOf(signed, required),
      state: stateOf(signed, required),
    };
  });
  let required = 0;
  let signed = 0;
  let exempt = 0;
  for (const unit of units) {
    required += unit.required;
    signed += unit.signed;
    exempt += unit.exempt;
  }
  return {
    pact: pactHeading(pact),
    required,
    signed,
    unsigned: required - signed,
    exempt,
    percent: percentOf(signed, required),
    units,
    headsOutstanding: heads
      ? units.filter((unit) => unit.headId !== null && !unit.headExempt && unit.headSignedAt === null)
      : [],
  };
}

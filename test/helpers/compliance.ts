import type { UnitComplianceRow } from '../../src/compliance/compliance-repository.js';

let nextUnitId = 1;

/** One row as the compliance repository returns it: an active unit in scope with no head and no members unless told. */
export function unitRow(fields: Partial<UnitComplianceRow> = {}): UnitComplianceRow {
  const unitId = fields.unitId ?? nextUnitId++;
  return {
    unitId,
    code: `UNIT-${unitId}`,
    name: `Unit ${unitId}`,
    kind: 'dinas',
    parentId: null,
    headId: null,
    headName: null,
    headPosition: null,
    headNip: null,
    headSignedAt: null,
    headKind: null,
    members: 0,
    membersSigned: 0,
    exempt: 0,
    exemptSigned: 0,
    headExempt: false,
    lastSignedAt: null,
    ...fields,
  };
}

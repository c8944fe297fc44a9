import type { User } from './types.js';
import type { UnitRepository } from './unit-repository.js';

/**
 * Which units someone may manage: an admin every unit; an operator the subtree of their own unit (`users.unit_id`),
 * or nothing while their account belongs to no unit.
 */
export type UnitScope = { kind: 'all' } | { kind: 'subtree'; rootId: number | null };

export function unitScopeOf(user: Pick<User, 'role' | 'unitId'>): UnitScope {
  return user.role === 'admin' ? { kind: 'all' } : { kind: 'subtree', rootId: user.unitId };
}

/** Whether a unit lies within the scope: walks up from the unit, so it costs the depth of the tree. */
export async function inUnitScope(
  services: { units: UnitRepository },
  scope: UnitScope,
  unitId: number,
): Promise<boolean> {
  if (scope.kind === 'all') return true;
  if (scope.rootId === null) return false;
  return unitId === scope.rootId || (await services.units.ancestorIds(unitId)).includes(scope.rootId);
}

import type { ComplianceCache } from '../compliance/compliance-cache.js';
import type { UnitCompliance } from '../compliance/summary.js';
import type { User } from '../directory/types.js';
import type { UnitRepository } from '../directory/unit-repository.js';
import { unitScopeOf } from '../directory/unit-scope.js';
import type { Pact } from '../pledges/types.js';

/** A pact's units (with their numbers) that this person may see: all for an admin, an operator's subtree. */
export async function unitsVisibleTo(
  services: { complianceCache: ComplianceCache; units: UnitRepository },
  viewer: Pick<User, 'role' | 'unitId'>,
  pact: Pact,
): Promise<UnitCompliance[]> {
  const { units } = await services.complianceCache.forPact(pact);
  const scope = unitScopeOf(viewer);
  if (scope.kind === 'all') return units;
  if (scope.rootId === null) return [];
  const subtree = new Set([scope.rootId, ...(await services.units.descendantIds(scope.rootId))]);
  return units.filter((unit) => subtree.has(unit.unitId));
}

import type { User } from '../directory/types.js';
import type { UnitRepository } from '../directory/unit-repository.js';
import type { PactRepository } from './pact-repository.js';
import type { Pact } from './types.js';

type AudienceServices = { pacts: PactRepository; units: UnitRepository };

/** The units in the pact's scope that this person heads now. */
const headedUnitsInScope = (services: AudienceServices, pact: Pact, user: Pick<User, 'id'>) =>
  services.units.headedBy(user.id).filter((unit) => services.pacts.unitInScope(pact.id, unit.id));

/**
 * Whether the pact requires this person's signature now (DESIGN.md): an active user who is, for a 'heads' pact, the
 * current head of an active unit in scope, and for an 'all' pact, in an active unit in scope.
 */
export function isRequired(
  services: AudienceServices,
  pact: Pact,
  user: Pick<User, 'id' | 'status' | 'unitId'>,
): boolean {
  if (user.status !== 'active') return false;
  if (pact.audience === 'heads') return headedUnitsInScope(services, pact, user).length > 0;
  if (user.unitId === null || !services.units.findById(user.unitId)?.active) return false;
  return services.pacts.unitInScope(pact.id, user.unitId);
}

/** Whether the person signs as the head of a unit in the pact's scope (kept on the signature). */
export const signsAsHead = (services: AudienceServices, pact: Pact, user: Pick<User, 'id'>): boolean =>
  headedUnitsInScope(services, pact, user).length > 0;

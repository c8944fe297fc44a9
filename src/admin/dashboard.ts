import type { User } from '../directory/types.js';
import type { UnitRepository } from '../directory/unit-repository.js';
import { unitScopeOf } from '../directory/unit-scope.js';
import type { UserRepository } from '../directory/user-repository.js';
import { complianceDashboard } from '../reports/dashboard.js';

type DashboardServices = Parameters<typeof complianceDashboard>[0] & {
  units: UnitRepository;
  users: UserRepository;
};

/**
 * What /admin shows this person: an admin the whole instance; an operator their own unit and its subtree only (the
 * unit they are titled by, its active units and users, its compliance), and nothing while they belong to no unit.
 */
export async function adminDashboard(
  services: DashboardServices,
  viewer: Pick<User, 'role' | 'unitId'>,
  now: Date,
) {
  const scope = unitScopeOf(viewer);
  const compliance = await complianceDashboard(services, viewer, now);
  if (scope.kind === 'all') {
    return {
      unit: null,
      stats: { units: await services.units.countActive(), users: await services.users.countActive() },
      compliance,
    };
  }
  const unit = scope.rootId === null ? undefined : await services.units.findById(scope.rootId);
  const unitIds = unit ? [unit.id, ...(await services.units.descendantIds(unit.id))] : [];
  return {
    unit: unit ? { id: unit.id, name: unit.name } : null,
    stats: {
      units: await services.units.countActiveAmong(unitIds),
      users: await services.users.countActiveInUnits(unitIds),
    },
    compliance,
  };
}

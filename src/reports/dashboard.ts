import type { ComplianceCache } from '../compliance/compliance-cache.js';
import type { ComplianceRepository } from '../compliance/compliance-repository.js';
import type { TimeZone } from '../core/time-zone.js';
import type { User } from '../directory/types.js';
import type { UnitRepository } from '../directory/unit-repository.js';
import type { PactRepository } from '../pledges/pact-repository.js';
import { dailyChart } from './daily-chart.js';
import { buildReport, reportQuery } from './report.js';
import { unitsVisibleTo } from './visible-units.js';

/** Units listed as furthest behind on the dashboard. */
const BEHIND_LISTED = 5;

/**
 * The dashboard's view of every open pact for this person (admins: everything; operators: their subtree): totals,
 * the deadline, signings per day (days of the instance's time zone), and the units furthest behind.
 */
export async function complianceDashboard(
  services: {
    complianceCache: ComplianceCache;
    complianceCounts: ComplianceRepository;
    pacts: PactRepository;
    timeZone: TimeZone;
    units: UnitRepository;
  },
  viewer: Pick<User, 'role' | 'unitId'>,
  now: Date,
) {
  const dashboard = [];
  for (const pact of await services.pacts.listByStatus('open')) {
    const units = await unitsVisibleTo(services, viewer, pact);
    const report = buildReport(pact, units, reportQuery({}));
    const unitIds = viewer.role === 'admin' ? null : units.map((unit) => unit.unitId);
    const until = new Date(Math.min(now.getTime(), new Date(pact.deadline).getTime()));
    dashboard.push({
      pact,
      totals: report.totals,
      behind: report.rows.filter((unit) => unit.state !== 'complete').slice(0, BEHIND_LISTED),
      chart: dailyChart(
        await services.complianceCounts.signingsPerHour(pact.id, unitIds),
        new Date(pact.opensAt),
        until,
        services.timeZone,
      ),
    });
  }
  return dashboard;
}

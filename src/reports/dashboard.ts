import type { ComplianceCache } from '../compliance/compliance-cache.js';
import type { ComplianceRepository } from '../compliance/compliance-repository.js';
import type { PeopleRepository, ReportPerson } from '../compliance/people-repository.js';
import type { UnitCompliance } from '../compliance/summary.js';
import type { TimeZone } from '../core/time-zone.js';
import type { User } from '../directory/types.js';
import type { UnitRepository } from '../directory/unit-repository.js';
import type { PactRepository } from '../pledges/pact-repository.js';
import type { Pact } from '../pledges/types.js';
import type { ReminderRepository } from '../reminders/reminder-repository.js';
import { dailyChart } from './daily-chart.js';
import { buildReport, reportQuery } from './report.js';
import { outstandingPeoplePage } from './unit-people.js';
import { unitsVisibleTo } from './visible-units.js';

/** Units listed as furthest behind on the dashboard. */
const BEHIND_LISTED = 5;
/** An operator's "Belum menandatangani": this many of their units still short, and this many people of each. */
export const OUTSTANDING_UNITS = 10;
export const OUTSTANDING_PEOPLE = 20;

/** One unit of an operator's "Belum menandatangani": who, with when each was last reminded. */
export interface OutstandingUnit {
  unit: UnitCompliance;
  /** Everyone of the unit who has not signed (the people listed are the first OUTSTANDING_PEOPLE by name). */
  count: number;
  people: (ReportPerson & { lastRemindedAt: string | null })[];
}

/** Reminders go out while people can sign: the pact open, its period begun and its deadline not yet passed. */
const remindable = (pact: Pact, now: Date) =>
  pact.status === 'open' &&
  Date.parse(pact.opensAt) <= now.getTime() &&
  now.getTime() <= Date.parse(pact.deadline);

/** The people still to sign in the units furthest behind (the report's order), as many as the dashboard lists. */
async function outstandingPeople(
  services: {
    complianceCache: ComplianceCache;
    compliancePeople: PeopleRepository;
    reminders: ReminderRepository;
  },
  pact: Pact,
  rows: readonly UnitCompliance[],
): Promise<{ units: OutstandingUnit[]; unitsNotListed: number }> {
  const short = rows.filter((unit) => unit.signed < unit.required);
  const units: OutstandingUnit[] = [];
  for (const unit of short.slice(0, OUTSTANDING_UNITS)) {
    // The first page only, from the drill-down's ordered list: a unit of 50,000 is not read whole to show twenty.
    const listed = (
      await outstandingPeoplePage(services, pact.id, unit.unitId, {
        requested: undefined,
        notActivated: false,
        size: OUTSTANDING_PEOPLE,
      })
    ).items;
    if (listed.length === 0) continue;
    const reminded = await services.reminders.lastReminded(
      pact.id,
      listed.map((person) => person.userId),
    );
    units.push({
      unit,
      count: unit.unsigned,
      people: listed.map((person) => ({ ...person, lastRemindedAt: reminded.get(person.userId) ?? null })),
    });
  }
  return { units, unitsNotListed: Math.max(0, short.length - OUTSTANDING_UNITS) };
}

/**
 * The dashboard's view of every open pact for this person (admins: everything; operators: their subtree): totals,
 * the deadline, signings per day (days of the instance's time zone), the units furthest behind, and for an operator
 * the people of their units who have not signed, to be reminded from there.
 */
export async function complianceDashboard(
  services: {
    complianceCache: ComplianceCache;
    complianceCounts: ComplianceRepository;
    compliancePeople: PeopleRepository;
    pacts: PactRepository;
    reminders: ReminderRepository;
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
      // An admin's dashboard is about units (the report has the people); an operator's about their people.
      outstanding: viewer.role === 'admin' ? null : await outstandingPeople(services, pact, report.rows),
      canRemind: remindable(pact, now),
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

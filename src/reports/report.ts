import {
  type PactCompliance,
  summarise,
  type UnitCompliance,
  type UnitState,
} from '../compliance/summary.js';
import { sortUnits, type UnitOrder, unitOrderQuery } from '../compliance/unit-order.js';
import type { Pact } from '../pledges/types.js';
import { HttpError } from '../web/http-error.js';

/** `?status=` of the report: which units to show by how far along they are. */
const STATE_FILTERS = { semua: null, lengkap: 'complete', sebagian: 'partial', belum: 'none' } as const;
/** The report's filters, and its order (`?urut=`, `?arah=`: any column, see unit-order.ts). */
export interface ReportQuery extends UnitOrder {
  status: keyof typeof STATE_FILTERS;
  kind: string | null;
  search: string;
}

const oneOf = <T extends string>(value: unknown, allowed: readonly T[], fallback: T): T => {
  if (value === undefined || value === '') return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new HttpError(400, 'compliance.report.bad_query');
};

/** The report's filters and sort from the query string; anything not understood is a 400, never a guess. */
export function reportQuery(query: Record<string, unknown>): ReportQuery {
  const kind = query.jenis;
  if (kind !== undefined && (typeof kind !== 'string' || !/^[a-z_]{0,40}$/.test(kind))) {
    throw new HttpError(400, 'compliance.report.bad_query');
  }
  const search = query.q;
  if (search !== undefined && (typeof search !== 'string' || search.length > 100)) {
    throw new HttpError(400, 'compliance.report.bad_query');
  }
  return {
    status: oneOf(query.status, Object.keys(STATE_FILTERS) as (keyof typeof STATE_FILTERS)[], 'semua'),
    kind: kind ? kind : null,
    search: (search ?? '').trim(),
    ...unitOrderQuery(query, { refusal: 'compliance.report.bad_query' }),
  };
}

export interface Report {
  /** Totals over the units the viewer may see (an operator: their subtree). */
  readonly totals: PactCompliance;
  /** The rows to show, filtered and sorted. */
  readonly rows: readonly UnitCompliance[];
  /** Kinds present among the viewer's units, for the filter. */
  readonly kinds: readonly string[];
}

/**
 * The report for the units a viewer may see: totals over all of them, rows filtered and sorted as asked. With no
 * sort asked, the units furthest behind come first (mostBehindFirst; for a heads pact: those whose head has not
 * signed), which is what someone chasing signatures needs.
 */
export function buildReport(pact: Pact, visible: readonly UnitCompliance[], query: ReportQuery): Report {
  let reports = builtReports.get(visible);
  if (reports === undefined) {
    reports = new Map();
    builtReports.set(visible, reports);
  }
  const key = `${pact.id}:${pact.audience}:${JSON.stringify(query)}`;
  let report = reports.get(key);
  if (report === undefined) {
    // Searches have no end: a few kept at a time is all the memo needs to spare the clicking-through admin.
    if (reports.size >= MAX_QUERIES_KEPT) reports.clear();
    report = computeReport(pact, visible, query);
    reports.set(key, report);
  }
  return report;
}

/**
 * Reports already built from a list of units. The compliance cache hands out the same list until a number moves
 * (then a new one), so a report kept under the list it was built from is current for exactly as long as the list
 * is, and goes with it: an admin's report at national scale (603 units) is summed, filtered and sorted once per
 * change, not on every page view. An operator's list is filtered afresh per request and so is never shared.
 * Reports are read, never changed, by their callers.
 */
const builtReports = new WeakMap<readonly UnitCompliance[], Map<string, Report>>();
const MAX_QUERIES_KEPT = 32;

function computeReport(pact: Pact, visible: readonly UnitCompliance[], query: ReportQuery): Report {
  const totals = summarise(pact, visible);
  const wanted: UnitState | null = STATE_FILTERS[query.status];
  const needle = query.search.toLocaleLowerCase('id');
  const rows = totals.units.filter(
    (unit) =>
      // A unit that requires nobody is left out, unless because its people are exempt (they are listed).
      (unit.state !== 'not_required' || unit.exempt > 0) &&
      (wanted === null || unit.state === wanted) &&
      (query.kind === null || unit.kind === query.kind) &&
      (needle === '' ||
        unit.name.toLocaleLowerCase('id').includes(needle) ||
        unit.code.toLocaleLowerCase('id').includes(needle)),
  );
  sortUnits(rows, query);
  const kinds = [...new Set(totals.units.map((unit) => unit.kind))].sort();
  return { totals, rows, kinds };
}

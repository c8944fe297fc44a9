import {
  type PactCompliance,
  summarise,
  type UnitCompliance,
  type UnitState,
} from '../compliance/summary.js';
import type { Pact } from '../pledges/types.js';
import { HttpError } from '../web/http-error.js';

/** `?status=` of the report: which units to show by how far along they are. */
const STATE_FILTERS = { semua: null, lengkap: 'complete', sebagian: 'partial', belum: 'none' } as const;
/** `?urut=`: the columns a report may be sorted by (unit, head, required, signed, not yet signed, share, last). */
const SORTS = ['nama', 'kepala', 'wajib', 'sudah', 'belum', 'persen', 'terakhir'] as const;

export interface ReportQuery {
  status: keyof typeof STATE_FILTERS;
  kind: string | null;
  search: string;
  sort: (typeof SORTS)[number] | null;
  descending: boolean;
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
    sort: query.urut === undefined || query.urut === '' ? null : oneOf(query.urut, SORTS, 'nama'),
    descending: oneOf(query.arah, ['naik', 'turun'] as const, 'naik') === 'turun',
  };
}

const byName = (a: UnitCompliance, b: UnitCompliance) =>
  a.name.localeCompare(b.name, 'id') || a.unitId - b.unitId;

/**
 * The order of units for someone chasing signatures: the most people still unsigned first, then the lowest share
 * signed, then by name. A unit of 19 with 12 unsigned comes before 35 units of one with their one unsigned; units
 * that require nobody come last. The report's default order, its exports' and the dashboard's "furthest behind" list.
 */
export function mostBehindFirst(a: UnitCompliance, b: UnitCompliance): number {
  return b.unsigned - a.unsigned || (a.percent ?? 101) - (b.percent ?? 101) || byName(a, b);
}

const sortValue = (unit: UnitCompliance, sort: NonNullable<ReportQuery['sort']>): number | string => {
  switch (sort) {
    case 'nama':
      return unit.name.toLocaleLowerCase('id');
    case 'kepala':
      return (unit.headName ?? '').toLocaleLowerCase('id');
    case 'wajib':
      return unit.required;
    case 'sudah':
      return unit.signed;
    case 'belum':
      return unit.unsigned;
    case 'persen':
      return unit.percent ?? -1;
    case 'terakhir':
      return unit.lastSignedAt ?? '';
  }
};

export interface Report {
  /** Totals over the units the viewer may see (an operator: their subtree). */
  totals: PactCompliance;
  /** The rows to show, filtered and sorted. */
  rows: UnitCompliance[];
  /** Kinds present among the viewer's units, for the filter. */
  kinds: string[];
}

/**
 * The report for the units a viewer may see: totals over all of them, rows filtered and sorted as asked. With no
 * sort asked, the units furthest behind come first (mostBehindFirst; for a heads pact: those whose head has not
 * signed), which is what someone chasing signatures needs.
 */
export function buildReport(pact: Pact, visible: readonly UnitCompliance[], query: ReportQuery): Report {
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
  const sort = query.sort;
  if (sort === null) {
    rows.sort(mostBehindFirst);
  } else {
    const direction = query.descending ? -1 : 1;
    rows.sort((a, b) => {
      const x = sortValue(a, sort);
      const y = sortValue(b, sort);
      return (x < y ? -1 : x > y ? 1 : 0) * direction || byName(a, b);
    });
  }
  const kinds = [...new Set(totals.units.map((unit) => unit.kind))].sort();
  return { totals, rows, kinds };
}

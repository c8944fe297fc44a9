import { HttpError } from '../web/http-error.js';
import type { UnitCompliance } from './summary.js';

/**
 * `?urut=`: the columns a table of units may be sorted by (unit, head, required, signed, not yet signed, share, last
 * signing). The admin report offers them all; the public page only those it shows.
 */
export const UNIT_SORTS = ['nama', 'kepala', 'wajib', 'sudah', 'belum', 'persen', 'terakhir'] as const;
export type UnitSort = (typeof UNIT_SORTS)[number];

/** `?arah=`. */
const DIRECTIONS = ['naik', 'turun'] as const;

/** How a table of units is ordered: by a column, or (`sort` null) by mostBehindFirst. */
export interface UnitOrder {
  sort: UnitSort | null;
  descending: boolean;
}

/**
 * The order asked by `?urut=` and `?arah=` (absent or empty: the default), among `sorts`. Anything else is a 400 with
 * the message `refusal`, never a guess.
 */
export function unitOrderQuery(
  query: Record<string, unknown>,
  options: { sorts?: readonly UnitSort[]; refusal: string },
): UnitOrder {
  const choice = <T extends string>(value: unknown, allowed: readonly T[]): T | null => {
    if (value === undefined || value === '') return null;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    throw new HttpError(400, options.refusal);
  };
  return {
    sort: choice(query.urut, options.sorts ?? UNIT_SORTS),
    descending: choice(query.arah, DIRECTIONS) === 'turun',
  };
}

/** The query parameters that keep `order` in a link (none for the default order). */
export function orderParams(order: UnitOrder): Record<string, string> {
  return order.sort === null ? {} : { urut: order.sort, arah: order.descending ? 'turun' : 'naik' };
}

/** A link to the same page with these query parameters. */
export const queryHref = (params: Record<string, string>): string => `?${new URLSearchParams(params)}`;

export interface SortLink {
  /** The same page sorted by this column: ascending, or descending when it is already sorted ascending by it. */
  href: string;
  /** The header's `aria-sort`. The default order is most unsigned first, so 'Belum' reads as sorted descending. */
  ariaSort: 'ascending' | 'descending' | 'none';
}

/** Each column header's link and `aria-sort`, the page's other parameters (`kept`) kept in the links. */
export function sortLinks(
  order: UnitOrder,
  columns: readonly UnitSort[],
  kept: Record<string, string>,
): Record<string, SortLink> {
  const links: Record<string, SortLink> = {};
  for (const column of columns) {
    const descending = order.sort === column && !order.descending;
    links[column] = {
      href: queryHref({ ...kept, ...orderParams({ sort: column, descending }) }),
      ariaSort:
        order.sort === column
          ? order.descending
            ? 'descending'
            : 'ascending'
          : order.sort === null && column === 'belum'
            ? 'descending'
            : 'none',
    };
  }
  return links;
}

const byName = (a: UnitCompliance, b: UnitCompliance) =>
  a.name.localeCompare(b.name, 'id') || a.unitId - b.unitId;

/**
 * The order of units for someone chasing signatures: the most people still unsigned first, then the lowest share
 * signed, then by name. A unit of 19 with 12 unsigned comes before 35 units of one with their one unsigned; units
 * that require nobody come last. The default order of the report, its exports, the dashboard's "furthest behind"
 * list and the public page.
 */
export function mostBehindFirst(a: UnitCompliance, b: UnitCompliance): number {
  return b.unsigned - a.unsigned || (a.percent ?? 101) - (b.percent ?? 101) || byName(a, b);
}

const sortValue = (unit: UnitCompliance, sort: UnitSort): number | string => {
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

/** Sorts `units` in place as `order` asks (ties by name) and returns them. */
export function sortUnits<T extends UnitCompliance>(units: T[], order: UnitOrder): T[] {
  const sort = order.sort;
  if (sort === null) return units.sort(mostBehindFirst);
  const direction = order.descending ? -1 : 1;
  return units.sort((a, b) => {
    const x = sortValue(a, sort);
    const y = sortValue(b, sort);
    return (x < y ? -1 : x > y ? 1 : 0) * direction || byName(a, b);
  });
}

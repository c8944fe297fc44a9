// The public compliance list's table (/kepatuhan/:pactId): which units it lists, in which order, and the same rows as
// a CSV file (byte order mark, ';', formula-safe: see ../web/csv.ts), each cell as the page writes it.

import { maskNip } from '../directory/nip.js';
import type { Audience } from '../pledges/types.js';
import { type CsvValue, toCsv } from '../web/csv.js';
import type { Formatter } from '../web/format.js';
import type { Translate } from '../web/i18n.js';
import type { UnitCompliance } from './summary.js';
import { sortUnits, type UnitOrder, type UnitSort } from './unit-order.js';

/** `?status=` on the public list: everyone, only those still outstanding, or only the complete. */
export const STATUS_FILTERS = ['semua', 'belum', 'sudah'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

/** The columns a reader may sort by: those the table shows for the pact's audience, in their order. */
export const PUBLIC_SORTS: Record<Audience, readonly UnitSort[]> = {
  heads: ['nama', 'kepala', 'terakhir'],
  all: ['nama', 'wajib', 'sudah', 'belum', 'persen'],
};

/** A row of the public table: a unit, and for a heads pact the acting title of its head ("Plt. Kepala …"). */
export interface PublicUnit extends UnitCompliance {
  headActingAs: string | null;
}

export const isDone = (unit: UnitCompliance): boolean => unit.state === 'complete';

/** Units with nobody to sign (no head, no members) say nothing about compliance: left out of the public table. */
export const countedUnits = <T extends UnitCompliance>(units: readonly T[]): T[] =>
  units.filter((unit) => unit.state !== 'not_required');

/** The table's rows: the counted units that pass the filter, in the order asked (most behind first by default). */
export function publicRows<T extends UnitCompliance>(
  units: readonly T[],
  status: StatusFilter,
  order: UnitOrder,
): T[] {
  return sortUnits(
    countedUnits(units).filter((unit) => status === 'semua' || (status === 'sudah') === isDone(unit)),
    order,
  );
}

const kindOf = (unit: UnitCompliance, t: Translate) => t(`unit.kind.${unit.kind}`);
const percentOf = (unit: UnitCompliance, fmt: Formatter) =>
  unit.percent === null ? '—' : fmt.formatPercent(unit.percent / 100);

interface Column {
  header: (t: Translate) => string;
  cell: (unit: PublicUnit, t: Translate, fmt: Formatter) => CsvValue;
}

/**
 * The page's columns, one CSV column for each thing a cell shows: the unit's name and kind; for a heads pact the
 * head's name, title, masked NIP and whether and when they signed; for an all-ASN pact the counts and the share.
 */
const COLUMNS: Record<Audience, Column[]> = {
  heads: [
    { header: (t) => t('compliance.public.col.unit'), cell: (u) => u.name },
    { header: (t) => t('compliance.export.col.kind'), cell: kindOf },
    { header: (t) => t('compliance.public.col.head'), cell: (u) => u.headName },
    {
      header: (t) => t('compliance.export.col.position'),
      cell: (u) => [u.headActingAs, u.headPosition].filter(Boolean).join(' · '),
    },
    { header: (t) => t('compliance.export.col.nip'), cell: (u) => (u.headNip ? maskNip(u.headNip) : null) },
    {
      header: (t) => t('compliance.public.col.signed_at'),
      cell: (u, t) => t(u.headSignedAt ? 'compliance.public.signed' : 'compliance.public.not_signed'),
    },
    {
      header: (t) => t('compliance.public.col.signed_time'),
      cell: (u, _t, fmt) => (u.headSignedAt ? fmt.formatDateTime(u.headSignedAt) : null),
    },
  ],
  all: [
    { header: (t) => t('compliance.public.col.unit'), cell: (u) => u.name },
    { header: (t) => t('compliance.export.col.kind'), cell: kindOf },
    { header: (t) => t('compliance.public.col.required'), cell: (u) => u.required },
    { header: (t) => t('compliance.public.col.signed'), cell: (u) => u.signed },
    { header: (t) => t('compliance.public.col.unsigned'), cell: (u) => u.unsigned },
    { header: (t) => t('compliance.public.col.percent'), cell: (u, _t, fmt) => percentOf(u, fmt) },
  ],
};

/** The table as CSV: the page's rows in the page's order, the cells as the page writes them (times in `fmt`'s zone). */
export function publicCsv(
  audience: Audience,
  rows: readonly PublicUnit[],
  t: Translate,
  fmt: Formatter,
): string {
  const columns = COLUMNS[audience];
  return toCsv(
    [
      columns.map((column) => column.header(t)),
      ...rows.map((unit) => columns.map((column) => column.cell(unit, t, fmt))),
    ],
    t.language,
  );
}

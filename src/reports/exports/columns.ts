// The compliance report's two tables as every export format writes them: one list of columns per table, each column
// giving its header and its cell as CSV, XLSX and PDF. Every number comes from the same UnitCompliance values the
// screen shows; every time is read on the clocks of the instance's time zone (the context's `zone`: WIB, WITA or WIT),
// which the headers name; words and numbers are in the reader's language (the context's `t` and `fmt`).

import type ExcelJS from 'exceljs';
import type { DetailRow } from '../../compliance/people-repository.js';
import type { PactCompliance, UnitCompliance } from '../../compliance/summary.js';
import type { TimeZone } from '../../core/time-zone.js';
import { formatNip } from '../../directory/nip.js';
import { formatReceiptCode } from '../../pledges/receipt-code.js';
import type { Pact } from '../../pledges/types.js';
import type { InstanceSettings } from '../../settings/instance.js';
import type { CsvValue } from '../../web/csv.js';
import { type Formatter, formatterFor } from '../../web/format.js';
import type { Translate } from '../../web/i18n.js';

export interface ReportExport {
  instance: InstanceSettings;
  pact: Pick<Pact, 'id' | 'title' | 'version' | 'audience' | 'deadline' | 'place'>;
  summary: Pick<PactCompliance, 'required' | 'signed' | 'unsigned' | 'percent'>;
  /** The per-unit rows exactly as shown on screen (already filtered and sorted). */
  units: readonly UnitCompliance[];
  generatedAt: Date;
  /** The instance's time zone: every time in the file is on its clocks. */
  zone: TimeZone;
}

/**
 * What a cell or header needs besides its row: the catalogue, the zone its times are read in, and the formatter of
 * both (exportContext makes them agree).
 */
export interface ExportContext {
  t: Translate;
  zone: TimeZone;
  fmt: Formatter;
}

/** The context of an export read in `zone`, written in the language of `t`. */
export const exportContext = (t: Translate, zone: TimeZone): ExportContext => ({
  t,
  zone,
  fmt: formatterFor(zone, t.language),
});

/** One column of an exported table: its header and its cell in each format. */
export interface ExportColumn<T> {
  header: (cx: ExportContext) => string;
  csv: (row: T, cx: ExportContext) => CsvValue;
  /** Width in characters; a cell keeps its type (numbers as numbers, times as dates), formatted by `numFmt`. */
  xlsx: { width: number; numFmt?: string; value: (row: T, cx: ExportContext) => ExcelJS.CellValue };
  /**
   * The PDF cell's text, left-aligned unless told; widths are fitted to the content (src/pdf/table.ts fitColumns),
   * the cell wrapping at spaces unless `wrap` is 'none' (a code, a NIP, a number: kept on one line).
   */
  pdf: { align?: 'right'; wrap?: 'none'; text: (row: T, cx: ExportContext) => string };
}

export const PERCENT_FORMAT = '0.0%';
const DATE_TIME_FORMAT = 'dd/mm/yyyy hh:mm';

/** The columns of a table in order. */
export const inOrder = <T>(table: Record<string, ExportColumn<T>>): ExportColumn<T>[] => Object.values(table);

/** 'kabupaten' → 'Kabupaten', as the screen names a unit kind; an unknown kind as stored. */
function kindLabel(kind: string, t: Translate): string {
  const key = `unit.kind.${kind}`;
  const label = t(key);
  return label === key ? kind : label;
}

/** As on screen: '66,7%' ('66.7%' in English), and '—' where nothing is required. */
export const screenPercent = (percent: number | null, fmt: Formatter): string =>
  percent === null ? '—' : fmt.formatPercent(percent / 100);

/**
 * The CSV percent as a spreadsheet in the reader's language reads a number (a share of 0 to 100 with one decimal, so
 * never grouped): 66.7 → '66,7' for Indonesian (decimal comma), '66.7' for English; none required → empty.
 */
const csvPercent = (percent: number | null, fmt: Formatter): string =>
  percent === null ? '' : fmt.formatNumber(percent);

const text = <T>(get: (row: T) => string | null, wrap?: 'none'): Pick<ExportColumn<T>, 'csv' | 'pdf'> => ({
  csv: (row) => get(row),
  pdf: { wrap, text: (row) => get(row) ?? '' },
});

/**
 * A time column on the zone's clocks: a 'YYYY-MM-DD HH:MM:SS' CSV cell (text spreadsheets read as a date and time),
 * an Excel date, '21/11/2023 10.15 WIB' in a PDF ('10:15' in English). Excel has no time zones: a date cell holds a wall-clock time and
 * shows it as it is wherever the file is opened, so it stores the local wall-clock time.
 */
const time = <T>(get: (row: T) => string | null, width: number): Omit<ExportColumn<T>, 'header'> => ({
  csv: (row, { zone }) => {
    const iso = get(row);
    return iso === null ? null : zone.stamp(iso);
  },
  xlsx: {
    width,
    numFmt: DATE_TIME_FORMAT,
    value: (row, { zone }) => {
      const iso = get(row);
      return iso === null ? null : zone.wallClockAsUtc(iso);
    },
  },
  pdf: {
    text: (row, { fmt }) => {
      const iso = get(row);
      return iso === null ? '' : fmt.formatNumericDateTime(iso);
    },
  },
});

const count = <T>(get: (row: T) => number, width: number): Omit<ExportColumn<T>, 'header'> => ({
  csv: get,
  xlsx: { width, value: get },
  pdf: { align: 'right', wrap: 'none', text: (row, { fmt }) => fmt.formatNumber(get(row)) },
});

/** The per-unit table: what the report page lists. */
export const UNIT_COLUMNS = {
  code: {
    header: ({ t }) => t('compliance.export.col.code'),
    ...text((u) => u.code, 'none'),
    xlsx: { width: 14, value: (u) => u.code },
  },
  name: {
    header: ({ t }) => t('compliance.export.col.unit'),
    ...text((u) => u.name),
    xlsx: { width: 40, value: (u) => u.name },
  },
  kind: {
    header: ({ t }) => t('compliance.export.col.kind'),
    csv: (u, { t }) => kindLabel(u.kind, t),
    xlsx: { width: 14, value: (u, { t }) => kindLabel(u.kind, t) },
    pdf: { text: (u, { t }) => kindLabel(u.kind, t) },
  },
  head: {
    header: ({ t }) => t('compliance.export.col.head'),
    ...text((u) => u.headName),
    xlsx: { width: 28, value: (u) => u.headName ?? '' },
  },
  required: { header: ({ t }) => t('compliance.export.col.required'), ...count((u) => u.required, 10) },
  signed: { header: ({ t }) => t('compliance.export.col.signed'), ...count((u) => u.signed, 10) },
  unsigned: { header: ({ t }) => t('compliance.export.col.unsigned'), ...count((u) => u.unsigned, 10) },
  percent: {
    header: ({ t }) => t('compliance.export.col.percent'),
    csv: (u, { fmt }) => csvPercent(u.percent, fmt),
    xlsx: {
      width: 12,
      numFmt: PERCENT_FORMAT,
      value: (u) => (u.percent === null ? null : u.percent / 100),
    },
    pdf: { align: 'right', wrap: 'none', text: (u, { fmt }) => screenPercent(u.percent, fmt) },
  },
  lastSigned: {
    header: ({ t, zone }) => t('compliance.export.col.last_signed', { zone: zone.label }),
    ...time((u) => u.lastSignedAt, 24),
  },
} satisfies Record<string, ExportColumn<UnitCompliance>>;

/** Signed or not, in words. */
const status = (row: DetailRow, { t }: ExportContext): string =>
  row.exemption
    ? t('compliance.export.status.exempt', {
        reason: [t(`exemption.reason.${row.exemption.reason}`), row.exemption.note]
          .filter(Boolean)
          .join(': '),
      })
    : row.signedAt === null
      ? t('compliance.export.status.outstanding')
      : t('compliance.export.status.signed');

const receiptCode = (row: DetailRow): string | null =>
  row.receiptCode === null ? null : formatReceiptCode(row.receiptCode);

/** The person-by-person detail: one row per person required to sign. */
export const DETAIL_COLUMNS = {
  unit: {
    header: ({ t }) => t('compliance.export.col.unit'),
    ...text((p) => p.unitName),
    xlsx: { width: 36, value: (p) => p.unitName },
  },
  name: {
    header: ({ t }) => t('compliance.export.col.name'),
    ...text((p) => p.fullName),
    xlsx: { width: 30, value: (p) => p.fullName },
  },
  nip: {
    header: ({ t }) => t('compliance.export.col.nip'),
    // Grouped ('19860926 201505 1 001') in text: Excel would read 18 bare digits as a number and round the last
    // three. The XLSX cell is a text cell with the 18 digits as stored.
    ...text((p) => (p.nip === null ? null : formatNip(p.nip)), 'none'),
    xlsx: { width: 22, value: (p) => p.nip ?? '' },
  },
  pangkat: {
    header: ({ t }) => t('compliance.export.col.pangkat'),
    ...text((p) => p.pangkat),
    xlsx: { width: 26, value: (p) => p.pangkat ?? '' },
  },
  position: {
    header: ({ t }) => t('compliance.export.col.position'),
    ...text((p) => p.position),
    xlsx: { width: 30, value: (p) => p.position },
  },
  email: {
    header: ({ t }) => t('compliance.export.col.email'),
    ...text((p) => p.email),
    xlsx: { width: 30, value: (p) => p.email ?? '' },
  },
  status: {
    header: ({ t }) => t('compliance.export.col.status'),
    csv: status,
    xlsx: { width: 24, value: status },
    pdf: { text: status },
  },
  signedAt: {
    header: ({ t, zone }) => t('compliance.export.col.signed_at', { zone: zone.label }),
    ...time((p) => p.signedAt, 24),
  },
  receipt: {
    header: ({ t }) => t('compliance.export.col.receipt'),
    ...text(receiptCode, 'none'),
    xlsx: { width: 22, value: receiptCode },
  },
} satisfies Record<string, ExportColumn<DetailRow>>;

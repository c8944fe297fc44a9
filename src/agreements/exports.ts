// An agreement's public table as files: CSV (byte order mark, ';', formula-safe: see ../web/csv.ts) and XLSX. The
// same columns as the public page, so nothing but what the page shows: never the scan, the admin's note or who
// recorded what.

import ExcelJS from 'exceljs';
import type { TimeZone } from '../core/time-zone.js';
import { type CsvValue, toCsv } from '../web/csv.js';
import { formatsIn, formatterFor } from '../web/format.js';
import type { Translate } from '../web/i18n.js';
import type { AgreementSummary, AgreementUnit } from './types.js';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DAY_FORMAT = 'dd/mm/yyyy';

interface Column {
  header: (t: Translate) => string;
  width: number;
  csv: (unit: AgreementUnit, t: Translate) => CsvValue;
  /** A day is an Excel date (its midnight in UTC: Excel dates have no zone), anything else text. */
  xlsx: (unit: AgreementUnit, t: Translate) => ExcelJS.CellValue;
  numFmt?: string;
}

const signed = (unit: AgreementUnit) => (unit.state === 'signed' ? unit.record : null);

function kindLabel(kind: string, t: Translate): string {
  const key = `unit.kind.${kind}`;
  const label = t(key);
  return label === key ? kind : label;
}

const statusLabel = (unit: AgreementUnit, t: Translate): string =>
  t(unit.state === 'signed' ? 'agreements.state.signed' : 'agreements.state.outstanding');

const COLUMNS: Column[] = [
  {
    header: (t) => t('agreements.col.code'),
    width: 12,
    csv: (u) => u.code,
    xlsx: (u) => u.code,
  },
  {
    header: (t) => t('agreements.col.unit'),
    width: 34,
    csv: (u) => u.name,
    xlsx: (u) => u.name,
  },
  {
    header: (t) => t('agreements.col.kind'),
    width: 12,
    csv: (u, t) => kindLabel(u.kind, t),
    xlsx: (u, t) => kindLabel(u.kind, t),
  },
  {
    header: (t) => t('agreements.col.status'),
    width: 20,
    csv: statusLabel,
    xlsx: statusLabel,
  },
  {
    header: (t) => t('agreements.col.signed_on'),
    width: 14,
    csv: (u) => signed(u)?.signedOn ?? null,
    xlsx: (u) => {
      const day = signed(u)?.signedOn;
      return day ? new Date(`${day}T00:00:00Z`) : null;
    },
    numFmt: DAY_FORMAT,
  },
  {
    header: (t) => t('agreements.col.document_number'),
    width: 28,
    csv: (u) => signed(u)?.documentNumber ?? null,
    xlsx: (u) => signed(u)?.documentNumber ?? null,
  },
  {
    header: (t) => t('agreements.col.parties'),
    width: 50,
    csv: (u) => signed(u)?.parties ?? null,
    xlsx: (u) => signed(u)?.parties ?? null,
  },
];

/** "33 dari 35 kabupaten/kota sudah menandatangani", in the language of `t`. */
const countLine = (summary: AgreementSummary, t: Translate): string =>
  t('agreements.signed_of', {
    signed: formatsIn(t.language).formatNumber(summary.signed),
    total: formatsIn(t.language).formatNumber(summary.total),
    noun: t(`agreements.scope_noun.${summary.agreement.scope}`),
  });

/** The table as CSV: one line per unit in scope, the outstanding first. */
export function agreementCsv(summary: AgreementSummary, t: Translate): string {
  return toCsv(
    [
      COLUMNS.map((column) => column.header(t)),
      ...summary.units.map((unit) => COLUMNS.map((column) => column.csv(unit, t))),
    ],
    t.language,
  );
}

/**
 * The table as an XLSX workbook of one sheet: a title block (instance, agreement, count, when it was made), then the
 * table with a bold, frozen header, its days as Excel dates. Small (a row per unit), so written in memory.
 */
export async function agreementXlsx(
  summary: AgreementSummary,
  options: { instanceName: string; generatedAt: Date; zone: TimeZone; t: Translate },
): Promise<Buffer> {
  const { t } = options;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Ikrar';
  workbook.created = options.generatedAt;
  const headerRow = 6;
  const sheet = workbook.addWorksheet(t('agreements.export.sheet'), {
    views: [{ state: 'frozen', ySplit: headerRow }],
  });
  sheet.columns = COLUMNS.map((column) => ({ width: column.width }));
  sheet.addRow([options.instanceName]).getCell(1).font = { bold: true, size: 14 };
  sheet.addRow([summary.agreement.title]).getCell(1).font = { bold: true };
  sheet.addRow([countLine(summary, t)]);
  sheet.addRow([
    t('agreements.export.generated', {
      at: formatterFor(options.zone, t.language).formatDateTime(options.generatedAt),
    }),
  ]);
  sheet.addRow([]);
  const header = sheet.addRow(COLUMNS.map((column) => column.header(t)));
  header.font = { bold: true };
  for (const unit of summary.units) {
    const row = sheet.addRow(COLUMNS.map((column) => column.xlsx(unit, t)));
    for (const [i, column] of COLUMNS.entries()) {
      if (column.numFmt) row.getCell(i + 1).numFmt = column.numFmt;
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

import ExcelJS from 'exceljs';
import { toCsv } from '../../web/csv.js';
import type { Language, Translate } from '../../web/i18n.js';
import { ROSTER_COLUMNS, type RosterHeader, type StoredRow } from './types.js';

/**
 * The CSV template: the header line only, with a byte order mark and the separator a spreadsheet in the reader's
 * language splits on (an upload may use either).
 */
export const rosterTemplateCsv = (language: Language | undefined): string =>
  toCsv([ROSTER_COLUMNS], language);

/**
 * The XLSX template: a "Data" sheet with the header and every column formatted as text, so that Excel keeps an
 * 18-digit NIP as typed instead of turning it into a number and losing its last digits; then a sheet explaining
 * the columns. Only the first sheet is read on upload.
 */
export async function rosterTemplateXlsx(t: Translate): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Ikrar';
  const data = workbook.addWorksheet(t('admin.import.template.data_sheet'), {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  data.columns = ROSTER_COLUMNS.map((column) => ({
    header: column,
    key: column,
    width: column === 'nip' ? 22 : column === 'nama' || column === 'jabatan' || column === 'email' ? 32 : 12,
    style: { numFmt: '@' },
  }));
  data.getRow(1).font = { bold: true };
  const help = workbook.addWorksheet(t('admin.import.template.help_sheet'));
  help.columns = [
    { header: t('admin.import.columns.column'), key: 'column', width: 14 },
    { header: t('admin.import.columns.required'), key: 'required', width: 10 },
    { header: t('admin.import.columns.meaning'), key: 'meaning', width: 90 },
  ];
  help.getRow(1).font = { bold: true };
  for (const column of ROSTER_COLUMNS) {
    help.addRow({
      column,
      required: t(`admin.import.columns.${column}.required`),
      meaning: t(`admin.import.columns.${column}.help`),
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * The rejected rows with their original columns and one more, `alasan` (the row number and the reason). Every cell
 * goes through the CSV writer, which neutralises formulas (`=HYPERLINK(...)` comes back as text). An upload
 * ignores the `alasan` column, so the file can be corrected and uploaded again.
 */
export function rejectedRowsCsv(header: RosterHeader, rejected: readonly StoredRow[], t: Translate): string {
  const lines: string[][] = [[...header.headers, 'alasan']];
  for (const { row, outcome } of rejected) {
    const reason = outcome.reason ? t(outcome.reason.key, outcome.reason.params) : '';
    lines.push([...row.cells, t('admin.import.rejected.reason_line', { line: outcome.line, reason })]);
  }
  return toCsv(lines, t.language);
}

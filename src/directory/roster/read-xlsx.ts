// Reading the first sheet of an XLSX into text cells. Every value stays text: of a formula cell only its stored
// result is read, never computed.
import { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { Grid, type GridRow, MAX_ROSTER_COLUMNS, ParseFailure } from './grid.js';
import { checkZip } from './xlsx-zip.js';

// A damaged zip can leave the XLSX reader waiting forever: give up and call the file unreadable.
const XLSX_READ_TIMEOUT_MS = 30_000;

/** The non-blank rows of the first sheet, each handed to `onRow` as it is read, each cell checked by the Grid. */
export async function readXlsx(data: Buffer, onRow: (row: GridRow) => void): Promise<void> {
  await checkZip(data);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ParseFailure('malformed_xlsx')), XLSX_READ_TIMEOUT_MS);
  });
  try {
    await Promise.race([readFirstSheet(data, onRow), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function readFirstSheet(data: Buffer, onRow: (row: GridRow) => void): Promise<void> {
  // Loaded for an XLSX only: in the reading thread exceljs takes about 23 MB, which a CSV does not need.
  const { default: excel } = await import('exceljs');
  // The streaming reader: a 50 000-row sheet is read in about a second with a third of the memory of load().
  const reader = new excel.stream.xlsx.WorkbookReader(Readable.from([data]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  const grid = new Grid(onRow);
  // A row's number identifies it in the preview and orders the confirm: each must be a number past the one before.
  let lastLine = 0;
  try {
    let firstSheet = true;
    for await (const worksheet of reader) {
      // The first sheet only. The others are still read through (their rows skipped): exceljs keeps the sheets that
      // come before the shared strings in temporary files and removes them only when it reaches the end.
      if (!firstSheet) {
        for await (const _ of worksheet) void _;
        continue;
      }
      firstSheet = false;
      for await (const row of worksheet) {
        if (!Number.isSafeInteger(row.number) || row.number <= lastLine)
          throw new ParseFailure('malformed_xlsx');
        lastLine = row.number;
        const values = Array.isArray(row.values) ? (row.values as ExcelJS.CellValue[]) : [];
        // values[0] is always empty; a cell far to the right (column XFD) would make every row that wide.
        if (values.length - 1 > MAX_ROSTER_COLUMNS) {
          throw new ParseFailure('too_many_columns', { max: MAX_ROSTER_COLUMNS });
        }
        const cells: string[] = [];
        const inexact: number[] = [];
        // values[0] is always empty: columns count from 1.
        for (let column = 1; column < values.length; column += 1) {
          const cell = cellText(values[column]);
          cells.push(grid.cell(row.number, column - 1, cell.text));
          if (cell.inexact) inexact.push(column - 1);
        }
        grid.add({ line: row.number, cells, ...(inexact.length > 0 ? { inexact } : {}) });
      }
    }
  } catch (err) {
    if (err instanceof ParseFailure) throw err;
    throw new ParseFailure('malformed_xlsx');
  }
  if (grid.count === 0) throw new ParseFailure('empty');
}

/**
 * A cell as text: a string as it is (even one starting with '='), a formula by its stored result, a hyperlink by
 * its text, rich text joined, a date as YYYY-MM-DD, an error as its code. An integer too large to be exact (what
 * Excel makes of an 18-digit NIP typed as a number) is flagged: its last digits are already lost.
 */
export function cellText(value: ExcelJS.CellValue): { text: string; inexact?: boolean } {
  if (value === null || value === undefined) return { text: '' };
  if (typeof value === 'string') return { text: value };
  if (typeof value === 'number') {
    if (Number.isInteger(value) && !Number.isSafeInteger(value))
      return { text: String(value), inexact: true };
    return { text: String(value) };
  }
  if (typeof value === 'boolean') return { text: value ? 'TRUE' : 'FALSE' };
  if (value instanceof Date) {
    return { text: Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10) };
  }
  if ('richText' in value && Array.isArray(value.richText)) {
    return { text: value.richText.map((part) => part.text).join('') };
  }
  if ('formula' in value || 'sharedFormula' in value) {
    return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
  }
  if ('text' in value) {
    const text = (value as { text: unknown }).text;
    return typeof text === 'string' ? { text } : cellText(text as ExcelJS.CellValue);
  }
  if ('error' in value) return { text: String(value.error) };
  return { text: '' };
}

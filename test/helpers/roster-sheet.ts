// Rosters whole, for tests: the app reads, decides and keeps a roster row by row and never holds one whole.
import { type ParseResult, parseRoster, type SheetSink } from '../../src/directory/roster/parse.js';
import { type RowFeed, rowClassifier } from '../../src/directory/roster/preview.js';
import { type ReadLimits, readRosterInWorker } from '../../src/directory/roster/read-in-worker.js';
import type { RosterHeader, RosterRow } from '../../src/directory/roster/types.js';

/** A roster as read from a file: its header and every row. */
export interface RosterSheet extends RosterHeader {
  rows: RosterRow[];
}

export type SheetResult =
  | { ok: true; format: 'csv' | 'xlsx'; sheet: RosterSheet }
  | Extract<ParseResult, { ok: false }>;

async function collect(read: (sink: SheetSink) => Promise<ParseResult>): Promise<SheetResult> {
  let header: RosterHeader = { headers: [], columns: [] };
  const rows: RosterRow[] = [];
  const result = await read({ header: (read) => (header = read), row: (row) => rows.push(row) });
  if (!result.ok) return result;
  if (result.rows !== rows.length) throw new Error(`${result.rows} rows said, ${rows.length} handed on`);
  return { ok: true, format: result.format, sheet: { ...header, rows } };
}

/** A file read in this thread, every row kept. */
export const readSheet = (data: Buffer): Promise<SheetResult> => collect((sink) => parseRoster(data, sink));

/** A file read in a worker thread as an upload is, every row kept. */
export const readSheetInWorker = (data: Buffer, limits?: ReadLimits): Promise<SheetResult> =>
  collect((sink) =>
    readRosterInWorker(data, { header: sink.header, rows: (rows) => rows.forEach(sink.row) }, limits),
  );

/** Every row of a sheet decided, as the preview and the confirm decide them one by one. */
export async function classifyRoster(
  services: Parameters<typeof rowClassifier>[0],
  sheet: RosterSheet,
  manager: Parameters<typeof rowClassifier>[2],
) {
  const classify = rowClassifier(services, sheet, manager);
  // The people of the rows looked up at once, as the preview and the confirm do it a batch at a time.
  await classify.prefetch(sheet.rows);
  // One after another: each decision depends on the rows before it (an email or a head already claimed).
  const decided = [];
  for (const row of sheet.rows) decided.push(await classify(row));
  return decided;
}

/** A sheet's rows as a preview takes them from an upload: the header, then batches of a thousand. */
export const sheetFeed =
  (sheet: RosterSheet, batch = 1000): RowFeed =>
  async (sink) => {
    sink.header({ headers: sheet.headers, columns: sheet.columns });
    for (let start = 0; start < sheet.rows.length; start += batch) {
      await sink.rows(sheet.rows.slice(start, start + batch));
    }
    return { ok: true };
  };

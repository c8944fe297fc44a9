// Instants (UTC ISO 8601 text, as stored) turned into the local wall-clock forms that files need: spreadsheets and
// the tables of printed reports. Pages use ./format.ts. Every conversion below goes through `wallClock`, which is
// Asia/Jakarta (WIB, UTC+7 all year: Indonesia has no daylight saving time) until the instance's time zone is a
// setting; then only it and ZONE_LABEL change.

const OFFSET_MS = 7 * 3_600_000;
/** The abbreviation written after a local time. */
const ZONE_LABEL = 'WIB';

/** The local wall-clock time of `iso`, as a Date whose UTC fields hold it. */
const wallClock = (iso: string): Date => new Date(Date.parse(iso) + OFFSET_MS);

/** 'YYYY-MM-DD HH:MM:SS' in local time: text that spreadsheets read as a date and time (CSV exports). */
export const localStamp = (iso: string): string =>
  wallClock(iso).toISOString().slice(0, 19).replace('T', ' ');

/**
 * A date cell for Excel. Excel has no time zones: a cell holds a wall-clock time and shows it as it is wherever the
 * file is opened. So the cell stores the local wall-clock time, which exceljs writes as if it were UTC.
 */
export const excelLocal = (iso: string): Date => wallClock(iso);

/** A compact local time for a printed table: '21/11/2023 10.15 WIB'. */
export const localTableTime = (iso: string): string => {
  const local = wallClock(iso).toISOString();
  return `${local.slice(8, 10)}/${local.slice(5, 7)}/${local.slice(0, 4)} ${local.slice(11, 13)}.${local.slice(14, 16)} ${ZONE_LABEL}`;
};

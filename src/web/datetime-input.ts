// <input type="datetime-local"> speaks local wall-clock time without a zone; people here mean Jakarta time (WIB).
const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
const JAKARTA_OFFSET_MS = 7 * 60 * 60 * 1000;

/** '2024-02-14T08:00' (WIB) → the UTC instant, or null when it is not a real date and time. */
export function parseJakartaInput(value: string): Date | null {
  const match = LOCAL_INPUT.exec(value.trim());
  if (!match) return null;
  const [, year, month, day, hour, minute] = match.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  // Date.UTC reads years 0–99 as 1900–1999, and no pact is signed outside this century.
  if (year < 2000 || year > 2099) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute) - JAKARTA_OFFSET_MS;
  const check = new Date(utc + JAKARTA_OFFSET_MS);
  // Date.UTC rolls 31 February over into March: refuse instead.
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59)
    return null;
  return new Date(utc);
}

/** A stored UTC instant as the value of a datetime-local input in WIB. */
export function toJakartaInput(iso: string): string {
  return new Date(new Date(iso).getTime() + JAKARTA_OFFSET_MS).toISOString().slice(0, 16);
}

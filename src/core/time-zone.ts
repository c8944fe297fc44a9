// The instance's time zone (TIME_ZONE): the one place that knows how a stored UTC instant reads on the clocks of the
// province running Ikrar, and which instant a date and time typed there denote. Pure: built from a zone name,
// passed from the composition root to whatever needs it, never a global (one process may serve WIB and WITA apps).
// Offsets come from Intl (the ICU time zone data Node ships), not from a table kept here.

export const DEFAULT_TIME_ZONE = 'Asia/Jakarta';

/** The names people in Indonesia give their zones (ICU's 'id-ID' short names agree; we do not depend on them). */
const INDONESIAN_LABELS: Readonly<Record<string, string>> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Pontianak': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Jayapura': 'WIT',
};

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** A reading of the clocks in a zone: calendar date and time of day (month 1–12). */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export interface TimeZone {
  /** The zone's canonical IANA name, e.g. 'Asia/Makassar' ('Asia/Ujung_Pandang' is read as that). */
  readonly id: string;
  /**
   * The zone's name where no instant is in view (form labels, column headers): 'WIB', 'WITA' or 'WIT' for the
   * Indonesian zones; elsewhere its offset, 'UTC+8', 'UTC+5.30', 'UTC−3', or its IANA name if that offset changes
   * during the year (daylight saving time).
   */
  readonly label: string;
  /** The zone's name at an instant: `label`, except that a zone with daylight saving time gives that day's offset. */
  labelAt(at: Date | string): string;
  /** Minutes ahead of UTC at an instant (420 in WIB, 480 in WITA, 540 in WIT). */
  offsetMinutes(at: Date | string): number;
  /** What the clocks here read at an instant. */
  wallClock(at: Date | string): WallClock;
  /** The calendar day here of an instant: 'YYYY-MM-DD'. */
  dayOf(at: Date | string): string;
  /** The local date and time of an instant as 'YYYY-MM-DD HH:MM:SS': text that spreadsheets read as a date and time. */
  stamp(at: Date | string): string;
  /**
   * The instant moved by the zone's offset, so that its UTC fields read the local wall clock: for files that hold a
   * date and time without a zone (an Excel cell shows what it stores, wherever it is opened).
   */
  wallClockAsUtc(at: Date | string): Date;
  /**
   * The instant that a local date ('YYYY-MM-DD': its first moment) or date and time ('YYYY-MM-DDTHH:MM',
   * optionally ':SS') denotes here, or null when it is not a real date and time. A time that the clocks skip (the
   * start of daylight saving time) is read with the offset before the change, a time they pass twice as the earlier.
   */
  instantOf(local: string): Date | null;
}

const toDate = (at: Date | string): Date => (typeof at === 'string' ? new Date(at) : at);

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Milliseconds since the epoch of a wall-clock reading taken as UTC (years 0–99 are not moved to the 1900s). */
function utcMillis(clock: WallClock): number {
  const date = new Date(Date.UTC(2000, 0, 1));
  date.setUTCFullYear(clock.year, clock.month - 1, clock.day);
  date.setUTCHours(clock.hour, clock.minute, clock.second, 0);
  return date.getTime();
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM[:SS]' as a wall-clock reading, or null when no calendar has it. */
export function parseWallClock(local: string): WallClock | null {
  const match = LOCAL.exec(local);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const clock = { year, month, day, hour, minute, second };
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  // 31 February rolls over into March: refuse it instead.
  return new Date(utcMillis(clock)).getUTCDate() === day ? clock : null;
}

/** Days since 1970-01-01 of a calendar day 'YYYY-MM-DD' (whole days between two days are a subtraction). */
export function dayNumber(day: string): number {
  const clock = parseWallClock(day);
  if (!clock || day.length !== 10) throw new RangeError(`not a calendar day: ${day}`);
  return Math.round(utcMillis(clock) / DAY_MS);
}

/** The calendar day `days` after (or before) a day: calendar arithmetic, the same in every zone. */
export function addDays(day: string, days: number): string {
  return new Date((dayNumber(day) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** The canonical name of a zone Intl knows ('asia/makassar' → 'Asia/Makassar'), or null for an unknown one. */
export function canonicalTimeZone(name: string): string | null {
  if (name.trim() === '' || name !== name.trim()) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

const shared = new Map<string, TimeZone>();

/**
 * The zone of this name, built once per process and then shared: for zones chosen at run time (a unit's own zone),
 * where building one per request would build its Intl formatter per request. Zones are constant data, so sharing
 * them between apps is safe. A RangeError for a zone Intl does not know, as `timeZone`.
 */
export function sharedTimeZone(name: string): TimeZone {
  let zone = shared.get(name);
  if (zone === undefined) {
    zone = timeZone(name);
    shared.set(name, zone);
  }
  return zone;
}

/** 'UTC+7', 'UTC+5.30', 'UTC−3', 'UTC' (Indonesian writes hours and minutes with a dot). */
function offsetLabel(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const sign = minutes > 0 ? '+' : '−';
  const hours = Math.floor(Math.abs(minutes) / 60);
  const rest = Math.abs(minutes) % 60;
  return `UTC${sign}${hours}${rest === 0 ? '' : `.${pad(rest)}`}`;
}

/**
 * The zone of this name, or a RangeError (in Indonesian, for the start-up message) when Intl does not know it.
 * Build it once (at start) and pass it on: each one holds its own Intl formatter.
 */
export function timeZone(name: string): TimeZone {
  const id = canonicalTimeZone(name);
  if (id === null) {
    throw new RangeError(
      `zona waktu "${name}" tidak dikenal: isi nama zona IANA, mis. Asia/Jakarta (WIB), Asia/Makassar (WITA) ` +
        'atau Asia/Jayapura (WIT)',
    );
  }
  // '1/7/2025, GMT+07:00' ('GMT' at UTC itself): the offset at an instant, about 2 µs a call.
  const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: id, timeZoneName: 'longOffset' });
  const offsetMinutes = (at: Date | string): number => {
    const time = toDate(at).getTime();
    if (Number.isNaN(time)) throw new RangeError('time zone: an invalid date');
    const text = offsetFormat.format(time).replace('\u2212', '-');
    const match = /GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(text);
    if (!match) throw new Error(`time zone ${id}: unexpected offset "${text}"`);
    if (match[1] === undefined) return 0;
    return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
  };
  const wallClockAsUtc = (at: Date | string): Date => {
    const date = toDate(at);
    return new Date(date.getTime() + offsetMinutes(date) * MINUTE_MS);
  };
  const wallClock = (at: Date | string): WallClock => {
    const local = wallClockAsUtc(at);
    return {
      year: local.getUTCFullYear(),
      month: local.getUTCMonth() + 1,
      day: local.getUTCDate(),
      hour: local.getUTCHours(),
      minute: local.getUTCMinutes(),
      second: local.getUTCSeconds(),
    };
  };
  const dayOf = (at: Date | string): string => {
    const c = wallClock(at);
    return `${pad(c.year, 4)}-${pad(c.month)}-${pad(c.day)}`;
  };

  // The offset in January and in July of a recent year: equal unless the zone keeps daylight saving time.
  const january = offsetMinutes(new Date(Date.UTC(2025, 0, 15)));
  const july = offsetMinutes(new Date(Date.UTC(2025, 6, 15)));
  const fixed = january === july;
  const indonesian = INDONESIAN_LABELS[id];
  const label = indonesian ?? (fixed ? offsetLabel(january) : id);

  return {
    id,
    label,
    labelAt: (at) => (indonesian !== undefined || fixed ? label : offsetLabel(offsetMinutes(at))),
    offsetMinutes,
    wallClock,
    dayOf,
    stamp: (at) => {
      const c = wallClock(at);
      return `${dayOf(at)} ${pad(c.hour)}:${pad(c.minute)}:${pad(c.second)}`;
    },
    wallClockAsUtc,
    instantOf(local) {
      const clock = parseWallClock(local);
      if (!clock) return null;
      const wall = utcMillis(clock);
      // The offsets a day either side (no zone changes its offset twice in two days): the instant is the wall
      // clock less one of them, whichever reads back as the same wall clock, the earlier if both do.
      const before = offsetMinutes(new Date(wall - DAY_MS)) * MINUTE_MS;
      const after = offsetMinutes(new Date(wall + DAY_MS)) * MINUTE_MS;
      const fits = [wall - before, wall - after].filter(
        (instant) => instant + offsetMinutes(new Date(instant)) * MINUTE_MS === wall,
      );
      return new Date(fits.length > 0 ? Math.min(...fits) : wall - before);
    },
  };
}

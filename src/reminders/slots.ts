// When reminders are due. Days are calendar days in Asia/Jakarta (WIB, UTC+7 all year: no daylight saving time).
const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const WIB_OFFSET_MS = 7 * HOUR_MS;

/** Reminders go out this many whole days before the deadline's day (and an escalation the day after it). */
export const DAYS_BEFORE = [7, 3, 1] as const;

/** The day number (days since 1970-01-01) of an instant, in Jakarta. */
const wibDayNumber = (at: Date): number => Math.floor((at.getTime() + WIB_OFFSET_MS) / DAY_MS);
const dayLabel = (dayNumber: number): string => new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);

/** The calendar day (YYYY-MM-DD) of an instant in Jakarta. */
export const wibDay = (at: Date): string => dayLabel(wibDayNumber(at));

export interface ReminderSlot {
  /** 'H-7', 'H-3', 'H-1' before the deadline's day; 'H+1' the day after it. */
  slot: string;
  /** The Jakarta day (YYYY-MM-DD) the slot fell due. */
  day: string;
  /** When it fell due. */
  dueAt: Date;
  /** The day after the deadline: signing has ended, so no reminders, only the escalation to unit heads and admins. */
  afterDeadline: boolean;
}

/**
 * The latest slot due at `now` for a pact open for signing, or null. A slot falls due at `sendHour` (Jakarta) on
 * its day; only the latest due slot counts (a process that was down sends one reminder, not a backlog, and
 * catches up at the hour of a later day, never in the night); a slot that fell due before signing began is not
 * sent (people have just been asked). Signing ends at the deadline, so after it there is one slot, the escalation.
 */
export function dueSlot(
  pact: { deadline: string; opensAt: string; openedAt: string | null },
  now: Date,
  sendHour: number,
): ReminderSlot | null {
  // The deadline's day is the last day one may sign: a deadline at 00.00 WIB closes the day before.
  const deadlineDay = wibDayNumber(new Date(Date.parse(pact.deadline) - 1));
  const dueAtOf = (day: number) => new Date(day * DAY_MS - WIB_OFFSET_MS + sendHour * HOUR_MS);
  const today = wibDayNumber(now);
  if (now.getTime() < dueAtOf(today).getTime()) return null;
  const slots = [
    { slot: 'H+1', day: deadlineDay + 1 },
    ...[...DAYS_BEFORE]
      .sort((a, b) => a - b)
      .map((before) => ({ slot: `H-${before}`, day: deadlineDay - before })),
  ];
  const due = slots.find(({ day }) => day <= today);
  const began = Math.max(Date.parse(pact.opensAt), pact.openedAt ? Date.parse(pact.openedAt) : 0);
  if (!due || dueAtOf(due.day).getTime() < began) return null;
  return {
    slot: due.slot,
    day: dayLabel(due.day),
    dueAt: dueAtOf(due.day),
    afterDeadline: due.day > deadlineDay,
  };
}

/** Days from the deadline's day of a scheduled slot ('H-3' → -3, 'H+2' → 2); null for any other (a manual run). */
export function slotOffset(slot: string): number | null {
  const match = /^H([+-])(\d{1,4})$/.exec(slot);
  if (!match) return null;
  return (match[1] === '-' ? -1 : 1) * Number(match[2]);
}

// When reminders are due. Days are calendar days in Asia/Jakarta (WIB, UTC+7 all year: no daylight saving time).
const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const WIB_OFFSET_MS = 7 * HOUR_MS;

/** Reminders go out this many whole days before the deadline's day, then every day after it. */
export const DAYS_BEFORE = [7, 3, 1] as const;

/** The day number (days since 1970-01-01) of an instant, in Jakarta. */
const wibDayNumber = (at: Date): number => Math.floor((at.getTime() + WIB_OFFSET_MS) / DAY_MS);
const dayLabel = (dayNumber: number): string => new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);

/** The calendar day (YYYY-MM-DD) of an instant in Jakarta. */
export const wibDay = (at: Date): string => dayLabel(wibDayNumber(at));

export interface ReminderSlot {
  /** 'H-7', 'H-3', 'H-1' before the deadline's day; 'H+1', 'H+2', … after it. */
  slot: string;
  /** When it became due. */
  dueAt: Date;
  /** After the deadline: outstanding people are also escalated to their unit head and the admins. */
  afterDeadline: boolean;
}

/**
 * The latest reminder slot due at `now` for a pact open for signing, or null. A slot is due at `sendHour` (Jakarta)
 * on its day; only the latest due slot counts (a process that was down for several sends one reminder, not a
 * backlog), and a slot that fell due before signing began is not sent (people have just been asked).
 */
export function dueSlot(
  pact: { deadline: string; opensAt: string; openedAt: string | null },
  now: Date,
  sendHour: number,
): ReminderSlot | null {
  const deadlineDay = wibDayNumber(new Date(pact.deadline));
  const dueAtOf = (day: number) => new Date(day * DAY_MS - WIB_OFFSET_MS + sendHour * HOUR_MS);
  const today = wibDayNumber(now);
  const candidates: { slot: string; day: number }[] = [];
  // Newest first: today and yesterday after the deadline's day, then the days before it.
  for (const day of [today, today - 1]) {
    if (day > deadlineDay) candidates.push({ slot: `H+${day - deadlineDay}`, day });
  }
  for (const before of [...DAYS_BEFORE].sort((a, b) => a - b)) {
    candidates.push({ slot: `H-${before}`, day: deadlineDay - before });
  }
  const began = Math.max(Date.parse(pact.opensAt), pact.openedAt ? Date.parse(pact.openedAt) : 0);
  const due = candidates.find(({ day }) => dueAtOf(day).getTime() <= now.getTime());
  if (!due || dueAtOf(due.day).getTime() < began) return null;
  return {
    slot: due.slot,
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

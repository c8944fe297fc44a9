// When reminders are due. Days are calendar days in the instance's time zone (TIME_ZONE: WIB, WITA or WIT), and a
// slot's hour is an hour on its clocks, for every recipient, whatever their unit's own zone: one run per pact, slot
// and day decides who is reminded once, and a slot per zone would remind the same pact on three schedules. The mails
// themselves give the deadline and the days left on each recipient's clocks (send-reminders.ts).
import { addDays, dayNumber, type TimeZone } from '../core/time-zone.js';

/** Reminders go out this many whole days before the deadline's day (and an escalation the day after it). */
export const DAYS_BEFORE = [7, 3, 1] as const;

const dayLabel = (day: number): string => addDays('1970-01-01', day);

export interface ReminderSlot {
  /** 'H-7', 'H-3', 'H-1' before the deadline's day; 'H+1' the day after it. */
  slot: string;
  /** The local day (YYYY-MM-DD) the slot fell due. */
  day: string;
  /** When it fell due. */
  dueAt: Date;
  /** The day after the deadline: signing has ended, so no reminders, only the escalation to unit heads and admins. */
  afterDeadline: boolean;
}

/**
 * The latest slot due at `now` for a pact open for signing, or null. A slot falls due at `sendHour` (in `zone`) on
 * its day; only the latest due slot counts (a process that was down sends one reminder, not a backlog, and
 * catches up at the hour of a later day, never in the night); a slot that fell due before signing began is not
 * sent (people have just been asked). Signing ends at the deadline, so after it there is one slot, the escalation.
 */
export function dueSlot(
  pact: { deadline: string; opensAt: string; openedAt: string | null },
  now: Date,
  sendHour: number,
  zone: TimeZone,
): ReminderSlot | null {
  const dayNumberOf = (at: Date) => dayNumber(zone.dayOf(at));
  // The deadline's day is the last day one may sign: a deadline at 00.00 closes the day before.
  const deadlineDay = dayNumberOf(new Date(Date.parse(pact.deadline) - 1));
  const dueAtOf = (day: number) =>
    zone.instantOf(`${dayLabel(day)}T${String(sendHour).padStart(2, '0')}:00`) as Date;
  const today = dayNumberOf(now);
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

/** The slot of a run of notices that a pact's deadline was extended: it names the new deadline. */
export const extensionSlot = (deadline: string): string => `perpanjangan:${deadline}`;
export const isExtensionSlot = (slot: string): boolean => slot.startsWith('perpanjangan:');

/** Days from the deadline's day of a scheduled slot ('H-3' → -3, 'H+2' → 2); null for any other (a manual run). */
export function slotOffset(slot: string): number | null {
  const match = /^H([+-])(\d{1,4})$/.exec(slot);
  if (!match) return null;
  return (match[1] === '-' ? -1 : 1) * Number(match[2]);
}

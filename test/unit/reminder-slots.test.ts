import { describe, expect, it } from 'vitest';
import { timeZone } from '../../src/core/time-zone.js';
import { dueSlot, slotOffset } from '../../src/reminders/slots.js';

const WIB = timeZone('Asia/Jakarta');
const WIT = timeZone('Asia/Jayapura');

// Deadline: Thursday 10 December 2026, 23.59 WIB. Opened on 1 December at 09.00 WIB.
const pact = {
  deadline: '2026-12-10T16:59:00.000Z',
  opensAt: '2026-12-01T02:00:00.000Z',
  openedAt: '2026-12-01T02:00:00.000Z',
};
/** An instant given as a WIB wall-clock time in December 2026. */
const wib = (day: number, hour: number, minute = 0) => new Date(Date.UTC(2026, 11, day, hour - 7, minute));
const slotAt = (at: Date, p = pact) => dueSlot(p, at, 8, WIB)?.slot ?? null;

describe('dueSlot', () => {
  it('has nothing due before 08.00 WIB seven days ahead of the deadline day', () => {
    expect(slotAt(wib(1, 12))).toBeNull();
    expect(slotAt(wib(3, 7, 59))).toBeNull();
  });

  it('gives the latest slot due: H-7, H-3 and H-1 at 08.00 WIB on their days', () => {
    expect(slotAt(wib(3, 8))).toBe('H-7');
    expect(slotAt(wib(6, 23, 59))).toBe('H-7');
    expect(slotAt(wib(7, 8))).toBe('H-3');
    expect(slotAt(wib(9, 8))).toBe('H-1');
    // The deadline's own day has no slot of its own.
    expect(slotAt(wib(10, 20))).toBe('H-1');
  });

  it('sends nothing before the hour of the day, not even a slot of an earlier day', () => {
    // At 07.59 on H-3's day, H-7 is the latest slot due, but a catch-up waits for 08.00 too.
    expect(slotAt(wib(7, 7, 59))).toBeNull();
    expect(slotAt(wib(5, 0, 5))).toBeNull();
    expect(slotAt(wib(5, 8))).toBe('H-7');
  });

  it('after the deadline: the escalation slot H+1, from 08.00 WIB the day after, and nothing new after it', () => {
    expect(slotAt(wib(11, 7, 59))).toBeNull();
    const escalation = dueSlot(pact, wib(11, 8), 8, WIB);
    expect(escalation).toMatchObject({
      slot: 'H+1',
      day: '2026-12-11',
      afterDeadline: true,
      dueAt: wib(11, 8),
    });
    expect(slotAt(wib(12, 9))).toBe('H+1');
    expect(slotAt(wib(31, 9))).toBe('H+1');
    expect(dueSlot(pact, wib(9, 9), 8, WIB)).toMatchObject({ afterDeadline: false, day: '2026-12-09' });
  });

  it('follows days in the zone, not UTC: 00.30 WIB is already the next day', () => {
    // 17.30 UTC on 10 December is 00.30 WIB on 11 December.
    expect(dueSlot(pact, new Date('2026-12-10T17:30:00Z'), 0, WIB)).toMatchObject({
      slot: 'H+1',
      day: '2026-12-11',
    });
  });

  it('takes a deadline at 00.00 WIB as the end of the day before', () => {
    const midnight = { ...pact, deadline: wib(11, 0).toISOString() };
    expect(slotAt(wib(10, 8), midnight)).toBe('H-1');
    expect(slotAt(wib(11, 8), midnight)).toBe('H+1');
  });

  it('sends no slot that fell due before signing began', () => {
    const late = { ...pact, opensAt: wib(8, 10).toISOString(), openedAt: wib(8, 10).toISOString() };
    expect(slotAt(wib(8, 11), late)).toBeNull();
    expect(slotAt(wib(9, 8), late)).toBe('H-1');
    // A period that starts later than the pact was opened counts from its start.
    const future = { ...pact, opensAt: wib(9, 12).toISOString() };
    expect(slotAt(wib(9, 13), future)).toBeNull();
    expect(slotAt(wib(11, 8), future)).toBe('H+1');
  });

  it('uses the configured hour', () => {
    expect(dueSlot(pact, wib(3, 6), 6, WIB)?.slot).toBe('H-7');
    expect(dueSlot(pact, wib(3, 6), 8, WIB)).toBeNull();
  });

  it('in WIT, reads the hour and the days on Jayapura clocks', () => {
    // Deadline 23.59 WIT on 10 December (21.59 WIB): H-7 falls due at 08.00 WIT on 3 December, 06.00 WIB.
    const papua = { ...pact, deadline: '2026-12-10T14:59:00.000Z' };
    const witEight = new Date(Date.UTC(2026, 11, 2, 23, 0));
    expect(dueSlot(papua, witEight, 8, WIT)).toMatchObject({
      slot: 'H-7',
      day: '2026-12-03',
      dueAt: witEight,
    });
    expect(dueSlot(papua, new Date(witEight.getTime() - 60_000), 8, WIT)).toBeNull();
    // The same instant read in WIB is 06.00 on 3 December: not yet the hour.
    expect(dueSlot(papua, witEight, 8, WIB)).toBeNull();
  });

  it('in WIT, a deadline set at 23.59 WIB falls on the next day, and so do its slots', () => {
    // 23.59 WIB on 10 December is 01.59 WIT on 11 December: the last day to sign in Papua is the 11th.
    expect(dueSlot(pact, new Date(Date.UTC(2026, 11, 9, 23, 0)), 8, WIT)).toMatchObject({
      slot: 'H-1',
      day: '2026-12-10',
    });
    expect(dueSlot(pact, new Date(Date.UTC(2026, 11, 11, 23, 0)), 8, WIT)).toMatchObject({
      slot: 'H+1',
      day: '2026-12-12',
      afterDeadline: true,
    });
  });
});

describe('slotOffset', () => {
  it('reads scheduled slots as days from the deadline and anything else as null', () => {
    expect(slotOffset('H-7')).toBe(-7);
    expect(slotOffset('H+12')).toBe(12);
    expect(slotOffset('manual')).toBeNull();
    expect(slotOffset('H-')).toBeNull();
    expect(slotOffset('H+1; DROP')).toBeNull();
  });
});

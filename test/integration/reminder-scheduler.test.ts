import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/record-event.js';
import { openDatabase } from '../../src/db/database.js';
import type { Unit, User } from '../../src/directory/types.js';
import { closePact } from '../../src/pledges/pacts/close-pact.js';
import type { Pact } from '../../src/pledges/types.js';
import { deliverRun, requestReminders, startScheduledRun } from '../../src/reminders/send-reminders.js';
import { dueSlot } from '../../src/reminders/slots.js';
import { createServices } from '../../src/services.js';
import { makePact, signAs } from '../helpers/pacts.js';
import { heldMailer, reminderSenderFor, TEST_BASE_URL } from '../helpers/reminders.js';
import { eventually, type ReceivedMail, startSmtpServer } from '../helpers/smtp.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// The pact's deadline is 10 December 2026 at 23.59 WIB; reminders fall due at 08.00 WIB.
const DEADLINE = new Date('2026-12-10T16:59:00Z');
/** 08.05 WIB on this December day (a tick just after the slot's hour). */
const dec = (day: number, hourWib = 8, minute = 5) => new Date(Date.UTC(2026, 11, day, hourWib - 7, minute));

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the reminder schedule', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let unit: Unit;
  let head: User;
  let staff: User[];
  let pact: Pact;

  beforeEach(async () => {
    t = await createTestApp();
    smtp = await startSmtpServer();
    t.clock.set('2026-12-01T02:00:00Z');
    unit = await t.make.unit({ name: 'Dinas Komunikasi dan Informatika' });
    head = await t.make.user({ unitId: unit.id, fullName: 'Kepala Dinas Uji', email: 'kepala@uji.test' });
    await t.services.units.setHead(unit.id, head.id, t.clock.now());
    staff = [];
    for (const name of ['Ani Lestari', 'Budi Santoso', 'Citra Dewi']) {
      staff.push(
        await t.make.user({
          unitId: unit.id,
          fullName: name,
          email: `${name.split(' ')[0]?.toLowerCase()}@uji.test`,
        }),
      );
    }
    pact = await makePact(t.services, { deadline: DEADLINE });
  });
  afterEach(async () => {
    await smtp.close();
    await t.close();
  });

  const addressesOf = (mails: readonly ReceivedMail[]) => mails.flatMap((m) => m.to).sort();
  /** Gives late mail a moment to arrive, then returns what arrived. */
  const settled = async () => {
    await pause(100);
    return smtp.received;
  };

  it('sends nothing before the first slot, then the H-7 reminder once to each outstanding person', async () => {
    const { scheduler } = reminderSenderFor(t.services, smtp.url);
    await signAs(t.services, pact, staff[0] as User);

    t.clock.set(dec(3, 7, 55));
    await scheduler.tick();
    expect(await settled()).toHaveLength(0);

    t.clock.set(dec(3));
    await scheduler.tick();
    const mails = await smtp.waitFor(3);
    expect(addressesOf(mails)).toEqual(['budi@uji.test', 'citra@uji.test', 'kepala@uji.test']);
    const budi = mails.find((m) => m.to.includes('budi@uji.test')) as ReceivedMail;
    expect(budi.text).toContain('Yth. Budi Santoso');
    expect(budi.text).toContain(pact.title);
    expect(budi.text).toContain(`${TEST_BASE_URL}/pakta/${pact.id}`);
    expect(budi.text).toContain('10 Desember 2026 pukul 23.59 WIB (7 hari lagi)');

    // Later ticks of the same day, and of the days before the next slot, send nothing more.
    await scheduler.tick();
    t.clock.set(dec(5));
    await scheduler.tick();
    expect(await settled()).toHaveLength(3);

    const [run] = await t.services.reminders.recentRuns(pact.id, 10);
    expect(run).toMatchObject({ kind: 'scheduled', slot: 'H-7', recipients: 3, sent: 3, failed: 0 });
    expect(run?.finishedAt).not.toBeNull();
  });

  it('reminds someone who joins after a slot went out on the next day, and moves on to H-3 and H-1', async () => {
    const { scheduler } = reminderSenderFor(t.services, smtp.url);
    t.clock.set(dec(3));
    await scheduler.tick();
    await smtp.waitFor(4);

    const newcomer = await t.make.user({
      unitId: unit.id,
      fullName: 'Dewi Anggraini',
      email: 'dewi@uji.test',
    });
    t.clock.set(dec(4));
    await scheduler.tick();
    expect(addressesOf((await smtp.waitFor(5)).slice(4))).toEqual(['dewi@uji.test']);

    await signAs(t.services, pact, newcomer);
    t.clock.set(dec(7));
    await scheduler.tick();
    expect(addressesOf((await smtp.waitFor(9)).slice(5))).toEqual([
      'ani@uji.test',
      'budi@uji.test',
      'citra@uji.test',
      'kepala@uji.test',
    ]);
    expect(smtp.received[8]?.text).toContain('(3 hari lagi)');

    t.clock.set(dec(9));
    await scheduler.tick();
    await smtp.waitFor(13);
    expect(smtp.received[12]?.text).toContain('(1 hari lagi)');
    expect((await t.services.reminders.recentRuns(pact.id, 10)).map((r) => r.slot)).toEqual([
      'H-1',
      'H-3',
      'H-7',
      'H-7',
    ]);
  });

  it('does not send a slot again after a restart (a new process on the same database file)', async () => {
    const first = reminderSenderFor(t.services, smtp.url);
    t.clock.set(dec(3));
    await first.scheduler.tick();
    await smtp.waitFor(4);
    first.sender.stop();
    await first.scheduler.stop();

    const db = openDatabase(t.config.databasePath);
    try {
      const restarted = reminderSenderFor(createServices(db, t.clock, t.config.timeZone), smtp.url);
      await restarted.scheduler.tick();
      t.clock.advance(60 * 60 * 1000);
      await restarted.scheduler.tick();
      expect(await settled()).toHaveLength(4);
    } finally {
      await db.close();
    }
  });

  it('sends each person one mail when two processes tick at the same moment', async () => {
    // Enough people that the two passes interleave (each claims a unit per transaction and yields between mails).
    const second = await t.make.unit({ name: 'Badan Perencanaan Pembangunan Daerah' });
    for (let i = 0; i < 40; i += 1) {
      await t.make.user({ unitId: i % 2 === 0 ? unit.id : second.id, email: `orang${i}@uji.test` });
    }
    // The second process's services (its own sender, owner name and caches) on the same connection: two
    // connections of one thread cannot both write now that a transaction awaits (the second one's BEGIN IMMEDIATE
    // would hold the thread in SQLite's busy wait while the first cannot commit). The connection runs one
    // transaction at a time, as separate processes take the write lock in turn.
    const a = reminderSenderFor(t.services, smtp.url);
    const b = reminderSenderFor(createServices(t.db, t.clock, t.config.timeZone), smtp.url);
    t.clock.set(dec(3));
    await Promise.all([a.scheduler.tick(), b.scheduler.tick(), a.scheduler.tick(), b.scheduler.tick()]);
    const mails = await smtp.waitFor(44);
    await settled();
    const addresses = addressesOf(mails);
    expect(addresses).toHaveLength(44);
    expect(new Set(addresses).size).toBe(44);
    expect(await t.services.reminders.recentRuns(pact.id, 10)).toHaveLength(1);
  });

  it('the day after the deadline escalates to the unit head and the admins once, and reminds nobody', async () => {
    const admin = await t.make.user({
      role: 'admin',
      email: 'admin@uji.test',
      nip: null,
      fullName: 'Admin BKD',
    });
    await t.make.user({ role: 'admin', email: null, fullName: 'Admin Tanpa Email' });
    await signAs(t.services, pact, staff[0] as User);
    await signAs(t.services, pact, head);
    const { scheduler } = reminderSenderFor(t.services, smtp.url);

    // Nothing in the night: the slot waits for 08.00 WIB.
    t.clock.set(dec(11, 0, 5));
    await scheduler.tick();
    expect(await settled()).toHaveLength(0);

    t.clock.set(dec(11));
    await scheduler.tick();
    const mails = await smtp.waitFor(2);
    await settled();
    // Signing has ended: the staff are not asked to sign; their head and the admins are told who did not.
    expect(addressesOf(mails)).toEqual(['admin@uji.test', 'kepala@uji.test']);
    const toHead = mails.find((m) => m.to.includes('kepala@uji.test')) as ReceivedMail;
    expect(toHead.text).toContain('Yth. Kepala Dinas Uji');
    expect(toHead.text).toContain(
      'Pegawai Dinas Komunikasi dan Informatika berikut tidak menandatangani sampai batas waktu (2 orang)',
    );
    expect(toHead.text).toContain('- Budi Santoso, Analis Kebijakan');
    expect(toHead.text).toContain('- Citra Dewi, Analis Kebijakan');
    expect(toHead.text).not.toContain('Ani Lestari');
    // Names and positions only: no NIP in a mailbox.
    expect(toHead.text).not.toContain('NIP');
    const toAdmin = mails.find((m) => m.to.includes(admin.email as string)) as ReceivedMail;
    expect(toAdmin.text).toContain('- Dinas Komunikasi dan Informatika: 2 dari 4 orang tidak menandatangani');
    expect(toAdmin.text).toContain(`${TEST_BASE_URL}/admin/kepatuhan/${pact.id}`);

    // Later that day and on the following days: nothing more.
    await scheduler.tick();
    t.clock.set(dec(12));
    await scheduler.tick();
    t.clock.set(dec(20));
    await scheduler.tick();
    expect(await settled()).toHaveLength(2);
    const [run] = await t.services.reminders.recentRuns(pact.id, 1);
    expect(run).toMatchObject({ slot: 'H+1', recipients: 0, escalations: 2, sent: 2 });
  });

  it('escalates a heads pact to the admins only: the head is the one who did not sign', async () => {
    await t.make.user({ role: 'admin', email: 'admin@uji.test', nip: null, fullName: 'Admin BKD' });
    await makePact(t.services, { audience: 'heads', deadline: DEADLINE });
    await closePact(t.services, { pactId: pact.id, actor: systemActor });
    const { scheduler } = reminderSenderFor(t.services, smtp.url);

    t.clock.set(dec(9));
    await scheduler.tick();
    expect(addressesOf(await smtp.waitFor(1))).toEqual(['kepala@uji.test']);

    t.clock.set(dec(11));
    await scheduler.tick();
    const mails = await smtp.waitFor(2);
    await settled();
    expect(addressesOf(mails.slice(1))).toEqual(['admin@uji.test']);
    expect(mails[1]?.text).toContain(
      '- Dinas Komunikasi dan Informatika: kepala unit Kepala Dinas Uji tidak menandatangani',
    );
  });

  it('sends nothing for a closed pact, nor for a slot that fell due before signing began', async () => {
    const { scheduler } = reminderSenderFor(t.services, smtp.url);
    await closePact(t.services, { pactId: pact.id, actor: systemActor });
    t.clock.set(dec(11));
    await scheduler.tick();

    // Opened on 5 December: H-7 (3 December) was before it; the next slot is H-3.
    t.clock.set(dec(5, 10));
    const late = await makePact(t.services, { deadline: DEADLINE });
    await scheduler.tick();
    expect(await settled()).toHaveLength(0);
    expect(dueSlot(late, t.clock.now(), 8, t.config.timeZone)).toBeNull();

    t.clock.set(dec(7));
    await scheduler.tick();
    expect(await smtp.waitFor(4)).toHaveLength(4);
    expect((await t.services.reminders.recentRuns(late.id, 5)).map((r) => r.slot)).toEqual(['H-3']);
  });

  it('takes over the mails of a process that stopped after claiming them, once their lease has run out', async () => {
    const crashed = reminderSenderFor(t.services, smtp.url);
    t.clock.set(dec(3));
    const due = dueSlot(pact, t.clock.now(), 8, t.config.timeZone);
    expect(due?.slot).toBe('H-7');
    // Claimed, then the process died before sending anything.
    await startScheduledRun(crashed.sender, pact, due as NonNullable<typeof due>);

    const survivor = reminderSenderFor(t.services, smtp.url);
    t.clock.advance(9 * 60 * 1000);
    await survivor.scheduler.tick();
    expect(await settled()).toHaveLength(0);

    t.clock.advance(2 * 60 * 1000);
    await survivor.scheduler.tick();
    expect(addressesOf(await smtp.waitFor(4))).toHaveLength(4);
    await survivor.scheduler.tick();
    expect(await settled()).toHaveLength(4);
    expect((await t.services.reminders.recentRuns(pact.id, 1))[0]).toMatchObject({ sent: 4 });
  });

  it('never sends a mail twice when its process stops while sending it', async () => {
    for (const name of ['Dodi', 'Eka'])
      await t.make.user({ unitId: unit.id, email: `${name.toLowerCase()}@uji.test` });
    const stuck = heldMailer();
    const dying = reminderSenderFor(t.services, stuck.mailer);
    t.clock.set(dec(3));
    void dying.scheduler.tick();
    // The first batch is being sent when the process dies (its sends never complete).
    await eventually(() => stuck.started.length === 4);
    dying.sender.stop();
    const inFlight = stuck.started.map((m) => m.to);

    const survivor = reminderSenderFor(t.services, smtp.url);
    t.clock.advance(11 * 60 * 1000);
    await survivor.scheduler.tick();
    // Only the mails never attempted go out; the ones in flight are recorded as failed, never re-sent.
    const mails = await smtp.waitFor(2);
    await settled();
    expect(mails).toHaveLength(2);
    for (const address of addressesOf(mails)) expect(inFlight).not.toContain(address);
    expect((await t.services.reminders.recentRuns(pact.id, 1))[0]).toMatchObject({
      recipients: 6,
      sent: 2,
      failed: 4,
    });
    // Nor on the next day, when the slot's run looks again for whoever has not had it.
    t.clock.set(dec(4));
    await survivor.scheduler.tick();
    expect(await settled()).toHaveLength(2);
    stuck.release();
  });

  it('does not take over its own queue: a long delivery and a later tick in one process send each mail once', async () => {
    for (let i = 0; i < 8; i += 1) await t.make.user({ unitId: unit.id, email: `antri${i}@uji.test` });
    const slow = heldMailer();
    const { sender, scheduler } = reminderSenderFor(t.services, slow.mailer);
    // A press of the button (before any slot is due), delivered in the background…
    t.clock.set(dec(2));
    const run = await requestReminders(sender, {
      pact,
      units: (await t.services.complianceCache.forPact(pact)).units,
      unitId: null,
      scopeUnitId: null,
      actor: { userId: head.id, ip: null, userAgent: null },
    });
    const delivery = deliverRun(sender, run.id);
    await eventually(() => slow.started.length === 4);
    // …and long after the lease, the same process's schedule ticks while that delivery is still under way.
    t.clock.advance(11 * 60 * 1000);
    const tick = scheduler.tick();
    slow.release();
    await Promise.all([delivery, tick]);
    await scheduler.tick();
    const addresses = slow.started.map((m) => m.to);
    expect(addresses).toHaveLength(12);
    expect(new Set(addresses).size).toBe(12);
  });

  it('skips someone who signed between the claim and the mail', async () => {
    const { sender } = reminderSenderFor(t.services, smtp.url);
    t.clock.set(dec(3));
    const due = dueSlot(pact, t.clock.now(), 8, t.config.timeZone) as NonNullable<ReturnType<typeof dueSlot>>;
    const runId = (await startScheduledRun(sender, pact, due)) as number;
    await signAs(t.services, pact, staff[2] as User);
    await deliverRun(sender, runId);
    expect(addressesOf(await smtp.waitFor(3))).not.toContain('citra@uji.test');
    expect(await t.services.reminders.findRun(runId)).toMatchObject({ recipients: 4, sent: 3, skipped: 1 });
  });
});

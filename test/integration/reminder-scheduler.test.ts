import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/record-event.js';
import { openDatabase } from '../../src/db/database.js';
import type { Unit, User } from '../../src/directory/types.js';
import { closePact } from '../../src/pledges/close-pact.js';
import type { Pact } from '../../src/pledges/types.js';
import { startScheduledRun } from '../../src/reminders/send-reminders.js';
import { dueSlot } from '../../src/reminders/slots.js';
import { createServices } from '../../src/services.js';
import { makePact, signAs } from '../helpers/pacts.js';
import { reminderSenderFor, TEST_BASE_URL } from '../helpers/reminders.js';
import { type ReceivedMail, startSmtpServer } from '../helpers/smtp.js';
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
    t = createTestApp();
    smtp = await startSmtpServer();
    t.clock.set('2026-12-01T02:00:00Z');
    unit = t.make.unit({ name: 'Dinas Komunikasi dan Informatika' });
    head = await t.make.user({ unitId: unit.id, fullName: 'Kepala Dinas Uji', email: 'kepala@uji.test' });
    t.services.units.setHead(unit.id, head.id, t.clock.now());
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
    pact = makePact(t.services, { deadline: DEADLINE });
  });
  afterEach(async () => {
    await smtp.close();
    t.close();
  });

  const addressesOf = (mails: readonly ReceivedMail[]) => mails.flatMap((m) => m.to).sort();
  /** Gives late mail a moment to arrive, then returns what arrived. */
  const settled = async () => {
    await pause(100);
    return smtp.received;
  };

  it('sends nothing before the first slot, then the H-7 reminder once to each outstanding person', async () => {
    const { scheduler } = reminderSenderFor(t.services, smtp.url);
    signAs(t.services, pact, staff[0] as User);

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

    const [run] = t.services.reminders.recentRuns(pact.id, 10);
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

    signAs(t.services, pact, newcomer);
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
    expect(t.services.reminders.recentRuns(pact.id, 10).map((r) => r.slot)).toEqual([
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
      const restarted = reminderSenderFor(createServices(db, t.clock), smtp.url);
      await restarted.scheduler.tick();
      t.clock.advance(60 * 60 * 1000);
      await restarted.scheduler.tick();
      expect(await settled()).toHaveLength(4);
    } finally {
      db.close();
    }
  });

  it('sends each person one mail when two processes tick at the same moment', async () => {
    // Enough people that the two passes interleave (each claims a unit per transaction and yields between mails).
    const second = t.make.unit({ name: 'Badan Perencanaan Pembangunan Daerah' });
    for (let i = 0; i < 40; i += 1) {
      await t.make.user({ unitId: i % 2 === 0 ? unit.id : second.id, email: `orang${i}@uji.test` });
    }
    const db = openDatabase(t.config.databasePath);
    try {
      const a = reminderSenderFor(t.services, smtp.url);
      const b = reminderSenderFor(createServices(db, t.clock), smtp.url);
      t.clock.set(dec(3));
      await Promise.all([a.scheduler.tick(), b.scheduler.tick(), a.scheduler.tick(), b.scheduler.tick()]);
      const mails = await smtp.waitFor(44);
      await settled();
      const addresses = addressesOf(mails);
      expect(addresses).toHaveLength(44);
      expect(new Set(addresses).size).toBe(44);
      expect(t.services.reminders.recentRuns(pact.id, 10)).toHaveLength(1);
    } finally {
      db.close();
    }
  });

  it('after the deadline reminds daily and escalates to the unit head and the admins, once a day', async () => {
    const admin = await t.make.user({
      role: 'admin',
      email: 'admin@uji.test',
      nip: null,
      fullName: 'Admin BKD',
    });
    await t.make.user({ role: 'admin', email: null, fullName: 'Admin Tanpa Email' });
    signAs(t.services, pact, staff[0] as User);
    signAs(t.services, pact, head);
    const { scheduler } = reminderSenderFor(t.services, smtp.url);

    t.clock.set(dec(11));
    await scheduler.tick();
    const mails = await smtp.waitFor(4);
    await settled();
    expect(addressesOf(mails)).toEqual([
      'admin@uji.test',
      'budi@uji.test',
      'citra@uji.test',
      'kepala@uji.test',
    ]);
    const toHead = mails.find((m) => m.to.includes('kepala@uji.test')) as ReceivedMail;
    expect(toHead.text).toContain('Yth. Kepala Dinas Uji');
    expect(toHead.text).toContain(
      'Pegawai Dinas Komunikasi dan Informatika berikut belum menandatangani (2 orang)',
    );
    expect(toHead.text).toContain('- Budi Santoso (NIP');
    expect(toHead.text).toContain('- Citra Dewi (NIP');
    expect(toHead.text).not.toContain('Ani Lestari');
    const toAdmin = mails.find((m) => m.to.includes(admin.email as string)) as ReceivedMail;
    expect(toAdmin.text).toContain('- Dinas Komunikasi dan Informatika: 2 dari 4 orang belum menandatangani');
    expect(toAdmin.text).toContain(`${TEST_BASE_URL}/admin/kepatuhan/${pact.id}`);
    const toBudi = mails.find((m) => m.to.includes('budi@uji.test')) as ReceivedMail;
    expect(toBudi.text).toContain('(sudah lewat 1 hari)');

    await scheduler.tick();
    expect(await settled()).toHaveLength(4);

    // The next day: again, to whoever is still outstanding (Budi has left the service since).
    t.services.users.setStatus((staff[1] as User).id, 'disabled', t.clock.now());
    t.clock.set(dec(12));
    await scheduler.tick();
    await smtp.waitFor(7);
    expect(addressesOf(smtp.received.slice(4))).toEqual([
      'admin@uji.test',
      'citra@uji.test',
      'kepala@uji.test',
    ]);
    const [run] = t.services.reminders.recentRuns(pact.id, 1);
    expect(run).toMatchObject({ slot: 'H+2', recipients: 1, escalations: 2, sent: 3 });
  });

  it('escalates a heads pact to the admins only: the head is the one being reminded', async () => {
    await t.make.user({ role: 'admin', email: 'admin@uji.test', nip: null, fullName: 'Admin BKD' });
    const heads = makePact(t.services, { audience: 'heads', deadline: DEADLINE });
    closePact(t.services, { pactId: pact.id, actor: systemActor });
    const { scheduler } = reminderSenderFor(t.services, smtp.url);

    t.clock.set(dec(11));
    await scheduler.tick();
    const mails = await smtp.waitFor(2);
    await settled();
    expect(addressesOf(mails)).toEqual(['admin@uji.test', 'kepala@uji.test']);
    expect(mails.find((m) => m.to.includes('kepala@uji.test'))?.text).toContain(
      `${TEST_BASE_URL}/pakta/${heads.id}`,
    );
    expect(mails.find((m) => m.to.includes('admin@uji.test'))?.text).toContain(
      '- Dinas Komunikasi dan Informatika: kepala unit Kepala Dinas Uji belum menandatangani',
    );
  });

  it('sends nothing for a closed pact, nor for a slot that fell due before signing began', async () => {
    const { scheduler } = reminderSenderFor(t.services, smtp.url);
    closePact(t.services, { pactId: pact.id, actor: systemActor });
    t.clock.set(dec(11));
    await scheduler.tick();

    // Opened on 5 December: H-7 (3 December) was before it; the next slot is H-3.
    t.clock.set(dec(5, 10));
    const late = makePact(t.services, { deadline: DEADLINE });
    await scheduler.tick();
    expect(await settled()).toHaveLength(0);
    expect(dueSlot(late, t.clock.now(), 8)).toBeNull();

    t.clock.set(dec(7));
    await scheduler.tick();
    expect(await smtp.waitFor(4)).toHaveLength(4);
    expect(t.services.reminders.recentRuns(late.id, 5).map((r) => r.slot)).toEqual(['H-3']);
  });

  it('takes over the mails of a process that stopped after claiming them, once their lease has run out', async () => {
    const crashed = reminderSenderFor(t.services, smtp.url);
    t.clock.set(dec(3));
    const due = dueSlot(pact, t.clock.now(), 8);
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
    expect(t.services.reminders.recentRuns(pact.id, 1)[0]).toMatchObject({ sent: 4 });
  });

  it('skips someone who signed between the claim and the mail', async () => {
    const { sender } = reminderSenderFor(t.services, smtp.url);
    t.clock.set(dec(3));
    const due = dueSlot(pact, t.clock.now(), 8) as NonNullable<ReturnType<typeof dueSlot>>;
    const runId = (await startScheduledRun(sender, pact, due)) as number;
    signAs(t.services, pact, staff[2] as User);
    const { deliverRun } = await import('../../src/reminders/send-reminders.js');
    await deliverRun(sender, runId);
    expect(addressesOf(await smtp.waitFor(3))).not.toContain('citra@uji.test');
    expect(t.services.reminders.findRun(runId)).toMatchObject({ recipients: 4, sent: 3, skipped: 1 });
  });
});

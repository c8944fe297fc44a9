import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/record-event.js';
import { addDays } from '../../src/core/time-zone.js';
import type { Unit, User } from '../../src/directory/types.js';
import { extendDeadline } from '../../src/pledges/pacts/extend-deadline.js';
import type { Pact } from '../../src/pledges/types.js';
import { dueSlot } from '../../src/reminders/slots.js';
import { toLocalInput } from '../../src/web/datetime-input.js';
import { type Agent, loggedInAdmin, loggedInAs, pageText } from '../helpers/http.js';
import { makePact, postForm, signAs } from '../helpers/pacts.js';
import { reminderSenderFor } from '../helpers/reminders.js';
import { type ReceivedMail, startSmtpServer } from '../helpers/smtp.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const DAY = 24 * 60 * 60 * 1000;

describe('extending an open pact deadline', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let unit: Unit;
  let people: Record<'ani' | 'budi' | 'citra', User>;
  let pact: Pact;

  beforeEach(async () => {
    smtp = await startSmtpServer();
    // Sessions that outlive the clock moving on by days.
    t = await createTestApp({
      SMTP_URL: smtp.url,
      BASE_URL: 'https://ikrar.uji.test',
      SESSION_IDLE_MINUTES: '30000',
    });
    unit = await t.make.unit({ name: 'Dinas Komunikasi dan Informatika' });
    people = {
      ani: await t.make.user({ unitId: unit.id, fullName: 'Ani Lestari', email: 'ani@uji.test' }),
      budi: await t.make.user({ unitId: unit.id, fullName: 'Budi Santoso', email: 'budi@uji.test' }),
      citra: await t.make.user({ unitId: unit.id, fullName: 'Citra Dewi', email: null }),
    };
    pact = await makePact(t.services, { deadline: new Date(t.clock.now().getTime() + 3 * DAY) });
    await signAs(t.services, pact, people.budi);
  });
  afterEach(async () => {
    await smtp.close();
    await t.close();
  });

  const extend = (agent: Agent, fields: Record<string, string>) =>
    postForm(agent, `/admin/pakta/${pact.id}`, `/admin/pakta/${pact.id}/perpanjang`, fields);
  const local = (at: Date) => toLocalInput(at, t.services.timeZone);
  /** A week after the current deadline, to the minute (as the form takes it). */
  const later = () => new Date(Math.floor((Date.parse(pact.deadline) + 7 * DAY) / 60_000) * 60_000);

  it('moves the deadline later with a reason, audits it, shows it, and tells who still must sign', async () => {
    const { admin, agent } = await loggedInAdmin(t, 'Admin BKD');
    const res = await extend(agent, { deadline: local(later()), reason: 'Menunggu pelantikan pejabat baru' });
    expect(res.status).toBe(303);
    const moved = (await t.services.pacts.findById(pact.id)) as Pact;
    expect(moved.deadline).toBe(later().toISOString());
    const event = (await t.services.audit.recent(5)).find((e) => e.action === 'pact.deadline_extended');
    expect(event).toMatchObject({
      actorUserId: admin.id,
      details: { from: pact.deadline, to: later().toISOString(), reason: 'Menunggu pelantikan pejabat baru' },
    });
    const page = pageText((await agent.get(`/admin/pakta/${pact.id}`)).text);
    expect(page).toContain('Batas waktu diperpanjang. 1 orang');
    expect(page).toContain('Menunggu pelantikan pejabat baru');
    expect(page).toContain('oleh Admin BKD');

    // Ani (outstanding, with an email) is told; Budi signed; Citra has no address.
    const [mail] = (await smtp.waitFor(1)) as [ReceivedMail];
    expect(mail.to).toEqual(['ani@uji.test']);
    expect(mail.text).toContain('Batas waktu diperpanjang');
    expect(mail.text).toContain('diperpanjang sampai');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(smtp.received).toHaveLength(1);
    // A reminder asked later that day is not sent to her: she heard about the pact today.
    await postForm(agent, `/admin/kepatuhan/${pact.id}`, `/admin/kepatuhan/${pact.id}/pengingat`, {});
    expect(pageText((await agent.get(`/admin/kepatuhan/${pact.id}`)).text)).toContain(
      'sudah diingatkan hari ini',
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(smtp.received).toHaveLength(1);

    // The unit's operator sees the notices in the report's reminder history, counted for her unit only; the
    // operator of a unit where nobody was told does not.
    const { agent: operator } = await loggedInAs(t, 'operator', { unitId: unit.id });
    const history = pageText((await operator.get(`/admin/kepatuhan/${pact.id}`)).text);
    expect(history).toMatch(/Pemberitahuan perpanjangan batas waktu \(oleh Admin BKD\).*1 pengingat/);
    const elsewhere = await t.make.unit({ name: 'Dinas Kesehatan' });
    const { agent: stranger } = await loggedInAs(t, 'operator', { unitId: elsewhere.id });
    expect(pageText((await stranger.get(`/admin/kepatuhan/${pact.id}`)).text)).not.toContain(
      'Pemberitahuan perpanjangan',
    );
  });

  it('tells people even if they were reminded the same day, once per extension', async () => {
    const { agent } = await loggedInAdmin(t);
    await postForm(agent, `/admin/kepatuhan/${pact.id}`, `/admin/kepatuhan/${pact.id}/pengingat`, {});
    await smtp.waitFor(1);
    expect((await extend(agent, { deadline: local(later()), reason: 'Alasan pertama' })).status).toBe(303);
    await smtp.waitFor(2);
    pact = (await t.services.pacts.findById(pact.id)) as Pact;
    expect((await extend(agent, { deadline: local(later()), reason: 'Alasan kedua' })).status).toBe(303);
    await smtp.waitFor(3);
    expect(smtp.received.map((m) => m.to[0])).toEqual(['ani@uji.test', 'ani@uji.test', 'ani@uji.test']);
  });

  it('refuses an earlier or past deadline and a missing reason beside the field, keeping what was typed', async () => {
    const { agent } = await loggedInAdmin(t);
    const earlier = await extend(agent, {
      deadline: local(new Date(Date.parse(pact.deadline) - DAY)),
      reason: 'Dipercepat',
    });
    expect(earlier.status).toBe(422);
    expect(pageText(earlier.text)).toContain('batas waktu tidak dapat dipersingkat');
    expect(earlier.text).toContain('value="Dipercepat"');
    t.clock.advance(10 * DAY);
    const past = await extend(agent, {
      deadline: local(new Date(Date.parse(pact.deadline) + DAY)),
      reason: 'Lewat',
    });
    expect(past.status).toBe(422);
    expect(pageText(past.text)).toContain('Batas waktu baru sudah lewat');
    const noReason = await extend(agent, { deadline: local(later()), reason: '' });
    expect(noReason.status).toBe(400);
    const garbled = await extend(agent, { deadline: 'besok', reason: 'x' });
    expect(garbled.status).toBe(400);
    expect((await t.services.pacts.findById(pact.id))?.deadline).toBe(pact.deadline);
    expect(smtp.received).toHaveLength(0);
  });

  it('is for admins only, and for open pacts only', async () => {
    const { agent: operator } = await loggedInAs(t, 'operator', { unitId: unit.id });
    expect((await extend(operator, { deadline: local(later()), reason: 'x' })).status).toBe(403);
    const { agent } = await loggedInAdmin(t);
    await postForm(agent, `/admin/pakta/${pact.id}`, `/admin/pakta/${pact.id}/tutup`, {});
    expect((await extend(agent, { deadline: local(later()), reason: 'x' })).status).toBe(409);
    expect((await t.services.pacts.findById(pact.id))?.deadline).toBe(pact.deadline);
  });

  it('is refused by the database too: shortening an open pact, or moving a closed one', async () => {
    const shorten = sql`UPDATE pacts SET deadline = ${new Date(Date.parse(pact.deadline) - DAY).toISOString()}
                        WHERE id = ${pact.id}`;
    await expect(shorten.execute(t.db.q)).rejects.toThrow(/can only be extended/);
    const closed = await makePact(t.services, { status: 'closed' });
    const move = sql`UPDATE pacts SET deadline = ${new Date(Date.parse(closed.deadline) + DAY).toISOString()}
                     WHERE id = ${closed.id}`;
    await expect(move.execute(t.db.q)).rejects.toThrow(/can only be extended/);
  });

  it('sends the schedule again before the new deadline, to people reminded before the old one', async () => {
    const { scheduler } = reminderSenderFor(t.services, smtp.url);
    const zone = t.services.timeZone;
    /** 08.05 on the day before a deadline's day: the H-1 reminder is due. */
    const dayBefore = (deadline: string) =>
      zone.instantOf(`${addDays(zone.dayOf(new Date(Date.parse(deadline) - 1)), -1)}T08:05`) as Date;
    t.clock.set(dayBefore(pact.deadline));
    await scheduler.tick();
    await smtp.waitFor(1);
    const extended = await extendDeadline(t.services, {
      pactId: pact.id,
      deadline: later(),
      reason: 'Diperpanjang seminggu',
      actor: { ...systemActor, userId: (await t.make.user({ role: 'admin', nip: null })).id },
    });
    expect(extended.ok).toBe(true);
    t.clock.set(dayBefore(later().toISOString()));
    await scheduler.tick();
    await smtp.waitFor(2);
    expect(smtp.received.map((mail) => mail.to[0])).toEqual(['ani@uji.test', 'ani@uji.test']);
    const slots = await t.services.reminders.recentRuns(pact.id, 5);
    expect(slots.map((run) => run.slot)).toEqual(['H-1', 'H-1']);
  });

  it('moves the reminder schedule with it: the slots are counted from the new deadline', async () => {
    const { agent } = await loggedInAdmin(t);
    const oneDayBefore = new Date(Date.parse(pact.deadline) - DAY + 60 * 60 * 1000);
    const at = (p: Pact) => dueSlot(p, oneDayBefore, 0, t.services.timeZone)?.slot;
    expect(at(pact)).toBe('H-1');
    await extend(agent, { deadline: local(later()), reason: 'Diperpanjang seminggu' });
    expect(at((await t.services.pacts.findById(pact.id)) as Pact)).toBeUndefined();
  });
});

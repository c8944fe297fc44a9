import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConfiguredDatabase } from '../../src/db/database.js';
import { EPOCHS_MAX_AGE_MS } from '../../src/db/recent-epochs.js';
import type { Unit } from '../../src/directory/types.js';
import { createRepositories } from '../../src/repositories.js';
import { browser, loggedInAdmin, loggedInAs, logIn, pageText } from '../helpers/http.js';
import { binaryParser, makePact, pdfText, signThroughForm } from '../helpers/pacts.js';
import { reminderSenderFor } from '../helpers/reminders.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// An instance in WIB (the default TIME_ZONE) with a province in WIT: deadlines stay instants, and each person reads
// them on the clocks of their unit (its own zone, or the one it inherits), except in the admin area.
describe('a unit in WIT under an instance in WIB', () => {
  let t: TestApp;
  let papua: Unit;
  /** A unit of the Papua province with no zone of its own: it follows its parent. */
  let dinkesPapua: Unit;
  let jateng: Unit;
  beforeEach(async () => {
    t = await createTestApp();
    t.clock.set('2024-01-20T03:00:00Z');
    papua = await t.make.unit({
      code: 'PAPUA',
      name: 'Pemerintah Provinsi Papua',
      timeZone: 'Asia/Jayapura',
    });
    dinkesPapua = await t.make.unit({
      code: 'DINKES-PAPUA',
      name: 'Dinas Kesehatan Papua',
      parentId: papua.id,
    });
    jateng = await t.make.unit({ code: 'DINKES-JATENG', name: 'Dinas Kesehatan Jawa Tengah' });
  });
  afterEach(() => t.close());

  // 02.15 UTC on 29 January: 09.15 in Jakarta, 11.15 in Jayapura.
  const DEADLINE = new Date('2024-01-29T02:15:00Z');

  const pageOf = async (agent: ReturnType<typeof browser>, path: string) => {
    const res = await agent.get(path);
    expect(res.status, path).toBe(200);
    return pageText(res.text);
  };

  it('shows a signer of the WIT unit the deadline two hours later on the clock, named WIT', async () => {
    const pact = await makePact(t.services, { deadline: DEADLINE });
    const { agent } = await loggedInAs(t, 'signer', { unitId: papua.id });
    expect(await pageOf(agent, '/pakta')).toContain('Batas waktu: 29 Januari 2024 pukul 11.15 WIT');
    const signing = await pageOf(agent, `/pakta/${pact.id}`);
    expect(signing).toContain('Batas waktu penandatanganan: 29 Januari 2024 pukul 11.15 WIT.');
    expect(signing).not.toContain('WIB');
  });

  it('shows it to a signer of a sub-unit with no zone of its own in WIT too (inherited from the parent)', async () => {
    const pact = await makePact(t.services, { deadline: DEADLINE });
    const { agent } = await loggedInAs(t, 'signer', { unitId: dinkesPapua.id });
    expect(await pageOf(agent, '/pakta')).toContain('Batas waktu: 29 Januari 2024 pukul 11.15 WIT');
    expect(await pageOf(agent, `/pakta/${pact.id}`)).toContain('29 Januari 2024 pukul 11.15 WIT.');

    // Once the parent follows the instance again, so does the sub-unit.
    await t.services.units.update(papua.id, { ...papua, timeZone: null }, t.clock.now());
    expect(await pageOf(agent, '/pakta')).toContain('Batas waktu: 29 Januari 2024 pukul 09.15 WIB');
  });

  it('follows a change of zone or of parent made by another process, as soon as its reads are due again', async () => {
    await makePact(t.services, { deadline: DEADLINE });
    const { agent } = await loggedInAs(t, 'signer', { unitId: dinkesPapua.id });
    // Read once: each process keeps the zones it has read until the settings epoch moves (migration 018).
    expect(await pageOf(agent, '/pakta')).toContain('pukul 11.15 WIT');

    // Another app process (or node) on the same database: its own connection and repositories.
    const otherDb = await openConfiguredDatabase(t.config);
    try {
      const other = createRepositories(otherDb);
      await other.units.update(papua.id, { ...papua, timeZone: 'Asia/Makassar' }, t.clock.now());
      await delay(EPOCHS_MAX_AGE_MS + 50);
      expect(await pageOf(agent, '/pakta')).toContain('Batas waktu: 29 Januari 2024 pukul 10.15 WITA');

      // Moved out from under Papua: the unit follows the instance again.
      await other.units.setParent(dinkesPapua.id, jateng.id, t.clock.now());
      await delay(EPOCHS_MAX_AGE_MS + 50);
      expect(await pageOf(agent, '/pakta')).toContain('Batas waktu: 29 Januari 2024 pukul 09.15 WIB');
    } finally {
      await otherDb.close();
    }
  });

  it('shows a signer of a WIB unit, and the admin area, the same deadline in WIB', async () => {
    const pact = await makePact(t.services, { deadline: DEADLINE });
    const { agent: jakarta } = await loggedInAs(t, 'signer', { unitId: jateng.id });
    const mine = await pageOf(jakarta, '/pakta');
    expect(mine).toContain('Batas waktu: 29 Januari 2024 pukul 09.15 WIB');
    expect(mine).not.toContain('WIT');

    const { agent: admin } = await loggedInAdmin(t);
    expect(await pageOf(admin, `/admin/pakta/${pact.id}`)).toContain('29 Januari 2024 pukul 09.15 WIB');
    expect(await pageOf(admin, `/admin/pakta/${pact.id}/pratinjau`)).toContain(
      'Batas waktu penandatanganan: 29 Januari 2024 pukul 09.15 WIB.',
    );

    // An operator of the WIT unit reads the admin area in the instance's zone, as its labels and typed times say.
    const { agent: operator } = await loggedInAs(t, 'operator', { unitId: papua.id });
    const report = await pageOf(operator, `/admin/kepatuhan/${pact.id}`);
    expect(report).toContain('29 Januari 2024 pukul 09.15 WIB');
    expect(report).not.toContain('WIT');
    expect(await pageOf(operator, '/pakta')).toContain('29 Januari 2024 pukul 11.15 WIT');
  });

  it('counts the days left on the reader’s own calendar', async () => {
    await makePact(t.services, { deadline: DEADLINE });
    // 16.30 UTC on the 28th: 23.30 on the 28th in Jakarta, already 01.30 on the 29th in Jayapura.
    t.clock.set('2024-01-28T16:30:00Z');
    const { agent: papuan } = await loggedInAs(t, 'signer', { unitId: papua.id });
    const { agent: javanese } = await loggedInAs(t, 'signer', { unitId: jateng.id });
    expect(await pageOf(papuan, '/pakta')).toContain('pukul 11.15 WIT · berakhir hari ini');
    expect(await pageOf(javanese, '/pakta')).toContain('pukul 09.15 WIB · 1 hari lagi');
  });

  it("gives the receipt, page and PDF, the signing time on the signer's clocks, whoever reads it", async () => {
    const pact = await makePact(t.services, { deadline: DEADLINE, place: 'Jayapura' });
    const signer = await t.make.user({
      unitId: dinkesPapua.id,
      email: 'yohana@uji.test',
      fullName: 'Yohana Wenda',
    });
    // 16.30 UTC on the 20th: 23.30 on the 20th in Jakarta, 01.30 on the 21st in Jayapura.
    t.clock.set('2024-01-20T16:30:00Z');
    const agent = browser(t.app);
    await logIn(agent, 'yohana@uji.test');
    const signed = await signThroughForm(agent, pact.id, { consent: '1', full_name: 'Yohana Wenda' });
    expect(signed.status).toBe(303);
    const code = (await t.services.signatures.forUser(signer.id))[0]?.receiptCode as string;

    const page = await pageOf(agent, `/tanda-terima/${code}`);
    expect(page).toContain('Waktu penandatanganan Minggu, 21 Januari 2024, 01.30 WIT');
    expect(page).toContain('Jayapura, 21 Januari 2024');
    expect(page).not.toContain('WIB');

    const pdf = await agent.get(`/tanda-terima/${code}.pdf`).buffer(true).parse(binaryParser);
    expect(pdf.status).toBe(200);
    const text = pdfText(pdf.body as Buffer);
    expect(text).toContain('21 Januari 2024 pukul 01.30 WIT');
    expect(text).toContain('Jayapura, 21 Januari 2024');
    expect(text).not.toContain('WIB');

    // The admin (instance in WIB) reads the signer's receipt as the signer does.
    const { agent: admin } = await loggedInAdmin(t);
    expect(await pageOf(admin, `/tanda-terima/${code}`)).toContain('Minggu, 21 Januari 2024, 01.30 WIT');
  });

  it("mails each person the deadline and the days left on their own clocks, at the instance's hour", async () => {
    // 16.30 UTC on 29 January: 23.30 on the 29th in Jakarta (the deadline's day, so H-7 is the 22nd), 01.30 on the
    // 30th in Jayapura.
    const pact = await makePact(t.services, { deadline: new Date('2024-01-29T16:30:00Z') });
    const yohana = await t.make.user({
      unitId: dinkesPapua.id,
      fullName: 'Yohana Wenda',
      email: 'yohana@uji.test',
    });
    const sari = await t.make.user({ unitId: jateng.id, fullName: 'Sari Wulandari', email: 'sari@uji.test' });
    const { sender, scheduler } = reminderSenderFor(t.services, undefined, t.config.reminderHour);

    // 08.05 in Jayapura on the 22nd is 06.05 in Jakarta: not yet the hour, which is the instance's.
    t.clock.set('2024-01-21T23:05:00Z');
    await scheduler.tick();
    expect(await t.services.reminders.recentRuns(pact.id, 10)).toEqual([]);

    // 08.05 in Jakarta on the 22nd: the H-7 slot, one run for everyone, filed under the instance's day.
    t.clock.set('2024-01-22T01:05:00Z');
    await scheduler.tick();
    expect(await t.services.reminders.recentRuns(pact.id, 10)).toEqual([
      expect.objectContaining({ kind: 'scheduled', slot: 'H-7', day: '2024-01-22', recipients: 2 }),
    ]);
    await sender.idle();
    const mails = await t.services.outbox.page(10, 0);
    const to = (person: { email: string | null }) => mails.find((mail) => mail.to === person.email)?.body;
    expect(to(yohana)).toContain(
      'Batas waktu penandatanganan: 30 Januari 2024 pukul 01.30 WIT (8 hari lagi).',
    );
    expect(to(yohana)).not.toContain('WIB');
    expect(to(sari)).toContain('Batas waktu penandatanganan: 29 Januari 2024 pukul 23.30 WIB (7 hari lagi).');
  });
});

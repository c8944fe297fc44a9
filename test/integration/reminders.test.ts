import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Unit, User } from '../../src/directory/types.js';
import type { Pact } from '../../src/pledges/types.js';
import { createFormatter } from '../../src/web/format.js';
import { fetchCsrfToken, loggedInAdmin, loggedInAs, pageText as text } from '../helpers/http.js';
import { makePact, postForm, signAs } from '../helpers/pacts.js';
import { reminderSenderFor } from '../helpers/reminders.js';
import { type ReceivedMail, startSmtpServer } from '../helpers/smtp.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const DAY = 24 * 60 * 60 * 1000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('reminders from the compliance report', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let unit: Unit;
  let other: Unit;
  let people: Record<'ani' | 'budi' | 'citra' | 'dodi' | 'eka', User>;
  let pact: Pact;

  beforeEach(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp({ SMTP_URL: smtp.url, BASE_URL: 'https://ikrar.uji.test' });
    unit = await t.make.unit({ name: 'Dinas Komunikasi dan Informatika' });
    other = await t.make.unit({ name: 'Badan Kepegawaian Daerah' });
    people = {
      ani: await t.make.user({ unitId: unit.id, fullName: 'Ani Lestari', email: 'ani@uji.test' }),
      budi: await t.make.user({ unitId: unit.id, fullName: 'Budi Santoso', email: 'budi@uji.test' }),
      citra: await t.make.user({ unitId: unit.id, fullName: 'Citra Dewi', email: null }),
      dodi: await t.make.user({ unitId: unit.id, fullName: 'Dodi Pratama', email: 'dodi@uji.test' }),
      eka: await t.make.user({ unitId: other.id, fullName: 'Eka Putri', email: 'eka@uji.test' }),
    };
    pact = await makePact(t.services, { deadline: new Date(t.clock.now().getTime() + 7 * DAY) });
    await signAs(t.services, pact, people.dodi);
  });
  afterEach(async () => {
    await smtp.close();
    await t.close();
  });

  const unitPage = (p: Pact, u: Unit) => `/admin/kepatuhan/${p.id}/unit/${u.id}`;
  const remind = (agent: Parameters<typeof postForm>[0], fields: Record<string, string> = {}, p = pact) =>
    postForm(agent, `/admin/kepatuhan/${p.id}`, `/admin/kepatuhan/${p.id}/pengingat`, fields);
  /** Lets mail sent after the answer arrive, then returns everything received. */
  const settled = async () => {
    await pause(150);
    return smtp.received;
  };
  const addresses = (mails: readonly ReceivedMail[]) => mails.flatMap((m) => m.to).sort();

  it('mails the outstanding people of a unit who have an email, and says who was left out', async () => {
    const { agent } = await loggedInAdmin(t, 'Admin BKD');
    const res = await remind(agent, { unit: String(unit.id) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${unitPage(pact, unit)}#pengingat`);

    const mails = await smtp.waitFor(2);
    expect(addresses(await settled())).toEqual(['ani@uji.test', 'budi@uji.test']);
    const toAni = mails.find((m) => m.to.includes('ani@uji.test')) as ReceivedMail;
    expect(toAni.text).toContain('Yth. Ani Lestari');
    expect(toAni.text).toContain(`https://ikrar.uji.test/pakta/${pact.id}`);
    expect(toAni.raw).toMatch(/^Subject: .*Pengingat/m);

    const page = text((await agent.get(unitPage(pact, unit))).text);
    expect(page).toContain('Pengingat sedang dikirim ke 2 orang.');
    expect(page).toContain(
      '1 orang yang belum menandatangani tidak punya alamat email; hubungi mereka langsung.',
    );
    // Each outstanding person shows when they were last reminded.
    expect(page).toContain(`Ani Lestari`);
    expect(page).toMatch(
      new RegExp(
        `Ani Lestari [^]*${createFormatter(t.config.timeZone).formatDateTime(t.clock.now()).replace('.', '\\.')}`,
      ),
    );
    expect(page).toMatch(/Citra Dewi .* Belum pernah/);

    const report = text((await agent.get(`/admin/kepatuhan/${pact.id}`)).text);
    expect(report).toContain('Riwayat pengingat');
    expect(report).toContain(
      'Manual oleh Admin BKD Dinas Komunikasi dan Informatika 2 pengingat 1 tanpa email',
    );
    expect(report).toContain('2 terkirim · 0 di kotak keluar · 0 gagal · 0 dilewati');
    expect((await t.services.audit.recent(5)).map((e) => e.action)).toContain('reminder.requested');
  });

  it('does not mail anyone twice on the same day, says so, and reminds again the next day', async () => {
    // Start "yesterday", so that moving to today keeps the session (its cookie expires by the real clock).
    t.clock.advance(-DAY);
    const yesterdays = await makePact(t.services);
    const { agent } = await loggedInAdmin(t);
    await remind(agent, { unit: String(unit.id) }, yesterdays);
    await smtp.waitFor(3);

    const again = await remind(agent, { unit: String(unit.id) }, yesterdays);
    expect(again.status).toBe(303);
    const page = text((await agent.get(unitPage(yesterdays, unit))).text);
    expect(page).toContain(
      'Tidak ada email yang dikirim: 3 orang yang belum menandatangani sudah diingatkan hari ini. Pengingat berikutnya dapat dikirim besok.',
    );
    // "All units" the same day: only Eka, of the other unit, is new.
    await remind(agent, {}, yesterdays);
    await smtp.waitFor(4);
    expect(addresses(await settled())).toEqual([
      'ani@uji.test',
      'budi@uji.test',
      'dodi@uji.test',
      'eka@uji.test',
    ]);
    expect(text((await agent.get(`/admin/kepatuhan/${yesterdays.id}`)).text)).toContain(
      'Pengingat sedang dikirim ke 1 orang. Kemajuannya tampak di Riwayat pengingat. 3 orang sudah diingatkan hari ini dan tidak dikirimi lagi.',
    );

    t.clock.advance(DAY);
    await remind(agent, { unit: String(unit.id) }, yesterdays);
    await smtp.waitFor(7);
    expect(addresses((await settled()).slice(4))).toEqual(['ani@uji.test', 'budi@uji.test', 'dodi@uji.test']);
  });

  it('says there is nobody to remind when the unit is complete', async () => {
    const { agent } = await loggedInAdmin(t);
    const done = await t.make.unit({ name: 'Inspektorat' });
    const ita = await t.make.user({ unitId: done.id, fullName: 'Ita Purnama', email: 'ita@uji.test' });
    await signAs(t.services, pact, ita);
    expect((await remind(agent, { unit: String(done.id) })).status).toBe(303);
    expect(text((await agent.get(`/admin/kepatuhan/${pact.id}`)).text)).toContain(
      'Semua yang wajib sudah menandatangani; tidak ada pengingat yang dikirim.',
    );
    expect(await settled()).toHaveLength(0);
  });

  it('lets an operator remind only their own subtree', async () => {
    const child = await t.make.unit({ name: 'UPT Layanan Digital', parentId: unit.id });
    await t.make.user({ unitId: child.id, fullName: 'Fajar Nugroho', email: 'fajar@uji.test' });
    const { agent, user: operator } = await loggedInAs(t, 'operator', { unitId: unit.id });

    // "All units" for an operator is their unit and the units under it (the operator has not signed either).
    expect((await remind(agent)).status).toBe(303);
    await smtp.waitFor(4);
    expect(addresses(await settled())).toEqual(
      ['ani@uji.test', 'budi@uji.test', 'fajar@uji.test', operator.email as string].sort(),
    );

    // Another unit through a crafted form: as if it did not exist, and nothing is sent.
    const crafted = await remind(agent, { unit: String(other.id) });
    expect(crafted.status).toBe(404);
    expect(await settled()).toHaveLength(4);
    // The history shows the operator's runs, not the other unit's.
    const page = text((await agent.get(`/admin/kepatuhan/${pact.id}`)).text);
    expect(page).toContain('Riwayat pengingat');
    expect(page).not.toContain('Badan Kepegawaian Daerah');
  });

  it('refuses a closed pact, bad units, signers and forms without a CSRF token, sending nothing', async () => {
    const { agent } = await loggedInAdmin(t);
    const closed = await makePact(t.services, { status: 'closed' });
    const refused = await remind(agent, {}, closed);
    expect(refused.status).toBe(409);
    expect(text(refused.text)).toContain(
      'Pengingat hanya dapat dikirim selama masa penandatanganan berlangsung: pakta sudah dibuka dan batas waktunya belum lewat.',
    );
    expect(text((await agent.get(`/admin/kepatuhan/${closed.id}`)).text)).not.toContain(
      'Kirim pengingat ke semua',
    );

    for (const unitId of ['abc', '0', '-1', '99999', '1e3', `${unit.id} OR 1=1`]) {
      expect((await remind(agent, { unit: unitId })).status, unitId).toBe(404);
    }
    const draft = await makePact(t.services, { status: 'draft' });
    expect((await remind(agent, {}, draft)).status).toBe(404);
    expect((await postForm(agent, '/admin', '/admin/kepatuhan/999999/pengingat')).status).toBe(404);

    const token = await fetchCsrfToken(agent, `/admin/kepatuhan/${pact.id}`);
    expect(token).not.toBe('');
    const noToken = await agent.post(`/admin/kepatuhan/${pact.id}/pengingat`).type('form').send({});
    expect(noToken.status).toBe(403);

    const { agent: signer } = await loggedInAs(t, 'signer', { unitId: unit.id });
    expect((await postForm(signer, '/akun', `/admin/kepatuhan/${pact.id}/pengingat`)).status).toBe(403);

    expect(await settled()).toHaveLength(0);
    expect(await t.services.reminders.recentRuns(pact.id, 10)).toHaveLength(0);
  });

  it('refuses once the deadline has passed: nobody can sign any more', async () => {
    // Log in "a week ago", when the pact was still open for signing.
    t.clock.advance(-8 * DAY);
    const due = await makePact(t.services, { deadline: new Date(t.clock.now().getTime() + DAY) });
    const { agent } = await loggedInAdmin(t);
    t.clock.advance(8 * DAY);
    const refused = await remind(agent, {}, due);
    expect(refused.status).toBe(409);
    expect(text((await agent.get(`/admin/kepatuhan/${due.id}`)).text)).not.toContain(
      'Kirim pengingat ke semua',
    );
    expect(await settled()).toHaveLength(0);
  });

  it('shows an operator only the runs of their own subtree, however many others there are', async () => {
    const { agent: admin } = await loggedInAdmin(t, 'Admin Rahasia');
    const { agent: mine } = await loggedInAs(t, 'operator', {
      unitId: unit.id,
      fullName: 'Operator Kominfo',
    });
    const { agent: theirs } = await loggedInAs(t, 'operator', { unitId: other.id, fullName: 'Operator BKD' });
    await remind(mine);
    for (let i = 0; i < 21; i += 1) await remind(theirs, { unit: String(other.id) });
    await remind(theirs);
    await remind(admin);

    const page = text((await mine.get(`/admin/kepatuhan/${pact.id}`)).text);
    const history = page.slice(page.indexOf('Riwayat pengingat'));
    expect(history).toContain('Manual oleh Operator Kominfo');
    expect(history).not.toContain('Operator BKD');
    expect(history).not.toContain('Admin Rahasia');
    // The admin sees everyone's (the latest 20).
    const all = text((await admin.get(`/admin/kepatuhan/${pact.id}`)).text);
    expect(all).toContain('Manual oleh Admin Rahasia');
    expect(all).toContain('Manual oleh Operator BKD');
  });

  it("shows an operator the schedule's runs counted for their own units only", async () => {
    // A pact opened yesterday whose H-7 falls today; the schedule sends from 00.00 WIB here.
    t.clock.advance(-DAY);
    const weekAhead = await makePact(t.services, { deadline: new Date(t.clock.now().getTime() + 8 * DAY) });
    t.clock.advance(DAY);
    const { agent } = await loggedInAs(t, 'operator', { unitId: other.id, fullName: 'Operator BKD' });
    const { agent: admin } = await loggedInAdmin(t);
    const { scheduler } = reminderSenderFor(t.services, smtp.url, 0);
    await scheduler.tick();
    // Ani, Budi, Dodi (Citra has no email), Eka and the operator.
    await smtp.waitFor(5);

    const history = (agent: Parameters<typeof postForm>[0]) =>
      agent
        .get(`/admin/kepatuhan/${weekAhead.id}`)
        .then((res) => text(res.text).slice(text(res.text).indexOf('Riwayat pengingat')));
    expect(await history(agent)).toContain('Terjadwal: 7 hari sebelum batas waktu Semua unit 2 pengingat');
    expect(await history(admin)).toContain(
      'Terjadwal: 7 hari sebelum batas waktu Semua unit 5 pengingat 1 tanpa email',
    );
  });

  it('tries a failed mail again at the next press the same day', async () => {
    const { agent } = await loggedInAdmin(t);
    const { port } = smtp;
    await smtp.close();
    await remind(agent, { unit: String(unit.id) });
    await pause(300);
    // Sending is after the answer: the history shows the failures.
    const failed = text((await agent.get(`/admin/kepatuhan/${pact.id}`)).text);
    expect(failed).toContain('0 terkirim · 0 di kotak keluar · 2 gagal · 0 dilewati');

    smtp = await startSmtpServer(port);
    await remind(agent, { unit: String(unit.id) });
    expect(addresses(await smtp.waitFor(2))).toEqual(['ani@uji.test', 'budi@uji.test']);
  });

  it('keeps the mail in the outbox when no SMTP server is configured', async () => {
    const offline = await createTestApp();
    try {
      const u = await offline.make.unit();
      await offline.make.user({ unitId: u.id, fullName: 'Gita Rahma', email: 'gita@uji.test' });
      const p = await makePact(offline.services);
      const { agent } = await loggedInAdmin(offline);
      expect((await remind(agent, {}, p)).status).toBe(303);
      await pause(150);
      const [kept] = await offline.services.outbox.page(10, 0);
      expect(kept).toMatchObject({ kind: 'reminder', to: 'gita@uji.test', status: 'kept' });
      expect(kept?.body).toContain('Yth. Gita Rahma');
      expect((await offline.services.reminders.recentRuns(p.id, 1))[0]).toMatchObject({ kept: 1, sent: 0 });
    } finally {
      await offline.close();
    }
  });
});

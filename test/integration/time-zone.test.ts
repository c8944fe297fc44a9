import { afterEach, describe, expect, it } from 'vitest';
import { recordEvent } from '../../src/audit/record-event.js';
import { loggedInAdmin, loggedInAs, pageText } from '../helpers/http.js';
import { binaryParser, makePact, postForm, signAs } from '../helpers/pacts.js';
import { reminderSenderFor } from '../helpers/reminders.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// Apps of different provinces in one process: the zone is each app's own (TIME_ZONE), never a global.
const apps: TestApp[] = [];
const instanceIn = async (zone?: string): Promise<TestApp> => {
  const t = await createTestApp(zone ? { TIME_ZONE: zone } : {});
  apps.push(t);
  return t;
};
afterEach(async () => {
  for (const t of apps.splice(0)) await t.close();
});

/** The outstanding pacts page of a new signer in a new unit of this instance. */
async function myPactsPage(t: TestApp): Promise<string> {
  const { agent } = await loggedInAs(t, 'signer', { unitId: (await t.make.unit()).id });
  const res = await agent.get('/pakta');
  expect(res.status).toBe(200);
  return pageText(res.text);
}

describe('an instance in WITA (TIME_ZONE=Asia/Makassar), beside one in WIB', () => {
  it('shows a time on a page on Makassar clocks, named WITA', async () => {
    const wita = await instanceIn('Asia/Makassar');
    const wib = await instanceIn();
    // 02.15 UTC: 10.15 in Makassar, 09.15 in Jakarta.
    for (const t of [wita, wib]) await makePact(t.services, { deadline: new Date('2030-01-29T02:15:00Z') });

    expect(await myPactsPage(wita)).toContain('Batas waktu: 29 Januari 2030 pukul 10.15 WITA');
    const jakarta = await myPactsPage(wib);
    expect(jakarta).toContain('Batas waktu: 29 Januari 2030 pukul 09.15 WIB');
    expect(jakarta).not.toContain('WITA');
  });

  it('reads a pact deadline typed in the form as WITA, and shows it back as typed', async () => {
    const t = await instanceIn('Asia/Makassar');
    const { agent } = await loggedInAdmin(t);
    const form = await agent.get('/admin/pakta/baru');
    expect(pageText(form.text)).toContain('Batas waktu (WITA)');
    expect(pageText(form.text)).toContain('Dibuka mulai (WITA)');

    const res = await postForm(agent, '/admin/pakta/baru', '/admin/pakta', {
      title: 'Pakta Integritas Netralitas ASN Bali 2030',
      body: 'Saya menjaga netralitas ASN.',
      place: 'Denpasar',
      audience: 'all',
      opens_at: '2030-01-15T08:00',
      deadline: '2030-01-29T16:30',
    });
    expect(res.status).toBe(303);
    const id = Number(/\/admin\/pakta\/(\d+)$/.exec(res.headers.location ?? '')?.[1]);
    // 16.30 in Makassar is 08.30 UTC (not 09.30, as it would be in Jakarta).
    expect(await t.services.pacts.findById(id)).toMatchObject({
      opensAt: '2030-01-15T00:00:00.000Z',
      deadline: '2030-01-29T08:30:00.000Z',
    });
    expect(pageText((await agent.get(`/admin/pakta/${id}`)).text)).toContain(
      '29 Januari 2030 pukul 16.30 WITA',
    );
    const edit = await agent.get(`/admin/pakta/${id}/ubah`);
    expect(edit.text).toContain('value="2030-01-29T16:30"');
    expect(edit.text).toContain('value="2030-01-15T08:00"');
  });

  it("names export files by Makassar's date: at 04.39 WITA on 7 December, not the UTC 6th", async () => {
    const t = await instanceIn('Asia/Makassar');
    t.clock.set('2024-12-01T00:00:00Z');
    const pact = await makePact(t.services, { deadline: new Date('2024-12-20T15:59:00Z') });
    const unit = await t.make.unit({ code: 'DISKOMINFO' });
    await signAs(t.services, pact, await t.make.user({ unitId: unit.id }));
    const { agent } = await loggedInAdmin(t);
    t.clock.set('2024-12-06T20:39:00Z');

    const download = (url: string) => agent.get(url).buffer(true).parse(binaryParser);
    const report = await download(`/admin/kepatuhan/${pact.id}?format=csv`);
    expect(report.status).toBe(200);
    expect(report.headers['content-disposition']).toBe(
      `attachment; filename=kepatuhan-${pact.id}-v1-2024-12-07.csv`,
    );
    const people = await download(`/admin/kepatuhan/${pact.id}/unit/${unit.id}?format=xlsx`);
    expect(people.headers['content-disposition']).toBe(
      `attachment; filename=kepatuhan-${pact.id}-DISKOMINFO-2024-12-07.xlsx`,
    );
    const audit = await download('/admin/audit?format=csv');
    expect(audit.headers['content-disposition']).toBe('attachment; filename="log-audit-20241207-0439.csv"');
    expect((audit.body as Buffer).toString('utf8')).toContain('Waktu (WITA);Waktu (UTC)');
  });
});

describe('an instance in WIT (TIME_ZONE=Asia/Jayapura)', () => {
  it("sends the day's reminders at 08.00 WIT and files them under the WIT day", async () => {
    const t = await instanceIn('Asia/Jayapura');
    t.clock.set('2026-12-01T00:00:00Z');
    const unit = await t.make.unit();
    const person = await t.make.user({ unitId: unit.id, fullName: 'Yohana Wenda', email: 'yohana@uji.test' });
    // 23.59 WIT on 10 December: H-7 is 3 December.
    const pact = await makePact(t.services, { deadline: new Date('2026-12-10T14:59:00Z') });
    const { scheduler } = reminderSenderFor(t.services, undefined, t.config.reminderHour);

    // 07.55 WIT on 3 December (22.55 UTC on the 2nd): not yet the hour.
    t.clock.set('2026-12-02T22:55:00Z');
    await scheduler.tick();
    expect(await t.services.reminders.recentRuns(pact.id, 10)).toEqual([]);

    // 08.05 WIT on 3 December, while the UTC date is still the 2nd.
    t.clock.set('2026-12-02T23:05:00Z');
    await scheduler.tick();
    expect(await t.services.reminders.recentRuns(pact.id, 10)).toEqual([
      expect.objectContaining({ kind: 'scheduled', slot: 'H-7', day: '2026-12-03', recipients: 1 }),
    ]);
    const [mail] = await t.services.outbox.page(10, 0);
    expect(mail).toMatchObject({ kind: 'reminder', to: person.email });
    expect(mail?.body).toContain('10 Desember 2026 pukul 23.59 WIT (7 hari lagi)');
  });

  it("reads the audit filter's days as WIT days", async () => {
    const t = await instanceIn('Asia/Jayapura');
    const { agent } = await loggedInAdmin(t);
    // Midnight of 16 January in Jayapura is 15.00 UTC on the 15th.
    const events = {
      'wit-15-akhir': '2024-01-15T14:59:59.999Z',
      'wit-16-awal': '2024-01-15T15:00:00.000Z',
      'wit-16-akhir': '2024-01-16T14:59:59.999Z',
      'wit-17-awal': '2024-01-16T15:00:00.000Z',
    };
    for (const [note, at] of Object.entries(events)) {
      await recordEvent(t.services.audit, {
        actor: { userId: null, ip: null, userAgent: null },
        action: 'login.failed',
        details: { note },
        at: new Date(at),
      });
    }
    const res = await agent.get('/admin/audit?dari=2024-01-16&sampai=2024-01-16');
    expect(res.status).toBe(200);
    const notes = [...res.text.matchAll(/<li>Catatan: ([\w-]+)<\/li>/g)].map((m) => m[1]);
    expect(notes).toEqual(['wit-16-akhir', 'wit-16-awal']);
    expect(pageText(res.text)).toContain('Dari tanggal (WIT)');
    expect(pageText(res.text)).toContain('16 Januari 2024 pukul 00.00 WIT');
  });

  it('counts a signing at 00.30 WIT on the WIT day in the dashboard chart', async () => {
    const wit = await instanceIn('Asia/Jayapura');
    const wib = await instanceIn();
    const rowsOf = async (t: TestApp) => {
      t.clock.set('2024-01-14T00:00:00Z');
      const pact = await makePact(t.services, { deadline: new Date('2024-01-31T00:00:00Z') });
      // 15.30 UTC on 15 January: 00.30 on the 16th in Jayapura, 22.30 on the 15th in Jakarta.
      t.clock.set('2024-01-15T15:30:00Z');
      await signAs(t.services, pact, await t.make.user({ unitId: (await t.make.unit()).id }));
      t.clock.set('2024-01-16T05:00:00Z');
      const { agent } = await loggedInAdmin(t);
      const page = pageText((await agent.get('/admin')).text);
      const table = page.indexOf('Tanggal Penandatanganan');
      return { caption: page.slice(0, table), rows: page.slice(table, page.indexOf('Aktivitas terbaru')) };
    };
    const papua = await rowsOf(wit);
    expect(papua.caption).toContain('Penandatanganan per hari (WIT): 1 dalam periode ini');
    expect(papua.rows).toContain('14 Januari 2024 0 15 Januari 2024 0 16 Januari 2024 1');
    const jakarta = await rowsOf(wib);
    expect(jakarta.caption).toContain('Penandatanganan per hari (WIB): 1 dalam periode ini');
    expect(jakarta.rows).toContain('14 Januari 2024 0 15 Januari 2024 1 16 Januari 2024 0');
  });
});

import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Unit, User } from '../../src/directory/types.js';
import type { Pact } from '../../src/pledges/types.js';
import { checkRecords } from '../../src/pledges/verification/check-records.js';
import { type Agent, browser, loggedInAdmin, loggedInAs, logIn, pageText } from '../helpers/http.js';
import { makePact, PACT_BODY, postForm, signThroughForm } from '../helpers/pacts.js';
import { SCANNED_PDF } from '../helpers/paper.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

describe('archived pacts and ceremonies', () => {
  let t: TestApp;
  let unit: Unit;
  let head: User;

  beforeEach(async () => {
    t = await createTestApp();
    unit = await t.make.unit({ name: 'Badan Kepegawaian Daerah' });
    head = await t.make.user({ unitId: unit.id, fullName: 'Sri Wahyuningsih' });
    await t.services.units.setHead(unit.id, head.id, t.clock.now());
  });
  afterEach(() => t.close());

  const pactFields = (fields: Record<string, string> = {}) => ({
    title: 'Pakta Integritas Kepala Perangkat Daerah 2023',
    body: PACT_BODY,
    place: 'Semarang',
    audience: 'heads',
    opens_at: '2023-09-25T08:00',
    deadline: '2023-09-30T16:00',
    ceremony_on: '2023-09-26',
    ceremony_place: 'Gedung Gradhika Bhakti Praja',
    archived: '1',
    ...fields,
  });
  const createPactForm = (agent: Agent, fields: Record<string, string>) =>
    postForm(agent, '/admin/pakta/baru', '/admin/pakta', fields);

  it('takes a past ceremony as an archive: closed at once, never signed online, filled in on paper', async () => {
    const { agent } = await loggedInAdmin(t);
    const created = await createPactForm(agent, pactFields());
    expect(created.status).toBe(303);
    const pactId = Number(created.headers.location?.split('/').pop());
    const draft = pageText((await agent.get(`/admin/pakta/${pactId}`)).text);
    expect(draft).toContain('Terbitkan sebagai arsip');
    expect(draft).toContain('Ikrar bersama 26 September 2023, Gedung Gradhika Bhakti Praja');
    expect((await postForm(agent, `/admin/pakta/${pactId}`, `/admin/pakta/${pactId}/buka`)).status).toBe(303);
    const pact = (await t.services.pacts.findById(pactId)) as Pact;
    expect(pact).toMatchObject({ status: 'closed', archived: true, ceremonyOn: '2023-09-26' });
    expect(pact.bodySha256).toMatch(/^[0-9a-f]{64}$/);
    // Open and closed as its period was: the public list dates it by that, not by the day it was entered.
    expect({ openedAt: pact.openedAt, closedAt: pact.closedAt }).toEqual({
      openedAt: pact.opensAt,
      closedAt: pact.deadline,
    });
    expect((await t.services.audit.recent(5)).map((e) => e.action)).toContain('pact.archived');

    // The head cannot sign it online.
    const own = browser(t.app);
    await logIn(own, head.nip as string);
    const online = await signThroughForm(own, pactId, { consent: '1', full_name: head.fullName });
    expect(online.status).toBeGreaterThanOrEqual(400);
    expect(await t.services.signatures.findValid(pactId, head.id)).toBeUndefined();

    // The operator enters the sheet signed on the day of the ceremony.
    const { agent: operator } = await loggedInAs(t, 'operator', { unitId: unit.id });
    const page = await operator.get(`/admin/kepatuhan/${pactId}/kertas/catat?unit=${unit.id}`);
    expect(page.text).toContain('value="2023-09-26"');
    expect(page.text).toContain('value="Gedung Gradhika Bhakti Praja"');
    const action = (/enctype="multipart\/form-data" action="([^"]+)"/.exec(page.text)?.[1] ?? '').replaceAll(
      '&amp;',
      '&',
    );
    const send = (signedOn: string) =>
      operator
        .post(action)
        .field('signed_on', signedOn)
        .field('place', 'Gedung Gradhika Bhakti Praja')
        .field('witness', 'Gubernur Jawa Tengah')
        .attach('scan', SCANNED_PDF, 'lembar-ikrar.pdf')
        .field('orang', String(head.id));
    const outside = await send('2023-10-02');
    expect(outside.status).toBe(422);
    expect(pageText(outside.text)).toContain('Tanggal penandatanganan melewati batas waktu pakta');
    expect((await send('2023-09-26')).status).toBe(303);
    const signature = await t.services.signatures.findValid(pactId, head.id);
    // Noon of that day in Jakarta.
    expect(signature).toMatchObject({ method: 'paper', signedAt: '2023-09-26T05:00:00.000Z' });
    expect((await t.services.complianceCache.forPact(pact)).signed).toBe(1);
    expect(await checkRecords(t.services, t.clock, { record: false })).toMatchObject({ ok: true });
    // The public list shows it among the closed pacts, with its ceremony.
    const publicPage = pageText((await browser(t.app).get(`/kepatuhan/${pactId}`)).text);
    expect(publicPage).toContain('Ikrar bersama: 26 September 2023, Gedung Gradhika Bhakti Praja');
    expect(publicPage).toMatch(/1 dari 1/);
  });

  it('refuses an archive of a period not yet over, and a past period not marked as archive', async () => {
    const { agent } = await loggedInAdmin(t);
    const future = await createPactForm(
      agent,
      pactFields({
        opens_at: '2099-01-01T08:00',
        deadline: '2099-01-31T16:00',
        ceremony_on: '',
        ceremony_place: '',
      }),
    );
    expect(future.status).toBe(422);
    expect(pageText(future.text)).toContain('Pakta arsip harus untuk masa yang sudah lewat');
    const past = await createPactForm(agent, pactFields({ archived: '' }));
    expect(past.status).toBe(422);
    expect(pageText(past.text)).toContain('centang Arsip masa lalu');
    expect(past.text).toContain('value="Gedung Gradhika Bhakti Praja"');
    expect(await t.services.pacts.list()).toEqual([]);
  });

  it('shows a ceremony on the pact and its receipts; both or neither, within the period', async () => {
    const pact = await makePact(t.services, { audience: 'heads' });
    const { agent } = await loggedInAdmin(t);
    const day = t.services.timeZone.dayOf(t.clock.now());
    const set = (fields: Record<string, string>) =>
      postForm(agent, `/admin/pakta/${pact.id}`, `/admin/pakta/${pact.id}/upacara`, fields);
    const placeOnly = await set({ ceremony_on: '', ceremony_place: 'Aula BKD' });
    expect(placeOnly.status).toBe(422);
    expect(pageText(placeOnly.text)).toContain('Tanggal ikrar bersama wajib diisi bila tempatnya diisi');
    const before = await set({ ceremony_on: '2020-01-01', ceremony_place: 'Aula BKD' });
    expect(before.status).toBe(422);
    expect(pageText(before.text)).toContain('harus di antara pembukaan dan batas waktu pakta');
    expect((await set({ ceremony_on: day, ceremony_place: 'Aula BKD' })).status).toBe(303);
    expect(await t.services.pacts.findById(pact.id)).toMatchObject({
      ceremonyOn: day,
      ceremonyPlace: 'Aula BKD',
    });
    const event = (await t.services.audit.recent(3)).find((e) => e.action === 'pact.ceremony_set');
    expect(event?.details).toMatchObject({ to: { on: day, place: 'Aula BKD' } });

    const own = browser(t.app);
    await logIn(own, head.nip as string);
    const signing = pageText((await own.get(`/pakta/${pact.id}`)).text);
    expect(signing).toMatch(/Ikrar bersama: .+, Aula BKD/);
    const signed = await signThroughForm(own, pact.id, { consent: '1', full_name: head.fullName });
    const receipt = pageText((await own.get(signed.headers.location as string)).text);
    expect(receipt).toMatch(/Ikrar bersama: .+, Aula BKD/);

    const rows = await sql<{
      n: number;
    }>`SELECT count(*) AS n FROM pacts WHERE ceremony_on IS NOT NULL`.execute(t.db.q);
    expect(Number(rows.rows[0]?.n)).toBe(1);
  });
});

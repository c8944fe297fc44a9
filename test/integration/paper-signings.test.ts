import { sql } from 'kysely';
import sharp from 'sharp';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Unit, User } from '../../src/directory/types.js';
import type { Pact } from '../../src/pledges/types.js';
import { checkRecords } from '../../src/pledges/verification/check-records.js';
import { type Agent, csrfTokenFrom, loggedInAdmin, loggedInAs, logIn, pageText } from '../helpers/http.js';
import { binaryParser, makePact, pdfText, signAs, signThroughForm } from '../helpers/pacts.js';
import { SCANNED_PDF } from '../helpers/paper.js';
import { dropTriggers } from '../helpers/tamper.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

describe('signings on paper', () => {
  let t: TestApp;
  let unit: Unit;
  let people: User[];
  let pact: Pact;

  beforeEach(async () => {
    t = await createTestApp();
    unit = await t.make.unit({ name: 'Dinas Pendidikan' });
    people = [];
    for (const fullName of ['Ani Lestari', 'Budi Santoso', 'Citra Dewi', 'Dedi Kurniawan']) {
      people.push(await t.make.user({ unitId: unit.id, fullName }));
    }
    pact = await makePact(t.services);
  });
  afterEach(() => t.close());

  const ani = () => people[0] as User;
  const budi = () => people[1] as User;
  const citra = () => people[2] as User;
  const today = () => t.services.timeZone.dayOf(t.clock.now());
  const ticking = (unitId = unit.id) => `/admin/kepatuhan/${pact.id}/kertas/catat?unit=${unitId}`;

  /** Opens the ticking page and sends it as the browser does: multipart, the token in the action's query. */
  async function record(
    agent: Agent,
    fields: { signed_on?: string; place?: string; witness?: string; orang?: (number | string)[] },
    scan: { bytes: Buffer; name: string } | null = { bytes: SCANNED_PDF, name: 'lembar upacara.pdf' },
    page = ticking(),
  ) {
    const form = await agent.get(page);
    const action = /<form method="post" enctype="multipart\/form-data" action="([^"]+)"/.exec(form.text)?.[1];
    if (!action) throw new Error(`no paper form on ${page}: ${form.status}`);
    let req = agent
      .post(action.replaceAll('&amp;', '&'))
      .field('signed_on', fields.signed_on ?? today())
      .field('place', fields.place ?? 'Gedung Gradhika Bhakti Praja')
      .field('witness', fields.witness ?? 'Kepala BKD');
    if (scan) req = req.attach('scan', scan.bytes, scan.name);
    for (const id of fields.orang ?? []) req = req.field('orang', String(id));
    return req;
  }

  const signatures = () =>
    sql<{ user_id: number; method: string; status: string; paper_scan_id: number | null }>`
      SELECT user_id, method, status, paper_scan_id FROM signatures WHERE pact_id = ${pact.id} ORDER BY user_id, id`
      .execute(t.db.q)
      .then((r) => r.rows);
  const scanCount = () =>
    sql<{ n: number }>`SELECT count(*) AS n FROM scans`.execute(t.db.q).then((r) => Number(r.rows[0]?.n));
  const unitNumbers = async () =>
    (await t.services.complianceCache.forPact(pact)).units.find((u) => u.unitId === unit.id);

  it('records everyone ticked on one sheet with one scan: counted, chained, receipted and audited', async () => {
    const { user: operator, agent } = await loggedInAs(t, 'operator', {
      unitId: unit.id,
      fullName: 'Oki Operator',
    });
    const saved = await record(agent, { orang: [ani().id, budi().id, citra().id] });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(ticking());
    const after = await agent.get(ticking());
    expect(pageText(after.text)).toContain('3 tanda tangan di atas kertas dicatat.');
    expect(pageText(after.text)).toContain('Sudah menandatangani (3)');

    const rows = await signatures();
    expect(rows.map((r) => r.method)).toEqual(['paper', 'paper', 'paper']);
    expect(new Set(rows.map((r) => r.paper_scan_id)).size).toBe(1);
    expect(await scanCount()).toBe(1);
    // Counted like online signings: 3 of the 5 in the unit (the four people and the operator).
    expect(await unitNumbers()).toMatchObject({ signed: 3, required: 5 });
    const entries = await sql<{ kind: string }>`SELECT kind FROM ledger ORDER BY seq`.execute(t.db.q);
    expect(entries.rows.map((r) => r.kind)).toEqual(['paper', 'paper', 'paper']);
    expect(await checkRecords(t.services, t.clock, { record: false })).toMatchObject({
      ok: true,
      entries: 3,
    });
    const events = (await t.services.audit.recent(20)).filter((e) => e.action === 'signature.paper_recorded');
    expect(events).toHaveLength(3);
    expect(events.every((e) => e.actorUserId === operator.id)).toBe(true);

    // The receipt says how it was signed and who recorded it; an admin may open it and the scan behind it.
    const code = (await t.services.signatures.findValid(pact.id, ani().id))?.receiptCode as string;
    const { agent: admin } = await loggedInAdmin(t);
    const receipt = pageText((await admin.get(`/tanda-terima/${code}`)).text);
    expect(receipt).toMatch(
      /Ditandatangani di atas kertas pada \d+ \w+ \d{4} di Gedung Gradhika Bhakti Praja, disaksikan oleh Kepala BKD; dicatat oleh Oki Operator pada/,
    );
    const pdf = await admin.get(`/tanda-terima/${code}.pdf`).buffer(true).parse(binaryParser);
    expect(pdfText(pdf.body as Buffer)).toContain('dicatat oleh Oki Operator');
    const scanId = rows[0]?.paper_scan_id;
    const scan = await admin
      .get(`/admin/kepatuhan/${pact.id}/kertas/pindaian/${scanId}`)
      .buffer(true)
      .parse(binaryParser);
    expect(scan.status).toBe(200);
    expect(scan.headers['content-type']).toBe('application/pdf');
    expect(scan.headers['content-disposition']).toMatch(/^attachment; filename="lembar upacara\.pdf"/);
    expect((scan.body as Buffer).equals(SCANNED_PDF)).toBe(true);

    // The public verification knows the receipt.
    expect(pageText((await request(t.app).get(`/verifikasi/${code}`)).text)).toContain('Ani');
  });

  it('keeps one valid signing: online after paper returns the paper receipt, paper after online is not doubled', async () => {
    const { agent } = await loggedInAdmin(t);
    const onlineCode = await signAs(t.services, pact, budi());
    expect((await record(agent, { orang: [ani().id, budi().id] })).status).toBe(303);
    expect(pageText((await agent.get(ticking())).text)).toContain(
      '1 orang sudah menandatangani sebelumnya; tanda tangannya tidak dicatat dua kali.',
    );
    const rows = await signatures();
    expect(rows.filter((r) => r.user_id === budi().id)).toEqual([
      expect.objectContaining({ method: 'online', status: 'valid' }),
    ]);
    expect((await t.services.signatures.findValid(pact.id, budi().id))?.receiptCode).toBe(onlineCode);

    // Ani, signed on paper, opens the pact and signs online: she gets her paper receipt back.
    const paperCode = (await t.services.signatures.findValid(pact.id, ani().id))?.receiptCode;
    const aniAgent = request.agent(t.app);
    await logIn(aniAgent, ani().nip as string);
    const signed = await signThroughForm(aniAgent, pact.id, { consent: '1', full_name: ani().fullName });
    expect(signed.headers.location).toBe(`/tanda-terima/${paperCode}`);
    expect((await signatures()).filter((r) => r.user_id === ani().id)).toHaveLength(1);
  });

  it('can be voided like any signing, and then recorded again; the ledger verifies throughout', async () => {
    const { agent } = await loggedInAdmin(t);
    await record(agent, { orang: [ani().id] });
    const code = (await t.services.signatures.findValid(pact.id, ani().id))?.receiptCode as string;
    const page = await agent.get(`/tanda-terima/${code}`);
    const voided = await agent
      .post(`/tanda-terima/${code}/batal`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), reason: 'Tanda tangan di lembar milik orang lain' });
    expect(voided.status).toBe(303);
    expect(await unitNumbers()).toMatchObject({ signed: 0 });
    expect((await record(agent, { orang: [ani().id] })).status).toBe(303);
    expect((await signatures()).map((r) => r.status)).toEqual(['voided', 'valid']);
    const entries = await sql<{ kind: string }>`SELECT kind FROM ledger ORDER BY seq`.execute(t.db.q);
    expect(entries.rows.map((r) => r.kind)).toEqual(['paper', 'void', 'paper']);
    expect(await checkRecords(t.services, t.clock, { record: false })).toMatchObject({ ok: true });
  });

  it("shows a scan swapped behind the app's back in the ledger check", async () => {
    const { agent } = await loggedInAdmin(t);
    await record(agent, { orang: [ani().id, budi().id] });
    expect(await checkRecords(t.services, t.clock, { record: false })).toMatchObject({ ok: true });
    await dropTriggers(t.db, ['scans_frozen']);
    await sql`UPDATE scans SET bytes = ${Buffer.from('%PDF-1.4\nlain\n%%EOF\n', 'latin1')}`.execute(t.db.q);
    expect(await checkRecords(t.services, t.clock, { record: false })).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^tanda tangan #\d+: pindaian berbeda dari yang dicatat$/),
    });
  });

  it('lists people an operator may not record without a box, and refuses the whole save if one is slipped in', async () => {
    const { user: operator, agent } = await loggedInAs(t, 'operator', { unitId: unit.id });
    const page = await agent.get(ticking());
    expect(page.text).toContain(`id="orang-${ani().id}"`);
    // Herself (an operator, required as a member of the unit) is shown, for an admin to record.
    expect(page.text).not.toContain(`id="orang-${operator.id}"`);
    expect(pageText(page.text)).toMatch(new RegExp(`${operator.fullName} .*dicatat oleh admin`));
    expect((await record(agent, { orang: [ani().id, operator.id] })).status).toBe(404);
    expect(await signatures()).toEqual([]);
  });

  it('sends the chooser back when no unit is chosen, saying so beside the list', async () => {
    const { agent } = await loggedInAdmin(t);
    const none = await agent.get(`/admin/kepatuhan/${pact.id}/kertas/catat`);
    expect(none.status).toBe(400);
    expect(pageText(none.text)).toContain('Pilih paling sedikit satu unit.');
    expect(none.text).toContain('href="#unit"');
    expect((await agent.get(`/admin/kepatuhan/${pact.id}/kertas/catat?unit=99999999999`)).status).toBe(404);
  });

  it('names every missing field, keeps what was typed and the ticks, and stores nothing', async () => {
    const { agent } = await loggedInAdmin(t);
    const empty = await record(agent, { signed_on: '', place: '', witness: '', orang: [] }, null);
    expect(empty.status).toBe(400);
    const text = pageText(empty.text);
    for (const message of [
      'Tanggal penandatanganan wajib diisi',
      'Tempat penandatanganan wajib diisi',
      'Saksi wajib diisi',
      'Centang paling sedikit satu orang yang menandatangani',
      'Lampirkan pindaian lembar yang ditandatangani',
    ]) {
      expect(text).toContain(message);
    }
    const noScan = await record(agent, { witness: 'Sekda', orang: [ani().id, citra().id] }, null);
    expect(noScan.status).toBe(400);
    expect(noScan.text).toContain('value="Sekda"');
    expect(noScan.text).toMatch(new RegExp(`value="${ani().id}" id="orang-${ani().id}" checked`));
    expect(noScan.text).not.toMatch(new RegExp(`value="${budi().id}" id="orang-${budi().id}" checked`));
    // A program renamed .pdf, a truncated PDF, a GIF: refused by what they are.
    for (const bytes of [
      Buffer.from('MZ\x90\x00\x03 this program cannot be run in DOS mode', 'latin1'),
      SCANNED_PDF.subarray(0, 40),
      Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'),
    ]) {
      const bad = await record(agent, { orang: [ani().id] }, { bytes, name: 'lembar.pdf' });
      expect(bad.status).toBe(400);
      expect(pageText(bad.text)).toContain('Pindaian harus berupa PDF, JPG atau PNG yang utuh');
    }
    const future = await record(agent, { signed_on: '2099-01-01', orang: [ani().id] });
    expect(future.status).toBe(422);
    expect(pageText(future.text)).toContain('Tanggal penandatanganan tidak boleh setelah hari ini');
    expect(await signatures()).toEqual([]);
    expect(await scanCount()).toBe(0);
  });

  it('strips where and with what a photographed sheet was taken', async () => {
    const { agent } = await loggedInAdmin(t);
    const photo = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#ffffff' } })
      .jpeg()
      .withExif({
        IFD0: { Make: 'KameraHP', Model: 'Uji 1' },
        IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '6/1 59/1 0/1' },
      })
      .toBuffer();
    expect(photo.toString('latin1')).toContain('KameraHP');
    expect((await record(agent, { orang: [ani().id] }, { bytes: photo, name: 'foto.jpg' })).status).toBe(303);
    const stored = await sql<{ bytes: Buffer; mime: string }>`SELECT bytes, mime FROM scans`.execute(t.db.q);
    expect(stored.rows[0]?.mime).toBe('image/jpeg');
    const bytes = Buffer.from(stored.rows[0]?.bytes as Buffer);
    expect(bytes.toString('latin1')).not.toContain('KameraHP');
    expect((await sharp(bytes).metadata()).exif).toBeUndefined();
  });

  it('keeps operators to their subtree and refuses signers, a missing token and closed pacts', async () => {
    const other = await t.make.unit({ name: 'Dinas Kesehatan' });
    const stranger = await t.make.user({ unitId: other.id, fullName: 'Eka Putri' });
    const { agent } = await loggedInAs(t, 'operator', { unitId: unit.id });
    expect((await agent.get(ticking(other.id))).status).toBe(404);
    // Someone of another unit slipped into the form: the whole save is refused as unknown.
    const crafted = await record(agent, { orang: [ani().id, stranger.id] });
    expect(crafted.status).toBe(404);
    expect(await signatures()).toEqual([]);
    expect(await scanCount()).toBe(0);

    const { agent: signer } = await loggedInAs(t, 'signer', { unitId: unit.id });
    expect((await signer.get(ticking())).status).toBe(403);
    const { agent: admin } = await loggedInAdmin(t);
    const noToken = await admin
      .post(ticking())
      .field('orang', String(ani().id))
      .attach('scan', SCANNED_PDF, 'a.pdf');
    expect(noToken.status).toBe(403);

    // The scan of a sheet of another unit is unknown to this operator.
    await record(admin, { orang: [stranger.id] }, undefined, ticking(other.id));
    const scanId = (await signatures())[0]?.paper_scan_id;
    expect((await agent.get(`/admin/kepatuhan/${pact.id}/kertas/pindaian/${scanId}`)).status).toBe(404);

    const closed = await makePact(t.services, { status: 'closed' });
    expect((await admin.get(`/admin/kepatuhan/${closed.id}/kertas/catat?unit=${unit.id}`)).status).toBe(409);
  });

  it('prints the signing sheet of the chosen units with everyone required', async () => {
    const { agent } = await loggedInAs(t, 'operator', { unitId: unit.id });
    const chooser = pageText((await agent.get(`/admin/kepatuhan/${pact.id}/kertas`)).text);
    expect(chooser).toContain('Dinas Pendidikan');
    const sheet = await agent
      .get(`/admin/kepatuhan/${pact.id}/kertas/lembar?unit=${unit.id}`)
      .buffer(true)
      .parse(binaryParser);
    expect(sheet.status).toBe(200);
    expect(sheet.headers['content-type']).toBe('application/pdf');
    const text = pdfText(sheet.body as Buffer);
    for (const person of people) expect(text).toContain(person.fullName);
    expect(text).toContain('Mengetahui');
    expect(text).toContain(pact.title);
    expect((await agent.get(`/admin/kepatuhan/${pact.id}/kertas/lembar`)).status).toBe(400);
  });
});

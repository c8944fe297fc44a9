import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activationCodeHash } from '../../src/credentials/activation-code.js';
import { personFactory, seededRandom } from '../../src/seed/people.js';
import type { Agent } from '../helpers/http.js';
import {
  browser,
  csrfTokenFrom,
  fetchCsrfToken,
  loggedInAdmin,
  loggedInAs,
  logIn,
  pageText,
} from '../helpers/http.js';
import { binaryParser, makePact } from '../helpers/pacts.js';
import { popplerLines, popplerPageCount } from '../helpers/poppler.js';
import { confirmRoster, previewRoster } from '../helpers/roster.js';
import { eventually } from '../helpers/smtp.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const NEW_PASSWORD = 'senja di kota lama semarang';
const CODE = /\b[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}\b/g;

describe('activation letters', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ BASE_URL: 'http://ikrar.uji' });
  });
  afterEach(() => t.close());

  /** Asks for letters with the form and returns the preview page's response and the run it prepared. */
  const prepare = async (agent: Agent, fields: Record<string, string>) => {
    const token = await fetchCsrfToken(agent, '/admin/surat-aktivasi');
    const res = await agent
      .post('/admin/surat-aktivasi')
      .type('form')
      .send({ _csrf: token, layout: 'a4', ...fields });
    const batchId = /\/admin\/surat-aktivasi\/(\d+)\/cetak/.exec(res.text)?.[1];
    return { res, batchId };
  };

  const print = async (agent: Agent, batchId: string) => {
    const token = await fetchCsrfToken(agent, `/admin/surat-aktivasi/${batchId}`);
    return agent
      .post(`/admin/surat-aktivasi/${batchId}/cetak`)
      .type('form')
      .send({ _csrf: token })
      .buffer(true)
      .parse(binaryParser);
  };

  const codesIn = (pdf: Buffer): string[] =>
    Array.from({ length: popplerPageCount(pdf) }, (_, i) => popplerLines(pdf, i + 1).join('\n')).flatMap(
      (text) => text.match(CODE) ?? [],
    );

  const activate = async (nip: string, code: string) => {
    const agent = browser(t.app);
    const token = await fetchCsrfToken(agent, '/aktivasi');
    const res = await agent.post('/aktivasi').type('form').send({ _csrf: token, nip, code });
    return { agent, res };
  };

  const choosePassword = async (agent: Agent, password = NEW_PASSWORD, confirm = password) => {
    const page = await agent.get('/aktivasi/kata-sandi');
    return agent
      .post('/aktivasi/kata-sandi')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), new_password: password, confirm_password: confirm });
  };

  const actions = async () => (await t.services.audit.recent(500)).map((e) => e.action);

  it('prints a letter per person of a unit; one activates with NIP and code, is signed in, and the code dies', async () => {
    const unit = await t.make.unit({ name: 'Dinas Kesehatan' });
    const people = [];
    for (let i = 0; i < 5; i++)
      people.push(await t.make.user({ unitId: unit.id, email: null, password: null }));
    const active = await t.make.user({ unitId: unit.id });
    const { agent } = await loggedInAs(t, 'operator', { unitId: unit.id });

    const { res, batchId } = await prepare(agent, { kind: 'unit', unit_id: String(unit.id), subtree: '1' });
    expect(res.status).toBe(200);
    expect(pageText(res.text)).toContain('5 surat');
    expect(pageText(res.text)).toContain('1 orang sudah punya kata sandi');
    expect(batchId).toBeDefined();

    const pdf = await print(agent, batchId as string);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toContain('attachment');
    const body = pdf.body as Buffer;
    expect(popplerPageCount(body)).toBe(5);
    const first = popplerLines(body, 1).join('\n');
    expect(first).toContain('SURAT AKTIVASI AKUN IKRAR');
    expect(first).toContain('http://ikrar.uji/aktivasi');
    expect(first).toContain('Dinas Kesehatan');
    const codes = codesIn(body);
    expect(new Set(codes).size).toBe(5);
    // The run is marked done once the last byte has gone, a moment after the reader has it.
    await eventually(
      async () => (await t.services.letterBatches.findById(Number(batchId)))?.status === 'done',
    );
    expect((await t.services.letterBatches.findById(Number(batchId)))?.printed).toBe(5);

    // Letters go in name order: the first page's code belongs to the first name.
    const sorted = [...people].sort((a, b) => a.fullName.localeCompare(b.fullName, 'id'));
    const person = sorted[0] as (typeof people)[number];
    expect(first).toContain(person.fullName);
    const code = codes[0] as string;
    // Stored hashed only.
    expect(
      JSON.stringify(await t.services.passwordLinks.findByHash(activationCodeHash(person.id, code))),
    ).not.toContain(code);

    const { agent: phone, res: opened } = await activate(
      person.nip as string,
      code.toLowerCase().replace(/-/g, ' '),
    );
    expect(opened.status).toBe(303);
    expect(opened.headers.location).toBe('/aktivasi/kata-sandi');
    const greeting = await phone.get('/aktivasi/kata-sandi');
    expect(greeting.text).toContain(person.fullName);
    const done = await choosePassword(phone);
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/pakta');
    expect((await phone.get('/pakta')).status).toBe(200);
    expect((await logIn(browser(t.app), person.nip as string, NEW_PASSWORD)).status).toBe(302);

    // The same code cannot open the account again.
    const again = await activate(person.nip as string, code);
    expect(again.res.status).toBe(401);
    expect(pageText(again.res.text)).toContain('NIP atau kode aktivasi tidak cocok');
    expect(await actions()).toEqual(
      expect.arrayContaining([
        'activation.letters_printed',
        'activation.letter_printed',
        'account.activated',
        'activation.failed',
      ]),
    );
    expect(active.id).toBeGreaterThan(0);
  });

  it('keeps each letter on its own half sheet however long the names are, two A5 letters to a page', async () => {
    // Every field at its longest, the letterhead's too.
    await t.services.settings.put('instance.name', 'Pemerintah Provinsi '.repeat(7).trim(), t.clock.now());
    await t.services.settings.put(
      'instance.address',
      'Jalan Pahlawan Nomor 9 Semarang '.repeat(9).trim(),
      t.clock.now(),
    );
    const unit = await t.make.unit({
      name: `Badan ${'Penelitian dan Pengembangan Daerah '.repeat(6)}`.trim(),
    });
    for (let i = 0; i < 3; i++) {
      const person = await t.make.user({
        unitId: unit.id,
        email: null,
        password: null,
        pangkat: 'Pembina Utama Madya, IV/d',
      });
      await t.services.users.update(
        person.id,
        {
          ...person,
          fullName: `Prof. Dr. ${'Raden Mas Panji '.repeat(8)}`.slice(0, 150),
          position: 'Analis '.repeat(28).trim(),
        },
        t.clock.now(),
      );
    }
    const { agent } = await loggedInAdmin(t);
    const { batchId } = await prepare(agent, { kind: 'unit', unit_id: String(unit.id), layout: 'a5' });
    const pdf = (await print(agent, batchId as string)).body as Buffer;
    expect(popplerPageCount(pdf)).toBe(2);
    expect(codesIn(pdf)).toHaveLength(3);
  });

  it('prints a letter for each of 500 people an operator imported without email, from the import itself', async () => {
    const unit = await t.make.unit({ code: 'DISDIK', name: 'Dinas Pendidikan' });
    const { agent } = await loggedInAs(t, 'operator', { unitId: unit.id });
    const person = personFactory(seededRandom(500));
    const rows = Array.from({ length: 500 }, () => {
      const p = person({ bornFrom: 1970, bornTo: 1998 });
      return `${p.nip},${p.fullName},Guru,DISDIK,,PNS,tidak`;
    });
    const { id } = await previewRoster(
      agent,
      `nip,nama,jabatan,kode_unit,email,jenis,kepala\n${rows.join('\n')}\n`,
    );
    expect((await confirmRoster(agent, id)).status).toBe(303);
    const result = await agent.get(`/admin/pengguna/impor/${id}`);
    expect(result.text).toContain(`/admin/surat-aktivasi?impor=${id}`);

    const { res, batchId } = await prepare(agent, { kind: 'import', import_id: String(id) });
    expect(res.status).toBe(200);
    expect(pageText(res.text)).toContain('500 surat');
    const pdf = (await print(agent, batchId as string)).body as Buffer;
    expect(popplerPageCount(pdf)).toBe(500);
    const people = await t.services.rosterImports.peopleOf(id);
    expect((await t.services.passwordLinks.latestLetters(people)).size).toBe(500);
    expect(popplerLines(pdf, 500).join('\n').match(CODE)).toHaveLength(1);
  });

  it('kills the old code when a new letter is printed, and keeps a second click from printing twice', async () => {
    const unit = await t.make.unit();
    const person = await t.make.user({ unitId: unit.id, email: null, password: null });
    const { agent } = await loggedInAs(t, 'operator', { unitId: unit.id });
    const one = await prepare(agent, { kind: 'list', nips: person.nip as string });
    const oldCode = codesIn((await print(agent, one.batchId as string)).body)[0] as string;
    expect((await print(agent, one.batchId as string)).status).toBe(409);

    const two = await prepare(agent, { kind: 'unit', unit_id: String(unit.id) });
    expect(pageText(two.res.text)).toContain('1 orang sudah pernah dicetakkan surat');
    const newCode = codesIn((await print(agent, two.batchId as string)).body)[0] as string;
    expect(newCode).not.toBe(oldCode);
    expect((await activate(person.nip as string, oldCode)).res.status).toBe(401);
    expect((await activate(person.nip as string, newCode)).res.status).toBe(303);
  });

  it('refuses an expired code, and the expiry follows the settings', async () => {
    await t.services.settings.put('activation.days', '3', t.clock.now());
    const unit = await t.make.unit();
    const person = await t.make.user({ unitId: unit.id, email: null, password: null });
    const { agent } = await loggedInAdmin(t);
    const { batchId } = await prepare(agent, { kind: 'unit', unit_id: String(unit.id) });
    // Printed three days and a second ago (sessions follow the real time: the clock goes back, then returns).
    const threeDays = 3 * 24 * 60 * 60 * 1000 + 1000;
    t.clock.advance(-threeDays);
    const pdf = (await print(agent, batchId as string)).body as Buffer;
    t.clock.advance(threeDays);
    expect(popplerLines(pdf, 1).join(' ')).toMatch(/Berlaku sampai \S+, \d+ \S+ \d{4}/);
    const code = codesIn(pdf)[0] as string;
    expect((await activate(person.nip as string, code)).res.status).toBe(401);
    expect(
      (await t.services.audit.recent(5)).find((e) => e.action === 'activation.failed')?.details,
    ).toMatchObject({
      reason: 'unusable',
    });
  });

  it('gives no letter to an account that has a password unless an admin asks for a reset letter', async () => {
    const unit = await t.make.unit();
    const person = await t.make.user({ unitId: unit.id });
    const operator = await loggedInAs(t, 'operator', { unitId: unit.id });
    const refused = await prepare(operator.agent, { kind: 'unit', unit_id: String(unit.id), resets: '1' });
    expect(refused.res.status).toBe(422);
    expect(pageText(refused.res.text)).toContain('Tidak ada yang perlu diberi surat');

    const { agent } = await loggedInAdmin(t);
    const reset = await prepare(agent, { kind: 'list', nips: person.nip as string, resets: '1' });
    expect(reset.res.status).toBe(200);
    const code = codesIn((await print(agent, reset.batchId as string)).body)[0] as string;
    const { agent: phone } = await activate(person.nip as string, code);
    expect((await choosePassword(phone)).status).toBe(303);
    expect((await logIn(browser(t.app), person.nip as string, NEW_PASSWORD)).status).toBe(302);
  });

  it('keeps operators to their own subtree and refuses what is outside it as unknown', async () => {
    const mine = await t.make.unit();
    const other = await t.make.unit();
    const stranger = await t.make.user({ unitId: other.id, email: null, password: null });
    const { agent } = await loggedInAs(t, 'operator', { unitId: mine.id });
    const res = (await prepare(agent, { kind: 'unit', unit_id: String(other.id) })).res;
    expect(res.status).toBe(404);
    const list = await prepare(agent, { kind: 'list', nips: stranger.nip as string });
    expect(list.res.status).toBe(422);
    expect(pageText(list.res.text)).toContain(
      `NIP tidak ditemukan atau di luar wewenang Anda: ${stranger.nip}`,
    );

    // A run belongs to its creator: another operator cannot see or print it.
    const admin = await loggedInAdmin(t);
    const ownRun = await prepare(admin.agent, { kind: 'unit', unit_id: String(other.id) });
    expect((await agent.get(`/admin/surat-aktivasi/${ownRun.batchId}`)).status).toBe(404);
    expect((await agent.get(`/admin/surat-aktivasi/${ownRun.batchId}/status`)).status).toBe(404);
  });

  it('refuses bad selections with a message and keeps what was typed', async () => {
    const { agent } = await loggedInAdmin(t);
    const bad = await prepare(agent, { kind: 'list', nips: '19800101 200501 1 001\n12345' });
    expect(bad.res.status).toBe(400);
    expect(pageText(bad.res.text)).toContain('bukan NIP 18 digit');
    expect(bad.res.text).toContain('12345');
    expect(bad.res.text).toContain('19800101 200501 1 001');
    const none = await prepare(agent, { kind: 'unit' });
    expect(none.res.status).toBe(400);
    expect(pageText(none.res.text)).toContain('Pilih unit kerja');
    const token = await fetchCsrfToken(agent, '/admin/surat-aktivasi');
    const crafted = await agent
      .post('/admin/surat-aktivasi')
      .type('form')
      .send({ _csrf: token, kind: 'semua', layout: 'a3' });
    expect(crafted.status).toBe(400);
    const noCsrf = await agent
      .post('/admin/surat-aktivasi')
      .type('form')
      .send({ kind: 'unit', layout: 'a4' });
    expect(noCsrf.status).toBe(403);
  });

  it('refuses more letters than one request may print, with the advice to print by unit', async () => {
    const unit = await t.make.unit();
    // The limit is checked on the selection; a crafted list of many NIPs is refused before any lookup.
    const nips = Array.from({ length: 2001 }, (_, i) => `198001012005${String(i).padStart(6, '0')}`);
    const { agent } = await loggedInAdmin(t);
    const res = await prepare(agent, { kind: 'list', nips: nips.join('\n') });
    expect(res.res.status).toBe(400);
    expect(pageText(res.res.text)).toContain('paling banyak 2.000');
    expect(unit.id).toBeGreaterThan(0);
  });

  it('refuses a unit of more people than one request may print, naming the number and the limit', async () => {
    const unit = await t.make.unit({ name: 'Sekretariat Daerah' });
    await t.services.users.insertMany(
      Array.from({ length: 10_001 }, (_, i) => ({
        nip: `199001012015${String(i).padStart(6, '0')}`,
        employeeType: 'PNS' as const,
        email: null,
        fullName: `ASN Uji ${i}`,
        position: 'Pelaksana',
        pangkat: null,
        unitId: unit.id,
        role: 'signer' as const,
        passwordHash: null,
        mustChangePassword: false,
      })),
      t.clock.now(),
    );
    const { agent } = await loggedInAdmin(t);
    const { res, batchId } = await prepare(agent, { kind: 'unit', unit_id: String(unit.id) });
    expect(res.status).toBe(422);
    expect(batchId).toBeUndefined();
    expect(pageText(res.text)).toContain(
      'menghasilkan 10.001 surat, sedangkan satu permintaan paling banyak 10.000 surat',
    );
    expect(res.text).toContain(`value="${unit.id}" selected`);
  });

  it('shows operators who has a letter and never came, on the user list and on the unit report', async () => {
    const unit = await t.make.unit();
    const waiting = await t.make.user({
      unitId: unit.id,
      email: null,
      password: null,
      fullName: 'Ayu Surat Menunggu',
    });
    const noLetter = await t.make.user({
      unitId: unit.id,
      email: null,
      password: null,
      fullName: 'Bima Tanpa Surat',
    });
    const active = await t.make.user({ unitId: unit.id, fullName: 'Citra Sudah Aktif' });
    const { agent } = await loggedInAs(t, 'operator', { unitId: unit.id });
    const { batchId } = await prepare(agent, { kind: 'list', nips: waiting.nip as string });
    await print(agent, batchId as string);

    const all = pageText((await agent.get(`/admin/pengguna?unit=${unit.id}`)).text);
    expect(all).toMatch(/Ayu Surat Menunggu .*Surat dicetak \d+ \S+ \d{4}, belum aktivasi/);
    expect(all).toMatch(/Bima Tanpa Surat .*Belum aktivasi, belum ada surat/);
    const chase = pageText((await agent.get(`/admin/pengguna?unit=${unit.id}&aktivasi=belum`)).text);
    expect(chase).toContain('Ayu Surat Menunggu');
    expect(chase).not.toContain('Bima Tanpa Surat');
    expect(chase).not.toContain('Citra Sudah Aktif');
    expect(pageText((await agent.get('/admin/pengguna?aktivasi=aktif')).text)).toContain('Citra Sudah Aktif');
    expect((await agent.get('/admin/pengguna?aktivasi=semua')).status).toBe(400);

    const pact = await makePact(t.services);
    const report = await agent.get(`/admin/kepatuhan/${pact.id}/unit/${unit.id}?aktivasi=belum`);
    expect(report.status).toBe(200);
    const text = pageText(report.text);
    expect(text).toContain('Ayu Surat Menunggu');
    expect(text).not.toContain('Bima Tanpa Surat');
    expect(report.text).toContain(`/admin/surat-aktivasi?unit=${unit.id}`);
    expect(noLetter.id + active.id).toBeGreaterThan(0);
  });

  it('has no letters and no activation where SSO is the only way in', async () => {
    await t.close();
    t = await createTestApp({
      OIDC_ISSUER: 'http://127.0.0.1:9/sso',
      OIDC_CLIENT_ID: 'ikrar',
      OIDC_CLIENT_SECRET: 'rahasia-uji',
      OIDC_ONLY: '1',
    });
    const page = await browser(t.app).get('/aktivasi');
    expect(page.status).toBe(200);
    expect(pageText(page.text)).toContain('Anda tidak perlu surat aktivasi');
    expect((await browser(t.app).get('/masuk')).text).not.toContain('href="/aktivasi"');
  });

  it('limits failed attempts per NIP, audits crossing the limit, and tells the person what to do', async () => {
    await t.close();
    t = await createTestApp({ ACTIVATION_NIP_RATE_LIMIT: '3' });
    const person = await t.make.user({ email: null, password: null });
    for (let i = 0; i < 3; i++)
      expect((await activate(person.nip as string, 'AAAA-AAAA-AAAA')).res.status).toBe(401);
    const limited = await activate(person.nip as string, 'AAAA-AAAA-AAAA');
    expect(limited.res.status).toBe(429);
    expect(pageText(limited.res.text)).toContain('Terlalu banyak percobaan');
    expect(limited.res.text).toContain(person.nip as string);
    expect(await actions()).toContain('activation.rate_limited');
  });

  it('keeps the activation pages out of caches and referrers, and never takes a code in a path', async () => {
    const res = await browser(t.app).get('/aktivasi');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    // The QR code's address carries the code in its fragment, which no server (or its access log) receives.
    expect((await browser(t.app).get('/aktivasi/198001012005011001/K7QM-3XWD-PA9F')).status).toBe(404);
  });

  it('stops a letter working once its person has logged in without it (by SSO, or an old password)', async () => {
    const unit = await t.make.unit();
    const person = await t.make.user({ unitId: unit.id, email: null, password: null });
    const { agent } = await loggedInAdmin(t);
    const { batchId } = await prepare(agent, { kind: 'unit', unit_id: String(unit.id) });
    const code = codesIn((await print(agent, batchId as string)).body)[0] as string;
    t.clock.advance(60_000);
    await t.services.users.recordLogin(person.id, t.clock.now());
    expect((await activate(person.nip as string, code)).res.status).toBe(401);
  });

  it('refuses a selection spanning more people than one request may read, before reading them', async () => {
    const root = await t.make.unit({ name: 'Pemerintah Provinsi' });
    const child = await t.make.unit({ name: 'Dinas Pendidikan', parentId: root.id });
    await t.services.users.insertMany(
      Array.from({ length: 20_001 }, (_, i) => ({
        nip: `199101012016${String(i).padStart(6, '0')}`,
        employeeType: 'PNS' as const,
        email: null,
        fullName: `Guru Uji ${i}`,
        position: 'Guru',
        pangkat: null,
        unitId: child.id,
        role: 'signer' as const,
        passwordHash: 'sudah-punya-sandi',
        mustChangePassword: false,
      })),
      t.clock.now(),
    );
    const { agent } = await loggedInAdmin(t);
    const { res } = await prepare(agent, { kind: 'unit', unit_id: String(root.id), subtree: '1' });
    expect(res.status).toBe(422);
    expect(pageText(res.text)).toContain('Pilihan ini mencakup 20.001 orang');
  });

  it('asks for the password again when the code stopped working between the two steps', async () => {
    const unit = await t.make.unit();
    const person = await t.make.user({ unitId: unit.id, email: null, password: null });
    const { agent } = await loggedInAdmin(t);
    const { batchId } = await prepare(agent, { kind: 'unit', unit_id: String(unit.id) });
    const code = codesIn((await print(agent, batchId as string)).body)[0] as string;
    const { agent: phone } = await activate(person.nip as string, code);
    const weak = await choosePassword(phone, 'pendek');
    expect(weak.status).toBe(422);
    // A new letter is printed meanwhile: the pending activation is gone.
    const again = await prepare(agent, { kind: 'unit', unit_id: String(unit.id) });
    await print(agent, again.batchId as string);
    const late = await choosePassword(phone);
    expect(late.status).toBe(410);
    expect(pageText(late.text)).toContain('sudah tidak berlaku');
  });
});

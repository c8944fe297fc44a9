import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toLocalInput } from '../../src/web/datetime-input.js';
import { browser, loggedInAdmin, logIn } from '../helpers/http.js';
import { makePact, postForm, signThroughForm } from '../helpers/pacts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const BODY = `Dengan ini saya menyatakan **sanggup**:

1. Menjaga netralitas ASN.
2. Tidak memihak kepada calon tertentu.
`;

describe('managing pacts as an admin', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const pactCount = async () =>
    (await sql<{ n: number }>`SELECT count(*) AS n FROM pacts`.execute(t.db.q)).rows[0]?.n;
  const eventsFor = (pactId: number) => t.services.audit.forTarget('pact', String(pactId));

  const asAdmin = () => loggedInAdmin(t);

  /** The form as an admin fills it in: opened an hour ago, deadline in 14 days, for every unit. */
  const fields = (overrides: Record<string, string | string[]> = {}) => ({
    title: 'Pakta Integritas Netralitas ASN 2024',
    body: BODY,
    place: 'Semarang',
    audience: 'all',
    opens_at: toLocalInput(new Date(t.clock.now().getTime() - HOUR), t.config.timeZone),
    deadline: toLocalInput(new Date(t.clock.now().getTime() + 14 * DAY), t.config.timeZone),
    ...overrides,
  });

  const createThroughForm = (
    agent: ReturnType<typeof browser>,
    overrides: Record<string, string | string[]> = {},
  ) => postForm(agent, '/admin/pakta/baru', '/admin/pakta', fields(overrides));

  const pactIdFrom = (res: { headers: Record<string, string> }) => {
    const id = /^\/admin\/pakta\/(\d+)$/.exec(res.headers.location ?? '')?.[1];
    if (!id) throw new Error(`not a pact page: ${res.headers.location}`);
    return Number(id);
  };

  async function openedPact(
    agent: ReturnType<typeof browser>,
    overrides: Record<string, string | string[]> = {},
  ) {
    const id = pactIdFrom(await createThroughForm(agent, overrides));
    const opened = await postForm(agent, `/admin/pakta/${id}`, `/admin/pakta/${id}/buka`);
    expect(opened.status).toBe(303);
    return id;
  }

  describe('drafting', () => {
    it('creates a draft from the form, reading times as WIB and keeping the chosen units, and records it', async () => {
      const { admin, agent } = await asAdmin();
      const setda = await t.make.unit({ name: 'Sekretariat Daerah' });
      const bkd = await t.make.unit({ name: 'Badan Kepegawaian Daerah' });
      const res = await createThroughForm(agent, {
        opens_at: '2030-01-15T08:00',
        deadline: '2030-01-29T16:30',
        audience: 'heads',
        unit_ids: [String(bkd.id), String(setda.id)],
      });
      expect(res.status).toBe(303);
      const id = pactIdFrom(res);

      const pact = await t.services.pacts.findById(id);
      expect(pact).toMatchObject({
        title: 'Pakta Integritas Netralitas ASN 2024',
        body: BODY,
        place: 'Semarang',
        audience: 'heads',
        version: 1,
        supersedesId: null,
        status: 'draft',
        bodySha256: null,
        opensAt: '2030-01-15T01:00:00.000Z',
        deadline: '2030-01-29T09:30:00.000Z',
        createdBy: admin.id,
      });
      expect(await t.services.pacts.unitIds(id)).toEqual([setda.id, bkd.id].sort((a, b) => a - b));

      const page = await agent.get(res.headers.location as string);
      expect(page.text).toContain('Draf pakta disimpan.');
      expect(page.text).toContain('15 Januari 2030 pukul 08.00 WIB');
      expect(page.text).toContain('29 Januari 2030 pukul 16.30 WIB');
      expect(page.text).toContain('Sekretariat Daerah');
      expect(page.text).toContain('Badan Kepegawaian Daerah');
      expect(page.text).toContain('Draf');
      expect((await agent.get('/admin/pakta')).text).toContain('Pakta Integritas Netralitas ASN 2024');

      const [event] = await eventsFor(id);
      expect(event).toMatchObject({ action: 'pact.created', actorUserId: admin.id });
      expect(event?.details).toMatchObject({ audience: 'heads' });
    });

    it('refuses a deadline before the opening time with 422, keeping everything typed and writing nothing', async () => {
      const { agent } = await asAdmin();
      const unit = await t.make.unit({ name: 'Dinas Pilihan' });
      const res = await createThroughForm(agent, {
        title: 'Judul yang saya ketik',
        body: 'Isi yang *saya* ketik',
        place: 'Magelang',
        opens_at: '2030-03-10T09:00',
        deadline: '2030-03-01T09:00',
        unit_ids: [String(unit.id)],
      });
      expect(res.status).toBe(422);
      expect(res.text).toContain('Batas waktu harus sesudah waktu pembukaan.');
      expect(res.text).toContain('id="deadline-error"');
      expect(res.text).toContain('value="Judul yang saya ketik"');
      expect(res.text).toContain('Isi yang *saya* ketik</textarea>');
      expect(res.text).toContain('value="Magelang"');
      expect(res.text).toContain('value="2030-03-10T09:00"');
      expect(res.text).toContain(`<option value="${unit.id}" selected>`);
      expect(await pactCount()).toBe(0);
      expect((await t.services.audit.recent(10)).map((e) => e.action)).not.toContain('pact.created');
    });

    it.each([
      [{ title: '' }, 400, 'Judul wajib diisi.'],
      [{ body: '   ' }, 400, 'Isi pakta wajib diisi.'],
      [{ opens_at: '2030-02-31T08:00' }, 400, 'Waktu dibuka harus tanggal dan jam yang sah.'],
      [{ audience: 'semua' }, 400, 'Penanda tangan belum dipilih.'],
      [{ unit_ids: ['987654'] }, 422, 'Ada unit yang tidak dikenal atau tidak aktif.'],
      [{ opens_at: '0050-01-01T08:00' }, 400, 'Waktu dibuka harus tanggal dan jam yang sah.'],
      [{ opens_at: '2020-01-01T08:00', deadline: '2020-02-01T08:00' }, 422, 'Batas waktu sudah lewat.'],
      [{ body: 'Isi dengan karakter NUL \u0000 di tengah' }, 400, 'karakter yang tidak sah'],
    ])('refuses %o with %i and a message, creating nothing', async (bad, status, message) => {
      const { agent } = await asAdmin();
      const res = await createThroughForm(agent, bad);
      expect(res.status).toBe(status);
      expect(res.text).toContain(message);
      expect(res.text).toContain('Ada isian yang perlu diperbaiki');
      expect(await pactCount()).toBe(0);
    });

    it('edits a draft and records the change', async () => {
      const { admin, agent } = await asAdmin();
      const id = pactIdFrom(await createThroughForm(agent));
      const form = await agent.get(`/admin/pakta/${id}/ubah`);
      expect(form.status).toBe(200);
      expect(form.text).toContain('Ubah draf pakta');
      expect(form.text).toContain('value="Pakta Integritas Netralitas ASN 2024"');

      const res = await postForm(agent, `/admin/pakta/${id}/ubah`, `/admin/pakta/${id}`, {
        ...fields(),
        title: 'Judul Baru',
        body: 'Isi baru.',
        audience: 'heads',
      });
      expect(res.status).toBe(303);
      expect(await t.services.pacts.findById(id)).toMatchObject({
        title: 'Judul Baru',
        body: 'Isi baru.',
        audience: 'heads',
      });
      const updated = (await eventsFor(id)).find((e) => e.action === 'pact.updated');
      expect(updated).toMatchObject({ actorUserId: admin.id });
      expect(updated?.details).toMatchObject({ title: 'Judul Baru' });
    });

    it('previews the pact as signers will see it, with the rendered Markdown and placeholder identity', async () => {
      const { agent } = await asAdmin();
      const id = pactIdFrom(await createThroughForm(agent));
      const page = await agent.get(`/admin/pakta/${id}/pratinjau`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Pratinjau: beginilah penanda tangan akan melihat pakta ini.');
      expect(page.text).toContain('<strong>sanggup</strong>');
      expect(page.text).toContain('<li>Menjaga netralitas ASN.</li>');
      expect(page.text).not.toContain('**sanggup**');
      expect(page.text).toContain('Yang bertanda tangan di bawah ini:');
      expect(page.text).toContain(': (diisi otomatis dari akun penanda tangan)</dd>');
      expect(page.text).toMatch(/<button type="submit" class="btn btn-primary btn-lg" disabled>/);
      expect(page.text).not.toContain('/tanda-tangan"');
    });

    it('never lets script or javascript: links in the body become live HTML', async () => {
      const { agent } = await asAdmin();
      const body = [
        'Pernyataan biasa.',
        '<script>alert("xss")</script>',
        '[klik di sini](javascript:alert(1))',
        '<img src="x" onerror="alert(2)">',
        '<a href="https://bkd.jatengprov.go.id" onclick="alert(3)">situs BKD</a>',
      ].join('\n\n');
      const id = pactIdFrom(await createThroughForm(agent, { body }));
      const page = await agent.get(`/admin/pakta/${id}/pratinjau`);
      expect(page.text).toContain('Pernyataan biasa.');
      expect(page.text).not.toContain('<script>alert');
      expect(page.text).not.toContain('javascript:');
      expect(page.text).not.toContain('onerror');
      expect(page.text).not.toContain('onclick');
      expect(page.text).not.toMatch(/<img src="x"/);
      expect(page.text).toContain('klik di sini');
      // An ordinary link survives without its event handler, and sends no referrer to the other site.
      expect(page.text).toMatch(
        /<a href="https:\/\/bkd\.jatengprov\.go\.id" rel="noopener noreferrer nofollow">situs BKD<\/a>/,
      );
      // The text itself is kept exactly (the body is what people sign); only its rendering is sanitised.
      expect((await t.services.pacts.findById(id))?.body).toBe(body);
    });
  });

  describe('opening', () => {
    it('refuses to open a draft whose deadline has passed, and says why', async () => {
      const { agent } = await asAdmin();
      const soon = toLocalInput(new Date(t.clock.now().getTime() + 10 * 60_000), t.config.timeZone);
      const id = pactIdFrom(await createThroughForm(agent, { deadline: soon }));
      t.clock.advance(11 * 60_000);
      const res = await postForm(agent, `/admin/pakta/${id}`, `/admin/pakta/${id}/buka`);
      expect(res.status).toBe(409);
      expect(res.text).toContain('Batas waktu pakta ini sudah lewat');
      expect((await t.services.pacts.findById(id))?.status).toBe('draft');
    });

    it('opens a draft and freezes the sha256 of the exact body', async () => {
      const { admin, agent } = await asAdmin();
      // As a browser sends a textarea: CRLF line ends; leading and trailing spaces are part of the text.
      const typed = '  Saya berjanji:\r\n\r\n1. Netral — tanpa kecuali.\r\n2. Jujur.  \r\n';
      const id = pactIdFrom(await createThroughForm(agent, { body: typed }));
      const res = await postForm(agent, `/admin/pakta/${id}`, `/admin/pakta/${id}/buka`);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/admin/pakta/${id}`);

      const stored = typed.replace(/\r\n/g, '\n');
      const pact = await t.services.pacts.findById(id);
      expect(pact?.status).toBe('open');
      expect(pact?.body).toBe(stored);
      expect(pact?.bodySha256).toBe(sha256(stored));
      expect(pact?.openedAt).toBe(t.clock.now().toISOString());

      const page = await agent.get(`/admin/pakta/${id}`);
      expect(page.text).toContain('Pakta dibuka untuk ditandatangani. Isinya kini dibekukan.');
      expect(page.text).toContain(sha256(stored));
      expect(page.text).not.toContain(`href="/admin/pakta/${id}/ubah"`);
      const opened = (await eventsFor(id)).find((e) => e.action === 'pact.opened');
      expect(opened).toMatchObject({ actorUserId: admin.id });
      expect(opened?.details).toMatchObject({ version: 1, bodySha256: sha256(stored) });
    });

    it('refuses to change an open pact, even by a crafted POST, and keeps its body', async () => {
      const { agent } = await asAdmin();
      const id = await openedPact(agent);
      const before = await t.services.pacts.findById(id);

      expect((await agent.get(`/admin/pakta/${id}/ubah`)).status).toBe(409);
      const res = await postForm(agent, `/admin/pakta/${id}`, `/admin/pakta/${id}`, {
        ...fields(),
        body: 'Isi yang diganti diam-diam.',
      });
      expect(res.status).toBe(409);
      expect(res.text).toContain('sudah dibuka atau ditutup, jadi isinya tidak dapat diubah lagi');
      // Even a crafted POST that would fail validation is told the pact is frozen, not shown an edit form.
      const invalid = await postForm(agent, `/admin/pakta/${id}`, `/admin/pakta/${id}`, {
        ...fields(),
        title: '',
      });
      expect(invalid.status).toBe(409);
      const after = await t.services.pacts.findById(id);
      expect(after?.body).toBe(BODY);
      expect(after?.bodySha256).toBe(before?.bodySha256);
      expect(after?.updatedAt).toBe(before?.updatedAt);
      expect((await eventsFor(id)).map((e) => e.action)).not.toContain('pact.updated');

      const again = await postForm(agent, `/admin/pakta/${id}`, `/admin/pakta/${id}/buka`);
      expect(again.status).toBe(409);
      expect((await eventsFor(id)).filter((e) => e.action === 'pact.opened')).toHaveLength(1);
    });
  });

  describe('revising', () => {
    it('makes one new draft version that supersedes the open pact, and a second request returns the same draft', async () => {
      const { admin, agent } = await asAdmin();
      const unit = await t.make.unit({ name: 'Dinas Lingkup' });
      const v1 = await openedPact(agent, { unit_ids: [String(unit.id)] });

      const res = await postForm(agent, `/admin/pakta/${v1}`, `/admin/pakta/${v1}/revisi`);
      expect(res.status).toBe(303);
      const v2 = pactIdFrom(res);
      expect(v2).not.toBe(v1);
      expect(await t.services.pacts.findById(v2)).toMatchObject({
        version: 2,
        supersedesId: v1,
        status: 'draft',
        body: BODY,
        bodySha256: null,
      });
      expect(await t.services.pacts.unitIds(v2)).toEqual([unit.id]);
      expect((await t.services.pacts.findById(v1))?.status).toBe('open');
      const page = await agent.get(res.headers.location as string);
      expect(page.text).toContain('Versi baru dibuat sebagai draf.');
      expect(page.text).toContain('Menggantikan versi 1');
      const revised = (await eventsFor(v1)).find((e) => e.action === 'pact.revised');
      expect(revised).toMatchObject({ actorUserId: admin.id });
      expect(revised?.details).toMatchObject({ newPactId: v2, version: 2 });

      const second = await postForm(agent, `/admin/pakta/${v1}`, `/admin/pakta/${v1}/revisi`);
      expect(second.status).toBe(303);
      expect(second.headers.location).toBe(`/admin/pakta/${v2}`);
      expect((await agent.get(second.headers.location as string)).text).toContain(
        'Versi baru pakta ini sudah ada sebagai draf.',
      );
      expect(await pactCount()).toBe(2);
      expect((await eventsFor(v1)).filter((e) => e.action === 'pact.revised')).toHaveLength(1);
    });

    it('refuses to revise a draft', async () => {
      const { agent } = await asAdmin();
      const id = pactIdFrom(await createThroughForm(agent));
      const res = await postForm(agent, `/admin/pakta/${id}`, `/admin/pakta/${id}/revisi`);
      expect(res.status).toBe(409);
      expect(res.text).toContain('Hanya pakta yang sedang dibuka yang dapat ditutup atau direvisi.');
      expect(await pactCount()).toBe(1);
    });

    it('closes version 1 when version 2 opens; a version 1 signature stays valid and the signer must sign version 2', async () => {
      const { agent } = await asAdmin();
      const unit = await t.make.unit({ name: 'Dinas Uji Versi' });
      const signer = await t.make.user({
        email: 'asn@uji.test',
        fullName: 'Rina Handayani',
        unitId: unit.id,
      });
      const v1 = await openedPact(agent);

      const person = browser(t.app);
      await logIn(person, 'asn@uji.test');
      const first = await signThroughForm(person, v1, {
        consent: '1',
        full_name: 'Rina Handayani',
        signature: '',
      });
      expect(first.status).toBe(303);
      const firstReceipt = await t.services.signatures.findValid(v1, signer.id);
      expect(firstReceipt?.pactBodySha256).toBe(sha256(BODY));

      const v2 = pactIdFrom(await postForm(agent, `/admin/pakta/${v1}`, `/admin/pakta/${v1}/revisi`));
      const newBody = `${BODY}3. Menolak politik uang.\n`;
      const edited = await postForm(agent, `/admin/pakta/${v2}/ubah`, `/admin/pakta/${v2}`, {
        ...fields(),
        body: newBody,
      });
      expect(edited.status).toBe(303);
      // Still a draft: the signer sees nothing new yet.
      expect((await person.get('/pakta')).text).toContain('Tidak ada pakta yang menunggu tanda tangan Anda.');

      const opened = await postForm(agent, `/admin/pakta/${v2}`, `/admin/pakta/${v2}/buka`);
      expect(opened.status).toBe(303);
      expect((await t.services.pacts.findById(v1))?.status).toBe('closed');
      expect(await t.services.pacts.findById(v2)).toMatchObject({
        status: 'open',
        bodySha256: sha256(newBody),
      });
      const closedByRevision = (await eventsFor(v1)).find((e) => e.action === 'pact.closed');
      expect(closedByRevision?.details).toMatchObject({ supersededBy: v2 });

      expect((await t.services.signatures.findValid(v1, signer.id))?.receiptCode).toBe(
        firstReceipt?.receiptCode,
      );
      const myPacts = await person.get('/pakta');
      expect(myPacts.text).toContain(`href="/pakta/${v2}"`);
      expect(myPacts.text).toContain('Versi 2');
      expect(myPacts.text).not.toContain('Tidak ada pakta yang menunggu tanda tangan Anda.');
      expect(myPacts.text).toContain(`href="/tanda-terima/${firstReceipt?.receiptCode}"`);

      const second = await signThroughForm(person, v2, {
        consent: '1',
        full_name: 'Rina Handayani',
        signature: '',
      });
      expect(second.status).toBe(303);
      const secondReceipt = await t.services.signatures.findValid(v2, signer.id);
      expect(secondReceipt?.pactBodySha256).toBe(sha256(newBody));
      expect(secondReceipt?.receiptCode).not.toBe(firstReceipt?.receiptCode);
      expect((await t.services.signatures.findValid(v1, signer.id))?.status).toBe('valid');
    });
  });

  describe('closing', () => {
    it('closes an open pact, records it, and signing is refused afterwards', async () => {
      const { admin, agent } = await asAdmin();
      const unit = await t.make.unit();
      await t.make.user({ email: 'asn@uji.test', fullName: 'Rina Handayani', unitId: unit.id });
      const id = await openedPact(agent);

      const res = await postForm(agent, `/admin/pakta/${id}`, `/admin/pakta/${id}/tutup`);
      expect(res.status).toBe(303);
      expect((await agent.get(res.headers.location as string)).text).toContain('Pakta ditutup.');
      expect(await t.services.pacts.findById(id)).toMatchObject({
        status: 'closed',
        closedAt: t.clock.now().toISOString(),
      });
      expect((await eventsFor(id)).find((e) => e.action === 'pact.closed')).toMatchObject({
        actorUserId: admin.id,
      });

      const person = browser(t.app);
      await logIn(person, 'asn@uji.test');
      const refused = await signThroughForm(person, id, {
        consent: '1',
        full_name: 'Rina Handayani',
        signature: '',
      });
      expect(refused.status).toBe(409);
      expect(refused.text).toContain('Pakta ini tidak sedang dibuka untuk ditandatangani.');
      expect(
        (await sql<{ n: number }>`SELECT count(*) AS n FROM signatures`.execute(t.db.q)).rows[0]?.n,
      ).toBe(0);

      const again = await postForm(agent, `/admin/pakta/${id}`, `/admin/pakta/${id}/tutup`);
      expect(again.status).toBe(409);
      expect((await eventsFor(id)).filter((e) => e.action === 'pact.closed')).toHaveLength(1);
    });
  });

  describe('who may manage pacts', () => {
    it.each([['operator'], ['signer']] as const)(
      'gives a %s a 403 page and lets them create nothing',
      async (role) => {
        await t.make.user({ role, email: 'bukan-admin@uji.test' });
        const agent = browser(t.app);
        await logIn(agent, 'bukan-admin@uji.test');
        for (const path of ['/admin/pakta', '/admin/pakta/baru']) {
          const page = await agent.get(path);
          expect(page.status).toBe(403);
          expect(page.text).toContain('Anda tidak memiliki akses ke halaman ini.');
        }
        const res = await postForm(agent, '/akun', '/admin/pakta', fields());
        expect(res.status).toBe(403);
        expect(await pactCount()).toBe(0);
      },
    );

    it('sends a visitor who is not logged in to the login page', async () => {
      const res = await browser(t.app).get('/admin/pakta');
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/masuk?next=%2Fadmin%2Fpakta');
    });

    it('answers an unknown pact with a 404 page', async () => {
      const { agent } = await asAdmin();
      expect((await agent.get('/admin/pakta/424242')).status).toBe(404);
      expect((await agent.get('/admin/pakta/abc/pratinjau')).status).toBe(404);
    });
  });
});

describe('the pact page lists the latest signings for admins', () => {
  it('links each recent signing to its receipt, showing voided ones as such', async () => {
    const t = await createTestApp();
    try {
      const unit = await t.make.unit();
      await t.make.user({ role: 'admin', email: 'admin@uji.test', nip: null });
      const signer = await t.make.user({
        unitId: unit.id,
        fullName: 'Rina Handayani',
        email: 'rina@uji.test',
      });
      const pact = await makePact(t.services, { audience: 'all' });
      const signerBrowser = browser(t.app);
      await logIn(signerBrowser, 'rina@uji.test');
      const signed = await signThroughForm(signerBrowser, pact.id, {
        consent: '1',
        full_name: signer.fullName,
      });
      const code = String(signed.headers.location).split('/').pop() as string;

      const admin = browser(t.app);
      await logIn(admin, 'admin@uji.test');
      const page = await admin.get(`/admin/pakta/${pact.id}`);
      expect(page.text).toContain('Penandatanganan terbaru');
      expect(page.text).toContain('Rina Handayani');
      expect(page.text).toContain(`href="/tanda-terima/${code}"`);
      expect(page.text).toContain(
        `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}-${code.slice(12)}`,
      );
    } finally {
      await t.close();
    }
  });
});

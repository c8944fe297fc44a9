import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatNip } from '../../src/directory/nip.js';
import { verifyLedger } from '../../src/ledger/verify-ledger.js';
import { TEST_PASSWORD } from '../helpers/factories.js';
import { browser, csrfTokenFrom, logIn } from '../helpers/http.js';
import { makePact, pngDataUrl, signaturePng, signThroughForm } from '../helpers/pacts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const RECEIPT_PATH = /^\/tanda-terima\/([A-HJ-NP-Z2-9]{16})$/;
const NOT_FOR_YOU = 'Pakta ini tidak ditujukan kepada Anda.';
const NOT_READABLE = 'Gambar tanda tangan tidak dapat dibaca.';
const TOO_LARGE = 'Gambar tanda tangan terlalu besar.';

describe('signing a pact', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const countSignatures = async () =>
    (await sql<{ n: number }>`SELECT count(*) AS n FROM signatures`.execute(t.db.q)).rows[0]?.n;
  const actions = async () => (await t.services.audit.recent(100)).map((e) => e.action);

  /** A unit with a head and a staff member, both logged in on their own browsers. */
  async function office() {
    const unit = await t.make.unit({ code: 'DISKOMINFO', name: 'Dinas Komunikasi dan Informatika' });
    const head = await t.make.user({
      email: 'kepala@uji.test',
      fullName: 'Bambang Setiawan',
      unitId: unit.id,
    });
    await t.services.units.setHead(unit.id, head.id, t.clock.now());
    const staff = await t.make.user({ email: 'asn@uji.test', fullName: 'Dewi Lestari', unitId: unit.id });
    const headBrowser = browser(t.app);
    await logIn(headBrowser, 'kepala@uji.test');
    const staffBrowser = browser(t.app);
    await logIn(staffBrowser, 'asn@uji.test');
    return { unit, head, staff, headBrowser, staffBrowser };
  }

  describe('the whole journey', () => {
    it('lets a head find the heads pact, read it as paper, sign it and get a receipt, recording it everywhere', async () => {
      const { head, headBrowser } = await office();
      const pact = await makePact(t.services, {
        audience: 'heads',
        title: 'Pakta Integritas Kepala OPD 2024',
        deadline: new Date(t.clock.now().getTime() + 10 * DAY),
      });

      const list = await headBrowser.get('/pakta');
      expect(list.status).toBe(200);
      expect(list.text).toContain('Pakta Integritas Kepala OPD 2024');
      expect(list.text).toContain('10 hari lagi');
      expect(list.text).toContain(`href="/pakta/${pact.id}"`);

      const page = await headBrowser.get(`/pakta/${pact.id}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Yang bertanda tangan di bawah ini:');
      expect(page.text).toMatch(/: Bambang Setiawan<\/dd>/);
      expect(page.text).toContain(`: ${formatNip(head.nip as string)}</dd>`);
      expect(page.text).toContain(': Analis Kebijakan</dd>');
      expect(page.text).toContain(': Dinas Komunikasi dan Informatika</dd>');
      expect(page.text).toContain('<strong>netralitas</strong>');
      expect(page.text).not.toContain('name="password"');

      const res = await signThroughForm(headBrowser, pact.id, {
        consent: '1',
        full_name: '  bambang    SETIAWAN ',
        signature: '',
      });
      expect(res.status).toBe(303);
      const code = RECEIPT_PATH.exec(res.headers.location as string)?.[1] as string;
      expect(code).toBeDefined();

      const receipt = await headBrowser.get(res.headers.location as string);
      expect(receipt.status).toBe(200);
      expect(receipt.text).toContain('Terima kasih. Penandatanganan Anda telah tercatat.');
      const grouped = code.replace(/(.{4})(?=.)/g, '$1-');
      expect(grouped).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      expect(receipt.text).toContain(`<dd class="receipt-code">${grouped}</dd>`);
      expect(receipt.text).toContain('Ditandatangani secara elektronik dengan mengetik nama lengkap.');

      const signatures = await t.services.signatures.forUser(head.id);
      expect(signatures).toHaveLength(1);
      const signature = signatures[0];
      expect(signature).toMatchObject({
        pactId: pact.id,
        userId: head.id,
        fullName: 'Bambang Setiawan',
        nip: head.nip,
        position: 'Analis Kebijakan',
        unitId: head.unitId,
        unitName: 'Dinas Komunikasi dan Informatika',
        wasHead: true,
        status: 'valid',
        receiptCode: code,
        pactBodySha256: pact.bodySha256,
        signatureSha256: null,
        ledgerSeq: 1,
      });
      expect(signature?.ip).toBeTruthy();
      expect(await t.services.signatures.image(signature?.id as number)).toBeNull();

      const entry = await t.services.ledger.head();
      expect(entry).toMatchObject({ seq: 1, kind: 'sign', signatureId: signature?.id });
      expect(entry?.payload).toContain(`"receiptCode":"${code}"`);
      expect(entry?.payload).toContain(`"pactBodySha256":"${pact.bodySha256}"`);

      const event = (await t.services.audit.recent(100)).find((e) => e.action === 'signature.created');
      expect(event).toMatchObject({ actorUserId: head.id, targetType: 'signature' });
      expect(event?.details).toMatchObject({ pactId: pact.id, receiptCode: code, ledgerSeq: 1 });

      const after = await headBrowser.get('/pakta');
      expect(after.text).toContain('Tidak ada pakta yang menunggu tanda tangan Anda.');
      expect(after.text).toContain(`href="/tanda-terima/${code}"`);
      const again = await headBrowser.get(`/pakta/${pact.id}`);
      expect(again.text).toContain('Anda sudah menandatangani pakta ini.');
      expect(again.text).not.toContain('action="/pakta/');
    });

    it('lets a staff member sign a pact for all ASN, recorded as not a head', async () => {
      const { staff, staffBrowser } = await office();
      const pact = await makePact(t.services, {
        audience: 'all',
        title: 'Pakta Netralitas Seluruh ASN',
        deadline: new Date(t.clock.now().getTime() + 3 * DAY),
      });

      const list = await staffBrowser.get('/pakta');
      expect(list.text).toContain('Pakta Netralitas Seluruh ASN');
      expect(list.text).toContain('3 hari lagi');
      const page = await staffBrowser.get(`/pakta/${pact.id}`);
      expect(page.text).toMatch(/: Dewi Lestari<\/dd>/);
      expect(page.text).toContain(`: ${formatNip(staff.nip as string)}</dd>`);

      const res = await signThroughForm(staffBrowser, pact.id, {
        consent: '1',
        full_name: 'DEWI lestari',
        signature: '',
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(RECEIPT_PATH);
      const [signature] = await t.services.signatures.forUser(staff.id);
      expect(signature).toMatchObject({ pactId: pact.id, fullName: 'Dewi Lestari', wasHead: false });
      expect((await t.services.ledger.head())?.signatureId).toBe(signature?.id);
      expect(await actions()).toContain('signature.created');
    });
  });

  describe('my pacts', () => {
    it('lists the pacts to sign with the nearest deadline first', async () => {
      const { staffBrowser } = await office();
      const now = t.clock.now().getTime();
      for (const [title, days] of [
        ['Pakta Tiga Minggu', 21],
        ['Pakta Dua Hari', 2],
        ['Pakta Sepuluh Hari', 10],
      ] as const) {
        await makePact(t.services, { title, deadline: new Date(now + days * DAY) });
      }
      const list = (await staffBrowser.get('/pakta')).text;
      const at = (title: string) => list.indexOf(title);
      expect(at('Pakta Dua Hari')).toBeGreaterThan(0);
      expect(at('Pakta Dua Hari')).toBeLessThan(at('Pakta Sepuluh Hari'));
      expect(at('Pakta Sepuluh Hari')).toBeLessThan(at('Pakta Tiga Minggu'));
    });

    it('thanks once for a signing, and tells a second tab it was signed already', async () => {
      const { staffBrowser } = await office();
      const pact = await makePact(t.services);
      const token = csrfTokenFrom((await staffBrowser.get(`/pakta/${pact.id}`)).text);
      const submit = () =>
        staffBrowser
          .post(`/pakta/${pact.id}/tanda-tangan`)
          .type('form')
          .send({ _csrf: token, consent: '1', full_name: 'Dewi Lestari', signature: '' });
      const first = await submit();
      const receipt = await staffBrowser.get(first.headers.location as string);
      expect(receipt.text).toContain('Terima kasih. Penandatanganan Anda telah tercatat.');
      expect((await staffBrowser.get(first.headers.location as string)).text).not.toContain('Terima kasih.');

      const second = await submit();
      expect(second.headers.location).toBe(first.headers.location);
      const again = await staffBrowser.get(second.headers.location as string);
      expect(again.text).toContain('Anda sudah menandatangani pakta ini.');
      expect(again.text).not.toContain('Terima kasih.');
    });
  });

  describe('who a pact is for', () => {
    it('refuses a heads pact to a staff member with a 403 page and writes nothing', async () => {
      const { staffBrowser } = await office();
      const pact = await makePact(t.services, { audience: 'heads', title: 'Khusus Kepala' });

      const list = await staffBrowser.get('/pakta');
      expect(list.text).not.toContain('Khusus Kepala');
      expect(list.text).toContain('Tidak ada pakta yang menunggu tanda tangan Anda.');

      const page = await staffBrowser.get(`/pakta/${pact.id}`);
      expect(page.status).toBe(403);
      expect(page.text).toContain(NOT_FOR_YOU);
      expect(page.text).not.toContain('Yang bertanda tangan di bawah ini');

      const res = await signThroughForm(staffBrowser, pact.id, {
        consent: '1',
        full_name: 'Dewi Lestari',
        signature: '',
      });
      expect(res.status).toBe(403);
      expect(res.text).toContain(NOT_FOR_YOU);
      expect(await countSignatures()).toBe(0);
      expect(await t.services.ledger.head()).toBeUndefined();
    });

    it('includes people of sub-units in a unit-scoped pact and leaves out a sibling unit', async () => {
      const province = await t.make.unit({ name: 'Pemerintah Provinsi Uji' });
      const setda = await t.make.unit({ name: 'Sekretariat Daerah', parentId: province.id });
      const biro = await t.make.unit({ name: 'Biro Umum', parentId: setda.id });
      const dinas = await t.make.unit({ name: 'Dinas Sebelah', parentId: province.id });
      const inBiro = await t.make.user({ email: 'biro@uji.test', fullName: 'Agus Biro', unitId: biro.id });
      await t.make.user({ email: 'dinas@uji.test', fullName: 'Sari Dinas', unitId: dinas.id });
      const pact = await makePact(t.services, { audience: 'all', unitIds: [setda.id], title: 'Pakta Setda' });

      const biroBrowser = browser(t.app);
      await logIn(biroBrowser, 'biro@uji.test');
      expect((await biroBrowser.get('/pakta')).text).toContain('Pakta Setda');
      const page = await biroBrowser.get(`/pakta/${pact.id}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain(': Biro Umum</dd>');
      const signed = await signThroughForm(biroBrowser, pact.id, {
        consent: '1',
        full_name: 'Agus Biro',
        signature: '',
      });
      expect(signed.status).toBe(303);
      expect((await t.services.signatures.forUser(inBiro.id))[0]).toMatchObject({ unitName: 'Biro Umum' });

      const dinasBrowser = browser(t.app);
      await logIn(dinasBrowser, 'dinas@uji.test');
      expect((await dinasBrowser.get('/pakta')).text).not.toContain('Pakta Setda');
      expect((await dinasBrowser.get(`/pakta/${pact.id}`)).status).toBe(403);
      const refused = await signThroughForm(dinasBrowser, pact.id, {
        consent: '1',
        full_name: 'Sari Dinas',
        signature: '',
      });
      expect(refused.status).toBe(403);
      expect(refused.text).toContain(NOT_FOR_YOU);
      expect(await countSignatures()).toBe(1);
    });
  });

  describe('the drawn signature', () => {
    it('stores a real drawing with its sha256 and shows it on the receipt', async () => {
      const { staff, staffBrowser } = await office();
      const pact = await makePact(t.services);
      const png = signaturePng();
      const res = await signThroughForm(staffBrowser, pact.id, {
        consent: '1',
        full_name: 'Dewi Lestari',
        signature: pngDataUrl(png),
      });
      expect(res.status).toBe(303);
      const [signature] = await t.services.signatures.forUser(staff.id);
      const stored = await t.services.signatures.image(signature?.id as number);
      expect(stored).not.toBeNull();
      expect(stored?.equals(png)).toBe(true);
      expect(signature?.signatureSha256).toBe(createHash('sha256').update(png).digest('hex'));
      expect((await t.services.ledger.head())?.payload).toContain(
        `"signatureSha256":"${signature?.signatureSha256}"`,
      );

      const receipt = await staffBrowser.get(res.headers.location as string);
      expect(receipt.text).toContain(`class="pact-signature-image" src="${pngDataUrl(png)}"`);
      expect(receipt.text).not.toContain('dengan mengetik nama lengkap');
    });

    it('treats a blank (fully transparent) drawing as signing with the typed name only', async () => {
      const { staff, staffBrowser } = await office();
      const pact = await makePact(t.services);
      const res = await signThroughForm(staffBrowser, pact.id, {
        consent: '1',
        full_name: 'Dewi Lestari',
        signature: pngDataUrl(signaturePng({ blank: true })),
      });
      expect(res.status).toBe(303);
      const [signature] = await t.services.signatures.forUser(staff.id);
      expect(signature?.signatureSha256).toBeNull();
      expect(await t.services.signatures.image(signature?.id as number)).toBeNull();
      const receipt = await staffBrowser.get(res.headers.location as string);
      expect(receipt.text).toContain('Ditandatangani secara elektronik dengan mengetik nama lengkap.');
      expect(receipt.text).not.toContain('pact-signature-image');
    });

    it.each([
      [
        'text dressed up as a PNG',
        `data:image/png;base64,${Buffer.from('ini bukan gambar PNG sama sekali').toString('base64')}`,
        NOT_READABLE,
      ],
      [
        'a JPEG',
        'data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==',
        NOT_READABLE,
      ],
      [
        'a PNG whose pixels are cut off',
        `data:image/png;base64,${signaturePng().subarray(0, 60).toString('base64')}`,
        NOT_READABLE,
      ],
      [
        'a canvas far wider than any signature pad (4000×100)',
        pngDataUrl(signaturePng({ width: 4000, height: 100 })),
        TOO_LARGE,
      ],
    ])(
      'refuses %s with 422 and a message beside the field, writing nothing',
      async (_what, dataUrl, message) => {
        const { staffBrowser } = await office();
        const pact = await makePact(t.services);
        const res = await signThroughForm(staffBrowser, pact.id, {
          consent: '1',
          full_name: 'Dewi Lestari',
          signature: dataUrl,
        });
        expect(res.status).toBe(422);
        expect(res.text).toContain('id="signature-error"');
        expect(res.text).toContain(message);
        expect(await countSignatures()).toBe(0);
        expect(await t.services.ledger.head()).toBeUndefined();
        expect(await actions()).not.toContain('signature.created');
      },
    );

    it('refuses a drawing over 150 KB and writes nothing', async () => {
      const { staffBrowser } = await office();
      const pact = await makePact(t.services);
      // Noise does not compress: about 180 KB of PNG within the allowed width and height.
      const png = signaturePng({ width: 300, height: 150 });
      const noisy = Buffer.concat([png.subarray(0, 33), Buffer.alloc(180 * 1024, 7), png.subarray(33)]);
      const res = await signThroughForm(staffBrowser, pact.id, {
        consent: '1',
        full_name: 'Dewi Lestari',
        signature: pngDataUrl(noisy),
      });
      expect(res.status).toBe(422);
      expect(res.text).toContain(TOO_LARGE);
      // What was typed is kept.
      expect(res.text).toContain('value="Dewi Lestari"');
      expect(await countSignatures()).toBe(0);
      expect(await t.services.ledger.head()).toBeUndefined();
    });
  });

  describe('the declaration', () => {
    it('refuses a typed name that is not the account name, keeping what was typed and the consent', async () => {
      const { staffBrowser } = await office();
      const pact = await makePact(t.services);
      const res = await signThroughForm(staffBrowser, pact.id, {
        consent: '1',
        full_name: 'Dewi Lestary',
        signature: '',
      });
      expect(res.status).toBe(422);
      expect(res.text).toContain('Nama yang diketik tidak sama dengan nama di akun Anda.');
      expect(res.text).toContain('value="Dewi Lestary"');
      expect(res.text).toMatch(/name="consent" value="1" checked/);
      expect(res.text).toContain('aria-invalid="true"');
      expect(await countSignatures()).toBe(0);
    });

    it('refuses a signing without consent, keeping the typed name and leaving the box unticked', async () => {
      const { staffBrowser } = await office();
      const pact = await makePact(t.services);
      const res = await signThroughForm(staffBrowser, pact.id, { full_name: 'Dewi Lestari', signature: '' });
      expect(res.status).toBe(422);
      expect(res.text).toContain('Centang pernyataan persetujuan untuk menandatangani.');
      expect(res.text).toContain('value="Dewi Lestari"');
      expect(res.text).not.toMatch(/name="consent" value="1" checked/);
      expect(await countSignatures()).toBe(0);
      expect(await t.services.ledger.head()).toBeUndefined();
    });

    it('ignores forged user_id and unit_id fields: the signature is the logged-in user’s own', async () => {
      const { unit, head, staff, staffBrowser } = await office();
      const elsewhere = await t.make.unit({ name: 'Unit Palsu' });
      const pact = await makePact(t.services);
      const res = await signThroughForm(staffBrowser, pact.id, {
        consent: '1',
        full_name: 'Dewi Lestari',
        signature: '',
        user_id: String(head.id),
        unit_id: String(elsewhere.id),
      });
      expect(res.status).toBe(303);
      expect(await t.services.signatures.forUser(head.id)).toHaveLength(0);
      const [signature] = await t.services.signatures.forUser(staff.id);
      expect(signature).toMatchObject({ userId: staff.id, unitId: unit.id, unitName: unit.name });
      expect(await countSignatures()).toBe(1);
    });
  });

  describe('when a pact cannot be signed', () => {
    it('does not show a draft to signers at all (404) and writes nothing on a POST', async () => {
      const { staffBrowser } = await office();
      const draft = await makePact(t.services, { status: 'draft', title: 'Draf Rahasia' });
      expect((await staffBrowser.get('/pakta')).text).not.toContain('Draf Rahasia');
      const page = await staffBrowser.get(`/pakta/${draft.id}`);
      expect(page.status).toBe(404);
      expect(page.text).not.toContain('Draf Rahasia');
      const res = await signThroughForm(staffBrowser, draft.id, {
        consent: '1',
        full_name: 'Dewi Lestari',
        signature: '',
      });
      expect(res.status).toBe(404);
      expect(res.text).toContain('Halaman tidak ditemukan');
      expect(await countSignatures()).toBe(0);
    });

    it('shows a closed pact without a form and refuses a POST to it with a 409 page', async () => {
      const { staffBrowser } = await office();
      const pact = await makePact(t.services, { status: 'closed', title: 'Pakta Lama' });
      const page = await staffBrowser.get(`/pakta/${pact.id}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Pakta ini sudah ditutup.');
      expect(page.text).not.toContain(`action="/pakta/${pact.id}/tanda-tangan"`);
      const res = await signThroughForm(staffBrowser, pact.id, {
        consent: '1',
        full_name: 'Dewi Lestari',
        signature: '',
      });
      expect(res.status).toBe(409);
      expect(res.text).toContain('Pakta ini tidak sedang dibuka untuk ditandatangani.');
      expect(await countSignatures()).toBe(0);
    });

    it('refuses signing after the deadline with a 409 page saying the deadline has passed', async () => {
      const { staffBrowser } = await office();
      const pact = await makePact(t.services, { deadline: new Date(t.clock.now().getTime() + 10 * MINUTE) });
      const token = csrfTokenFrom((await staffBrowser.get(`/pakta/${pact.id}`)).text);
      t.clock.advance(11 * MINUTE);
      const page = await staffBrowser.get(`/pakta/${pact.id}`);
      expect(page.text).toContain('Batas waktu penandatanganan pakta ini sudah lewat.');
      const res = await staffBrowser
        .post(`/pakta/${pact.id}/tanda-tangan`)
        .type('form')
        .send({ _csrf: token, consent: '1', full_name: 'Dewi Lestari', signature: '' });
      expect(res.status).toBe(409);
      expect(res.text).toContain('Batas waktu penandatanganan pakta ini sudah lewat.');
      expect(await countSignatures()).toBe(0);
    });

    it('refuses signing before the pact opens', async () => {
      const { staffBrowser } = await office();
      const pact = await makePact(t.services, {
        opensAt: new Date(t.clock.now().getTime() + DAY),
        deadline: new Date(t.clock.now().getTime() + 5 * DAY),
      });
      const res = await signThroughForm(staffBrowser, pact.id, {
        consent: '1',
        full_name: 'Dewi Lestari',
        signature: '',
      });
      expect(res.status).toBe(409);
      expect(res.text).toContain('belum dibuka untuk ditandatangani');
      expect(await countSignatures()).toBe(0);
    });

    it.each([['9999'], ['abc'], ['1abc'], ['-1']])('answers /pakta/%s with a 404 page', async (id) => {
      const { staffBrowser } = await office();
      await makePact(t.services);
      const page = await staffBrowser.get(`/pakta/${id}`);
      expect(page.status).toBe(404);
      expect(page.text).toContain('Halaman tidak ditemukan');
      const res = await signThroughForm(staffBrowser, id, {
        consent: '1',
        full_name: 'Dewi Lestari',
        signature: '',
      });
      expect(res.status).toBe(404);
      expect(await countSignatures()).toBe(0);
    });
  });

  it('makes exactly one signature from a double submit, and both answers lead to the same receipt', async () => {
    const { staff, staffBrowser } = await office();
    const pact = await makePact(t.services);
    const token = csrfTokenFrom((await staffBrowser.get(`/pakta/${pact.id}`)).text);
    const submit = () =>
      staffBrowser
        .post(`/pakta/${pact.id}/tanda-tangan`)
        .type('form')
        .send({
          _csrf: token,
          consent: '1',
          full_name: 'Dewi Lestari',
          signature: pngDataUrl(signaturePng()),
        });
    const [first, second] = await Promise.all([submit(), submit()]);
    expect(first.status).toBe(303);
    expect(second.status).toBe(303);
    expect(first.headers.location).toMatch(RECEIPT_PATH);
    expect(second.headers.location).toBe(first.headers.location);
    expect(await countSignatures()).toBe(1);
    expect(await t.services.signatures.findValid(pact.id, staff.id)).toBeDefined();
    expect((await t.services.ledger.head())?.seq).toBe(1);
    expect((await actions()).filter((a) => a === 'signature.created')).toHaveLength(1);
  });

  it('signs many people at the same moment, each with their own receipt, in a gapless and valid ledger', async () => {
    const unit = await t.make.unit({ name: 'Dinas Ramai' });
    const pact = await makePact(t.services);
    const people = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.make.user({ email: `asn${i}@uji.test`, fullName: `Pegawai Nomor ${i}`, unitId: unit.id }),
      ),
    );
    const forms = await Promise.all(
      people.map(async (person, i) => {
        const agent = browser(t.app);
        await logIn(agent, `asn${i}@uji.test`);
        const token = csrfTokenFrom((await agent.get(`/pakta/${pact.id}`)).text);
        return { person, agent, token };
      }),
    );
    const answers = await Promise.all(
      forms.map(({ person, agent, token }) =>
        agent
          .post(`/pakta/${pact.id}/tanda-tangan`)
          .type('form')
          .send({ _csrf: token, consent: '1', full_name: person.fullName, signature: '' }),
      ),
    );
    expect(answers.map((res) => res.status)).toEqual(people.map(() => 303));
    const receipts = answers.map((res) => RECEIPT_PATH.exec(res.headers.location ?? '')?.[1]);
    expect(new Set(receipts).size).toBe(people.length);
    for (const [i, person] of people.entries()) {
      expect((await t.services.signatures.findValid(pact.id, person.id))?.receiptCode).toBe(receipts[i]);
    }
    expect((await t.services.ledger.head())?.seq).toBe(people.length);
    expect(await verifyLedger(t.services.ledger, t.clock)).toMatchObject({
      ok: true,
      entries: people.length,
    });
    expect((await actions()).filter((a) => a === 'signature.created')).toHaveLength(people.length);
  });

  describe('odd requests', () => {
    it.each(['1e0', '01', '0x1', '1.0', '-1', '9'.repeat(40)])(
      'answers /pakta/%s with 404, not another pact',
      async (id) => {
        const { staffBrowser } = await office();
        await makePact(t.services);
        const res = await staffBrowser.get(`/pakta/${id}`);
        expect(res.status).toBe(404);
        expect(res.text).toContain('Halaman tidak ditemukan');
      },
    );

    it('explains a consent value other than the checkbox sends as missing consent', async () => {
      const { staffBrowser } = await office();
      const pact = await makePact(t.services);
      const res = await signThroughForm(staffBrowser, pact.id, { consent: 'ya', full_name: 'Dewi Lestari' });
      expect(res.status).toBe(400);
      expect(res.text).toContain('Centang pernyataan persetujuan');
      expect(await countSignatures()).toBe(0);
    });

    it('gives a second submit its receipt even after the head has been replaced meanwhile', async () => {
      const { unit, head, headBrowser } = await office();
      const pact = await makePact(t.services, { audience: 'heads' });
      const first = await signThroughForm(headBrowser, pact.id, { consent: '1', full_name: head.fullName });
      const successor = await t.make.user({ unitId: unit.id, email: 'pengganti@uji.test' });
      await t.services.units.setHead(unit.id, successor.id, t.clock.now());
      const second = await signThroughForm(headBrowser, pact.id, { consent: '1', full_name: head.fullName });
      expect(second.status).toBe(303);
      expect(second.headers.location).toBe(first.headers.location);
    });
  });

  describe('confirming the password after 15 minutes', () => {
    it('asks for the password again, refuses a missing or wrong one, and signs with the right one', async () => {
      const { staff, staffBrowser } = await office();
      const pact = await makePact(t.services);
      t.clock.advance(16 * MINUTE);

      const page = await staffBrowser.get(`/pakta/${pact.id}`);
      expect(page.text).toContain('name="password"');
      expect(page.text).toContain('Anda masuk lebih dari 15 menit yang lalu');

      const fields = { consent: '1', full_name: 'Dewi Lestari', signature: '' };
      // Without a password (the page may have been opened before the 15 minutes were up) it asks, and counts nothing.
      const missing = await signThroughForm(staffBrowser, pact.id, fields);
      expect(missing.status).toBe(422);
      expect(missing.text).toContain('Masukkan kata sandi Anda untuk melanjutkan');
      expect(missing.text).toContain('value="Dewi Lestari"');
      expect((await t.services.users.findById(staff.id))?.failedLogins).toBe(0);
      const wrong = await signThroughForm(staffBrowser, pact.id, {
        ...fields,
        password: 'bukan-kata-sandinya',
      });
      expect(wrong.status).toBe(422);
      expect(wrong.text).toContain('Kata sandi salah.');
      expect(wrong.text).not.toContain('bukan-kata-sandinya');
      expect(await countSignatures()).toBe(0);
      const refusals = (await t.services.audit.recent(100)).filter(
        (e) => e.action === 'signing.password_refused',
      );
      expect(refusals).toHaveLength(1);
      expect(refusals[0]?.actorUserId).toBe(staff.id);

      const right = await signThroughForm(staffBrowser, pact.id, { ...fields, password: TEST_PASSWORD });
      expect(right.status).toBe(303);
      expect(right.headers.location).toMatch(RECEIPT_PATH);
      expect(await t.services.signatures.forUser(staff.id)).toHaveLength(1);
      expect((await t.services.users.findById(staff.id))?.failedLogins).toBe(0);

      // Confirmed just now: the next pact does not ask again.
      const next = await makePact(t.services);
      expect((await staffBrowser.get(`/pakta/${next.id}`)).text).not.toContain('name="password"');
    });

    it('does not ask for the password within 15 minutes of logging in', async () => {
      const { staffBrowser } = await office();
      const pact = await makePact(t.services);
      t.clock.advance(14 * MINUTE);
      expect((await staffBrowser.get(`/pakta/${pact.id}`)).text).not.toContain('name="password"');
      const res = await signThroughForm(staffBrowser, pact.id, {
        consent: '1',
        full_name: 'Dewi Lestari',
        signature: '',
      });
      expect(res.status).toBe(303);
    });
  });
});

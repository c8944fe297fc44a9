import { afterEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/record-event.js';
import { formatNip } from '../../src/directory/nip.js';
import { openPact } from '../../src/pledges/pacts/open-pact.js';
import { revisePact } from '../../src/pledges/pacts/revise-pact.js';
import { type Agent, browser, logIn } from '../helpers/http.js';
import {
  binaryParser,
  makePact,
  pdfText,
  pngDataUrl,
  postForm,
  receiptQrText,
  signaturePng,
  signThroughForm,
} from '../helpers/pacts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const REASON = 'Ditandatangani oleh orang yang salah di ruang rapat.';
const THANKS = 'Terima kasih. Penandatanganan Anda telah tercatat.';
const SIGN_AGAIN = 'Silakan tandatangani ulang pakta ini.';
const DAY = 24 * 3_600_000;
const group = (code: string) => code.replace(/(.{4})(?=.)/g, '$1-');

describe('receipts', () => {
  let t: TestApp;
  afterEach(() => t.close());

  /** Rina signs an open pact for all ASN through the form; Agus (same unit) and an admin exist. */
  async function signed(env: Record<string, string> = {}) {
    t = await createTestApp(env);
    const unit = await t.make.unit({ name: 'Badan Kepegawaian Daerah' });
    const owner = await t.make.user({ email: 'rina@uji.test', fullName: 'Rina Handayani', unitId: unit.id });
    await t.make.user({ email: 'agus@uji.test', fullName: 'Agus Pranoto', unitId: unit.id });
    const admin = await t.make.user({
      role: 'admin',
      email: 'admin@uji.test',
      nip: null,
      fullName: 'Admin Uji',
    });
    const pact = await makePact(t.services, { title: 'Pakta Netralitas BKD', place: 'Semarang' });
    const ownerBrowser = browser(t.app);
    await logIn(ownerBrowser, 'rina@uji.test');
    const res = await signThroughForm(ownerBrowser, pact.id, {
      consent: '1',
      full_name: 'Rina Handayani',
      signature: pngDataUrl(signaturePng()),
    });
    expect(res.status).toBe(303);
    const code = (await t.services.signatures.forUser(owner.id))[0]?.receiptCode as string;
    // As a browser does: the signing's answer leads to the receipt.
    const receiptPage = await ownerBrowser.get(res.headers.location as string);
    return { unit, owner, admin, pact, ownerBrowser, code, grouped: group(code), receiptPage };
  }

  const loggedIn = async (username: string) => {
    const agent = browser(t.app);
    await logIn(agent, username);
    return agent;
  };

  const voidAs = (agent: Agent, code: string, reason: string) =>
    postForm(agent, `/tanda-terima/${code}`, `/tanda-terima/${code}/batal`, { reason });

  describe('who may see a receipt', () => {
    it('shows the receipt to the person who signed, with the code grouped and the drawn signature', async () => {
      const { owner, ownerBrowser, code, grouped, receiptPage } = await signed();
      expect(receiptPage.text).toContain(THANKS);
      const page = await ownerBrowser.get(`/tanda-terima/${code}`);
      expect(page.status).toBe(200);
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.text).toContain(`<dd class="receipt-code">${grouped}</dd>`);
      expect(page.text).toContain(': Rina Handayani</dd>');
      expect(page.text).toContain(formatNip(owner.nip as string));
      expect(page.text).toContain('Pakta Netralitas BKD');
      expect(page.text).toContain('class="pact-signature-image" src="data:image/png;base64,');
      expect(page.text).toContain('Entri #1');
      expect(page.text).toContain((await t.services.ledger.head())?.hash as string);
      expect(page.text).not.toContain('Batalkan tanda tangan');
      // The thanks were said once, after signing: not on a later visit.
      expect(page.text).not.toContain(THANKS);
      // The grouped code, as printed, opens the same receipt.
      expect((await ownerBrowser.get(`/tanda-terima/${grouped}`)).text).toContain('Rina Handayani');
    });

    it('shows any receipt to an admin, with the form to void it', async () => {
      const { code } = await signed();
      const admin = await loggedIn('admin@uji.test');
      const page = await admin.get(`/tanda-terima/${code}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain(': Rina Handayani</dd>');
      expect(page.text).toContain('Batalkan tanda tangan');
      expect(page.text).toContain(`action="/tanda-terima/${group(code)}/batal"`);
      expect(page.text).not.toContain('Terima kasih. Penandatanganan Anda telah tercatat.');
    });

    it('answers another signer with 404, as if the receipt did not exist, for the page and the PDF', async () => {
      const { code } = await signed();
      const other = await loggedIn('agus@uji.test');
      for (const path of [`/tanda-terima/${code}`, `/tanda-terima/${code}.pdf`]) {
        const res = await other.get(path);
        expect(res.status).toBe(404);
        expect(res.text).toContain('Halaman tidak ditemukan');
        expect(res.text).not.toContain('Rina Handayani');
      }
      const unknown = await other.get('/tanda-terima/ABCD-EFGH-JKLM-NPQR');
      expect(unknown.status).toBe(404);
    });

    it('sends a visitor who is not logged in to the login page and back afterwards', async () => {
      const { code } = await signed();
      const visitor = browser(t.app);
      const res = await visitor.get(`/tanda-terima/${code}`);
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe(`/masuk?next=${encodeURIComponent(`/tanda-terima/${code}`)}`);
      expect(res.text).not.toContain('Rina Handayani');
      const pdf = await visitor.get(`/tanda-terima/${code}.pdf`);
      expect(pdf.status).toBe(302);
      expect(pdf.headers.location).toMatch(/^\/masuk\?next=/);

      const login = await logIn(visitor, 'rina@uji.test', undefined, `/tanda-terima/${code}`);
      expect(login.headers.location).toBe(`/tanda-terima/${code}`);
    });
  });

  describe('the PDF', () => {
    it('is a PDF download carrying the name, NIP, pact and receipt code', async () => {
      const { owner, ownerBrowser, code, grouped } = await signed();
      const res = await ownerBrowser.get(`/tanda-terima/${grouped}.pdf`).buffer(true).parse(binaryParser);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/pdf/);
      expect(res.headers['content-disposition']).toBe(`attachment; filename="tanda-terima-${grouped}.pdf"`);
      const pdf = res.body as Buffer;
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const text = pdfText(pdf);
      expect(text).toContain('Yang bertanda tangan di bawah ini:');
      expect(text).toContain('Nama : Rina Handayani');
      expect(text).toContain(`NIP : ${formatNip(owner.nip as string)}`);
      expect(text).toContain('Unit Kerja : Badan Kepegawaian Daerah');
      expect(text).toContain('Pakta Netralitas BKD');
      expect(text).toContain(`Kode tanda terima: ${grouped}`);
      expect(text).toContain(`Verifikasi: ${t.config.baseUrl}/verifikasi/${grouped}`);
      expect(text).not.toContain('DIBATALKAN');

      const ungrouped = await ownerBrowser.get(`/tanda-terima/${code}.pdf`).buffer(true).parse(binaryParser);
      expect(ungrouped.status).toBe(200);
    });

    it('says on the PDF that a voided signature was voided, and why', async () => {
      const { ownerBrowser, code } = await signed();
      const admin = await loggedIn('admin@uji.test');
      expect((await voidAs(admin, code, REASON)).status).toBe(303);
      const res = await ownerBrowser.get(`/tanda-terima/${code}.pdf`).buffer(true).parse(binaryParser);
      const text = pdfText(res.body as Buffer);
      expect(text).toContain('TANDA TANGAN INI DIBATALKAN');
      expect(text).toContain(REASON);
    });
  });

  describe('the QR code', () => {
    it('decodes to the public verification address of this receipt', async () => {
      const { ownerBrowser, code, grouped } = await signed();
      const page = await ownerBrowser.get(`/tanda-terima/${code}`);
      expect(receiptQrText(page.text)).toBe(`${t.config.baseUrl}/verifikasi/${grouped}`);
      expect(page.text).toContain(`${t.config.baseUrl}/verifikasi/${grouped}`);
    });

    it('uses the configured public address', async () => {
      const { ownerBrowser, code, grouped } = await signed({ BASE_URL: 'https://ikrar.jatengprov.go.id' });
      const page = await ownerBrowser.get(`/tanda-terima/${code}`);
      expect(receiptQrText(page.text)).toBe(`https://ikrar.jatengprov.go.id/verifikasi/${grouped}`);
    });
  });

  describe('voiding', () => {
    it('voids with a reason: the receipt says so, the ledger gains a void entry and the audit log records it', async () => {
      const { admin, owner, ownerBrowser, pact, code, grouped } = await signed();
      const signEntry = await t.services.ledger.head();
      const adminBrowser = await loggedIn('admin@uji.test');
      const res = await voidAs(adminBrowser, code, `  ${REASON}  `);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/tanda-terima/${grouped}`);

      const page = await adminBrowser.get(res.headers.location as string);
      expect(page.text).toContain('Tanda tangan telah dibatalkan.');
      expect(page.text).toContain('DIBATALKAN');
      expect(page.text).toContain(`Alasan: ${REASON}`);
      expect(page.text).not.toContain(`action="/tanda-terima/${grouped}/batal"`);

      const signature = await t.services.signatures.findByReceiptCode(code);
      expect(signature).toMatchObject({ status: 'voided', voidedBy: admin.id, voidReason: REASON });
      expect(signature?.voidedAt).toBe(t.clock.now().toISOString());

      const head = await t.services.ledger.head();
      expect(head).toMatchObject({
        seq: 2,
        kind: 'void',
        signatureId: signature?.id,
        prevHash: signEntry?.hash,
      });
      expect(head?.payload).toContain(`"reason":"${REASON}"`);
      expect(await t.services.ledger.findBySeq(1)).toEqual(signEntry);

      const event = (await t.services.audit.recent(10)).find((e) => e.action === 'signature.voided');
      expect(event).toMatchObject({
        actorUserId: admin.id,
        targetType: 'signature',
        targetId: String(signature?.id),
      });
      expect(event?.details).toMatchObject({ receiptCode: code, reason: REASON, ledgerSeq: 2 });

      // The person sees the void, is asked to sign again, and gets a new receipt.
      const mine = await ownerBrowser.get(`/tanda-terima/${code}`);
      expect(mine.text).toContain('DIBATALKAN');
      expect(mine.text).toContain('Silakan tandatangani ulang pakta ini.');
      expect(mine.text).not.toContain('Terima kasih. Penandatanganan Anda telah tercatat.');
      const myPacts = await ownerBrowser.get('/pakta');
      expect(myPacts.text).toContain(`href="/pakta/${pact.id}"`);
      expect(myPacts.text).toContain('Dibatalkan — tandatangani ulang');
      const again = await signThroughForm(ownerBrowser, pact.id, {
        consent: '1',
        full_name: 'Rina Handayani',
        signature: '',
      });
      expect(again.status).toBe(303);
      const fresh = await t.services.signatures.findValid(pact.id, owner.id);
      expect(fresh?.receiptCode).toBeDefined();
      expect(fresh?.receiptCode).not.toBe(code);
      expect(again.headers.location).toBe(`/tanda-terima/${fresh?.receiptCode}`);
      expect(await t.services.ledger.head()).toMatchObject({ seq: 3, kind: 'sign', signatureId: fresh?.id });
      expect((await t.services.signatures.findByReceiptCode(code))?.status).toBe('voided');

      // Signed again: the voided receipt and the list still say "voided", but no longer ask to sign again.
      const old = await ownerBrowser.get(`/tanda-terima/${code}`);
      expect(old.text).toContain('DIBATALKAN');
      expect(old.text).not.toContain(SIGN_AGAIN);
      const listed = await ownerBrowser.get('/pakta');
      expect(listed.text).toContain('>Dibatalkan</span>');
      expect(listed.text).not.toContain('tandatangani ulang');
    });

    it('asks nobody to sign a voided version again once a new version replaced it and was signed', async () => {
      const { owner, ownerBrowser, pact, code } = await signed();
      const admin = await loggedIn('admin@uji.test');
      expect((await voidAs(admin, code, REASON)).status).toBe(303);
      const revised = await revisePact(t.services, { pactId: pact.id, actor: systemActor });
      if (!revised.ok) throw new Error(revised.reason);
      expect(await openPact(t.services, { pactId: revised.pactId, actor: systemActor })).toMatchObject({
        ok: true,
      });

      // v1 is closed now: its voided receipt points to v2 instead of asking to sign v1 again.
      const before = await ownerBrowser.get(`/tanda-terima/${code}`);
      expect(before.text).not.toContain(SIGN_AGAIN);
      expect(before.text).toContain(`href="/pakta/${revised.pactId}"`);
      const listBefore = await ownerBrowser.get('/pakta');
      expect(listBefore.text).not.toContain('Dibatalkan — tandatangani ulang');
      expect(listBefore.text).toContain(`href="/pakta/${revised.pactId}"`);

      const again = await signThroughForm(ownerBrowser, revised.pactId, {
        consent: '1',
        full_name: 'Rina Handayani',
        signature: '',
      });
      expect(again.status).toBe(303);
      expect((await t.services.signatures.findValid(revised.pactId, owner.id))?.status).toBe('valid');

      const listAfter = await ownerBrowser.get('/pakta');
      expect(listAfter.text).toContain('>Dibatalkan</span>');
      expect(listAfter.text).not.toContain('tandatangani ulang');
      expect(listAfter.text).toContain('Tidak ada pakta yang menunggu tanda tangan Anda.');
      const oldReceipt = await ownerBrowser.get(`/tanda-terima/${code}`);
      expect(oldReceipt.text).toContain('DIBATALKAN');
      expect(oldReceipt.text).not.toContain(SIGN_AGAIN);
      expect(oldReceipt.text).not.toContain('Masih ada pakta yang perlu Anda tandatangani');
    });

    it.each([
      ['', 'Alasan pembatalan wajib diisi.'],
      ['   ', 'Alasan pembatalan wajib diisi.'],
      ['salah', 'Tuliskan alasan pembatalan (minimal 10 karakter).'],
    ])('refuses the reason %j with 422 and a message, changing nothing', async (reason, message) => {
      const { code } = await signed();
      const before = await t.services.ledger.head();
      const adminBrowser = await loggedIn('admin@uji.test');
      const res = await voidAs(adminBrowser, code, reason);
      expect(res.status).toBe(422);
      expect(res.text).toContain(message);
      expect(res.text).toContain('id="reason-error"');
      if (reason.trim()) expect(res.text).toContain(`value="${reason}"`);
      expect((await t.services.signatures.findByReceiptCode(code))?.status).toBe('valid');
      expect(await t.services.ledger.head()).toEqual(before);
      expect((await t.services.audit.recent(20)).map((e) => e.action)).not.toContain('signature.voided');
    });

    it.each([['rina@uji.test'], ['agus@uji.test']])(
      'refuses a void by %s (not an admin) with 403, changing nothing',
      async (username) => {
        const { code } = await signed();
        const agent = await loggedIn(username);
        const res = await postForm(agent, '/akun', `/tanda-terima/${code}/batal`, { reason: REASON });
        expect(res.status).toBe(403);
        expect(res.text).toContain('Anda tidak memiliki akses ke halaman ini.');
        expect((await t.services.signatures.findByReceiptCode(code))?.status).toBe('valid');
        expect((await t.services.ledger.head())?.seq).toBe(1);
      },
    );

    it('refuses an operator too', async () => {
      const { code } = await signed();
      await t.make.user({ role: 'operator', email: 'operator@uji.test' });
      const operator = await loggedIn('operator@uji.test');
      const res = await postForm(operator, '/akun', `/tanda-terima/${code}/batal`, { reason: REASON });
      expect(res.status).toBe(403);
      expect((await t.services.signatures.findByReceiptCode(code))?.status).toBe('valid');
    });

    it('says so when a signature is voided twice, and appends nothing more to the ledger', async () => {
      const { code } = await signed();
      const adminBrowser = await loggedIn('admin@uji.test');
      expect((await voidAs(adminBrowser, code, REASON)).status).toBe(303);
      const afterFirst = await t.services.ledger.head();

      const token = /name="_csrf" value="([^"]+)"/.exec(
        (await adminBrowser.get('/akun')).text,
      )?.[1] as string;
      const second = await adminBrowser
        .post(`/tanda-terima/${code}/batal`)
        .type('form')
        .send({ _csrf: token, reason: 'Alasan kedua yang berbeda sama sekali.' });
      expect(second.status).toBe(303);
      const page = await adminBrowser.get(second.headers.location as string);
      expect(page.text).toContain('Tanda tangan ini sudah dibatalkan sebelumnya.');
      expect(await t.services.ledger.head()).toEqual(afterFirst);
      expect((await t.services.signatures.findByReceiptCode(code))?.voidReason).toBe(REASON);
      const voids = (await t.services.audit.recent(50)).filter((e) => e.action === 'signature.voided');
      expect(voids).toHaveLength(1);
    });
  });

  describe('where the receipt leads', () => {
    it('offers the next pact still to sign, the nearest deadline first, until none is left', async () => {
      const { owner, ownerBrowser, code } = await signed();
      const now = t.clock.now().getTime();
      const later = await makePact(t.services, {
        title: 'Pakta Anti Gratifikasi',
        deadline: new Date(now + 20 * DAY),
      });
      const sooner = await makePact(t.services, {
        title: 'Pakta Zona Integritas',
        deadline: new Date(now + 3 * DAY),
      });
      // Not open yet: not offered.
      await makePact(t.services, {
        title: 'Pakta Belum Dibuka',
        opensAt: new Date(now + DAY),
        deadline: new Date(now + 2 * DAY),
      });

      const first = await ownerBrowser.get(`/tanda-terima/${code}`);
      expect(first.text).toContain('Masih ada pakta yang perlu Anda tandatangani: Pakta Zona Integritas.');
      expect(first.text).toContain(`href="/pakta/${sooner.id}"`);
      expect(first.text).not.toContain(`href="/pakta/${later.id}"`);

      const res = await signThroughForm(ownerBrowser, sooner.id, {
        consent: '1',
        full_name: 'Rina Handayani',
        signature: '',
      });
      const second = await ownerBrowser.get(res.headers.location as string);
      expect(second.text).toContain(THANKS);
      expect(second.text).toContain('Masih ada pakta yang perlu Anda tandatangani: Pakta Anti Gratifikasi.');
      expect(second.text).toContain(`href="/pakta/${later.id}"`);

      await signThroughForm(ownerBrowser, later.id, {
        consent: '1',
        full_name: 'Rina Handayani',
        signature: '',
      });
      const last = (await t.services.signatures.findValid(later.id, owner.id))?.receiptCode as string;
      const done = await ownerBrowser.get(`/tanda-terima/${last}`);
      expect(done.text).not.toContain('Masih ada pakta yang perlu Anda tandatangani');
      expect(done.text).not.toContain('Pakta Belum Dibuka');
    });

    it("offers an admin reading someone else's receipt none of the signer's pacts", async () => {
      const { code } = await signed();
      const other = await makePact(t.services, { title: 'Pakta Zona Integritas' });
      const admin = await loggedIn('admin@uji.test');
      const page = await admin.get(`/tanda-terima/${code}`);
      expect(page.text).not.toContain('Masih ada pakta yang perlu Anda tandatangani');
      expect(page.text).not.toContain(`href="/pakta/${other.id}"`);
    });

    it('has the "Cetak" button the how-to post promises, run by a script file and not inline', async () => {
      const { ownerBrowser, code } = await signed();
      const page = await ownerBrowser.get(`/tanda-terima/${code}`);
      expect(page.text).toMatch(/<button type="button" class="btn [^"]*" data-print hidden>Cetak<\/button>/);
      const src = /<script src="(\/static\/js\/print\.[0-9a-f]{12}\.js)" defer><\/script>/.exec(
        page.text,
      )?.[1];
      expect(src).toBeDefined();
      expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      const script = await ownerBrowser.get(src as string);
      expect(script.status).toBe(200);
      expect(script.text).toContain('window.print()');
    });
  });
});

import { sql } from 'kysely';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { formatNip } from '../../src/directory/nip.js';
import { voidSignature } from '../../src/pledges/receipts/void-signature.js';
import { signPact } from '../../src/pledges/signing/sign-pact.js';
import { sessionCookie } from '../helpers/http.js';
import { makePact, pngDataUrl, signaturePng } from '../helpers/pacts.js';
import { dropTriggers } from '../helpers/tamper.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const GENESIS = '0'.repeat(64);
const SIGNER_IP = '203.0.113.77';
const SIGNER_AGENT = 'Mozilla/5.0 (Peramban Uji Verifikasi)';
const group = (code: string) => code.replace(/(.{4})(?=.)/g, '$1-');

describe('public verification of receipts', () => {
  let t: TestApp;
  afterEach(() => t.close());

  /** Rina signs (with a drawing) through the real signing operation, from a known IP and browser. */
  async function signedReceipt(env: Record<string, string> = {}) {
    t = await createTestApp(env);
    const unit = await t.make.unit({ name: 'Dinas Kesehatan' });
    const user = await t.make.user({ email: 'rina@uji.test', fullName: 'Rina Handayani', unitId: unit.id });
    const pact = await makePact(t.services, { title: 'Pakta Netralitas Dinkes' });
    const result = await signPact(t.services, {
      pactId: pact.id,
      userId: user.id,
      consent: true,
      typedName: 'Rina Handayani',
      signatureDataUrl: pngDataUrl(signaturePng()),
      actor: { userId: user.id, ip: SIGNER_IP, userAgent: SIGNER_AGENT },
    });
    if (!result.ok) throw new Error(`could not sign: ${result.reason}`);
    return { user, pact, code: result.receiptCode, grouped: group(result.receiptCode) };
  }

  const voidIt = async (code: string) => {
    const admin = await t.make.user({ role: 'admin', email: 'admin@uji.test', nip: null });
    const result = await voidSignature(t.services, {
      receiptCode: code,
      reason: 'Ditandatangani oleh orang yang salah.',
      actor: { userId: admin.id, ip: null, userAgent: null },
    });
    expect(result.ok).toBe(true);
  };

  describe('the page', () => {
    it('offers a form without making a session', async () => {
      t = await createTestApp();
      const res = await request(t.app).get('/verifikasi');
      expect(res.status).toBe(200);
      expect(res.text).toContain('Verifikasi Tanda Terima');
      expect(res.text).toContain('name="kode"');
      expect(sessionCookie(res)).toBeUndefined();
    });

    it.each([
      ['lowercase with spaces', (c: string) => c.toLowerCase().replace(/(.{4})/g, '$1 ')],
      ['grouped with dashes', (c: string) => group(c)],
      ['with spaces around', (c: string) => `  ${c}  `],
    ])('sends a code typed %s to its grouped address', async (_how, typed) => {
      const { code, grouped } = await signedReceipt();
      const res = await request(t.app)
        .get('/verifikasi')
        .query({ kode: typed(code) });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/verifikasi/${grouped}`);
    });

    it.each([['ABC'], ['ABCD-EFGH-JKLM-NPQ0'], ['OOOO IIII 1111 0000'], ['ABCD-EFGH-JKLM-NPQR-STUV']])(
      'refuses the malformed code %j with 400, an explanation and what was typed',
      async (typed) => {
        t = await createTestApp();
        const res = await request(t.app).get('/verifikasi').query({ kode: typed });
        expect(res.status).toBe(400);
        expect(res.text).toContain('Kode tanda terima terdiri atas 16 huruf dan angka');
        expect(res.text).toContain(`value="${typed}"`);
        expect(res.text).toContain('aria-invalid="true"');
      },
    );

    it('shows a valid receipt as SAH with the name and a masked NIP, never the NIP, IP or signature', async () => {
      const { user, grouped, code } = await signedReceipt();
      const nip = user.nip as string;
      const res = await request(t.app).get(`/verifikasi/${grouped}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('SAH — tanda terima ini tercatat dan berlaku.');
      expect(res.text).toContain('Rina Handayani');
      expect(res.text).toContain(`******** ****** * ${nip.slice(15)}`);
      expect(res.text).toContain('Dinas Kesehatan');
      expect(res.text).toContain('Pakta Netralitas Dinkes');
      expect(res.text).toContain(grouped);
      expect(res.text).toContain('Entri #1 di buku besar cocok dengan rantai hash.');
      expect(res.text).not.toContain(nip);
      expect(res.text).not.toContain(formatNip(nip));
      expect(res.text).not.toContain(nip.slice(0, 8));
      expect(res.text).not.toContain('data:image/png');
      expect(res.text).not.toContain(SIGNER_IP);
      expect(res.text).not.toContain(SIGNER_AGENT);
      expect(res.text).not.toContain('DIBATALKAN');
      expect(sessionCookie(res)).toBeUndefined();
      // The code as stored (no dashes) finds it too.
      expect((await request(t.app).get(`/verifikasi/${code}`)).text).toContain('SAH');
    });

    it('shows a voided receipt as DIBATALKAN and not as SAH', async () => {
      const { code, grouped } = await signedReceipt();
      await voidIt(code);
      const res = await request(t.app).get(`/verifikasi/${grouped}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('DIBATALKAN — tanda tangan ini dibatalkan pada');
      expect(res.text).not.toContain('SAH — tanda terima ini tercatat');
      expect(res.text).toContain('Rina Handayani');
    });

    it.each([['ABCD-EFGH-JKLM-NPQR'], ['bukan-kode']])(
      'answers the unknown code %s with 404 "Tidak ditemukan"',
      async (code) => {
        await signedReceipt();
        const res = await request(t.app).get(`/verifikasi/${code}`);
        expect(res.status).toBe(404);
        expect(res.text).toContain('Tidak ditemukan — tidak ada tanda terima dengan kode ini.');
        expect(res.text).not.toContain('Rina Handayani');
        expect(res.text).not.toContain('SAH —');
      },
    );

    it('tells anyone when the ledger entry behind a receipt no longer matches the chain', async () => {
      const { code, grouped } = await signedReceipt();
      // Someone with access to the database file edits history (the trigger would stop a plain UPDATE).
      await dropTriggers(t.db, ['ledger_no_update']);
      await sql`UPDATE ledger SET payload = replace(payload, 'Dinas Kesehatan', 'Dinas Kesehatam') WHERE seq = 1`.execute(
        t.db.q,
      );
      const page = await request(t.app).get(`/verifikasi/${grouped}`);
      expect(page.text).toContain('TIDAK cocok dengan rantai hash');
      const api = await request(t.app).get(`/api/v1/verify/${code}`);
      expect(api.body.ledger.matchesChain).toBe(false);
    });
  });

  describe('the JSON API', () => {
    it('gives the public facts of a receipt and nothing private', async () => {
      const { user, pact, code, grouped } = await signedReceipt();
      const res = await request(t.app).get(`/api/v1/verify/${code}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const head = await t.services.ledger.head();
      expect(res.body).toMatchObject({
        code: grouped,
        status: 'valid',
        fullName: 'Rina Handayani',
        nipMasked: `******** ****** * ${(user.nip as string).slice(15)}`,
        unitName: 'Dinas Kesehatan',
        pact: { id: pact.id, title: 'Pakta Netralitas Dinkes', version: 1 },
        voidedAt: null,
        ledger: { seq: 1, hash: head?.hash, matchesChain: true },
      });
      for (const key of [
        'ip',
        'userAgent',
        'signature',
        'signaturePng',
        'signatureSha256',
        'nip',
        'userId',
      ]) {
        expect(res.body).not.toHaveProperty(key);
      }
      expect(res.text).not.toContain(user.nip as string);
      expect(res.text).not.toContain(SIGNER_IP);
      expect(res.text).not.toContain('Peramban Uji');
    });

    it('reports a voided receipt as voided', async () => {
      const { code, grouped } = await signedReceipt();
      await voidIt(code);
      const res = await request(t.app).get(`/api/v1/verify/${grouped}`);
      expect(res.body.status).toBe('voided');
      expect(res.body.voidedAt).toBe(t.clock.now().toISOString());
    });

    it('answers an unknown code with 404 JSON', async () => {
      await signedReceipt();
      const res = await request(t.app).get('/api/v1/verify/ABCD-EFGH-JKLM-NPQR');
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({
        error: { status: 404, message: expect.stringContaining('Tidak ditemukan') },
      });
    });

    it('publishes the ledger head: genesis on an empty ledger, then the latest signing', async () => {
      t = await createTestApp();
      const empty = await request(t.app).get('/api/v1/ledger/head');
      expect(empty.status).toBe(200);
      // A ledger begun in format 2 was never upgraded (see ledger-format-upgrade.test.ts).
      expect(empty.body).toEqual({ seq: 0, hash: GENESIS, at: null, formatUpgrade: null });

      const unit = await t.make.unit();
      const user = await t.make.user({ fullName: 'Budi Santoso', unitId: unit.id });
      const pact = await makePact(t.services);
      const signed = await signPact(t.services, {
        pactId: pact.id,
        userId: user.id,
        consent: true,
        typedName: 'budi santoso',
        signatureDataUrl: '',
        actor: { userId: user.id, ip: null, userAgent: null },
      });
      expect(signed.ok).toBe(true);
      const after = await request(t.app).get('/api/v1/ledger/head');
      const head = await t.services.ledger.head();
      expect(after.body).toEqual({
        seq: 1,
        hash: head?.hash,
        at: t.clock.now().toISOString(),
        formatUpgrade: null,
      });
      expect(after.body.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(after.body.hash).not.toBe(GENESIS);
    });
  });

  describe('the rate limit', () => {
    it('refuses the fourth verification within a minute when the limit is 3, on the page and the API alike', async () => {
      const { code, grouped } = await signedReceipt({ VERIFY_RATE_LIMIT: '3' });
      expect((await request(t.app).get(`/verifikasi/${grouped}`)).status).toBe(200);
      expect((await request(t.app).get(`/api/v1/verify/${code}`)).status).toBe(200);
      expect((await request(t.app).get('/verifikasi').query({ kode: code })).status).toBe(303);

      const page = await request(t.app).get(`/verifikasi/${grouped}`);
      expect(page.status).toBe(429);
      expect(page.text).toContain('Terlalu banyak permintaan');
      expect(page.text).not.toContain('Rina Handayani');
      const api = await request(t.app).get(`/api/v1/verify/${code}`);
      expect(api.status).toBe(429);
      expect(api.body.error.status).toBe(429);
      expect(api.body).not.toHaveProperty('fullName');
    });
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { besideField, summaryOf } from '../helpers/form-messages.js';
import { browser, fetchCsrfToken, loggedInAs, logIn, pageText } from '../helpers/http.js';
import { makePact, signThroughForm } from '../helpers/pacts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const FAILED = 'Gagal masuk.';

describe('form messages that name their field', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const auditActions = async () => (await t.services.audit.recent(100)).map((e) => e.action);

  describe('the login form', () => {
    it('names each empty field, in the summary (linking to it) and beside it, not "Wajib diisi." twice', async () => {
      const res = await logIn(browser(t.app), '   ', '');
      expect(res.status).toBe(400);
      expect(summaryOf(res.text)).toEqual([
        ['username', 'NIP atau email wajib diisi.'],
        ['password', 'Kata sandi wajib diisi.'],
      ]);
      expect(besideField(res.text, 'username')).toBe('NIP atau email wajib diisi.');
      expect(besideField(res.text, 'password')).toBe('Kata sandi wajib diisi.');
      expect(res.text).not.toContain('Wajib diisi.');
      // The summary can take the focus the page's script gives it; the username field does not grab it first.
      expect(res.text).toMatch(/class="alert alert-danger error-summary" role="alert"[^>]*tabindex="-1"/);
      expect(res.text).not.toMatch(/id="username"[^>]*autofocus/);
      expect(await auditActions()).toEqual([]);
    });

    it('names a field missing from the request altogether the same way', async () => {
      const agent = browser(t.app);
      const token = await fetchCsrfToken(agent, '/masuk');
      const res = await agent.post('/masuk').type('form').send({ _csrf: token, username: 'asn@uji.test' });
      expect(res.status).toBe(400);
      expect(besideField(res.text, 'password')).toBe('Kata sandi wajib diisi.');
      expect(res.text).toContain('value="asn@uji.test"');
    });

    it('answers an 8-digit NIP with "NIP harus 18 digit", keeping it, and never "Gagal masuk"', async () => {
      const user = await t.make.user({ email: 'asn@uji.test' });
      const eightDigits = (user.nip as string).slice(0, 8);
      const res = await logIn(browser(t.app), eightDigits);
      expect(res.status).toBe(400);
      expect(besideField(res.text, 'username')).toBe('NIP harus 18 digit (boleh dipisah spasi).');
      expect(summaryOf(res.text)).toEqual([['username', 'NIP harus 18 digit (boleh dipisah spasi).']]);
      expect(res.text).toContain(`value="${eightDigits}"`);
      expect(pageText(res.text)).not.toContain(FAILED);
      // Judged by its form alone: no account was looked at, nothing is audited, no attempt counted against anyone.
      expect(await auditActions()).toEqual([]);
      expect((await t.services.users.findById(user.id))?.failedLogins).toBe(0);
    });

    it('says the same of any short NIP, whether or not some account begins with it', async () => {
      const user = await t.make.user({ email: 'asn@uji.test' });
      const someone = await logIn(browser(t.app), (user.nip as string).slice(0, 17));
      const nobody = await logIn(browser(t.app), '12345678901234567');
      expect(someone.status).toBe(nobody.status);
      expect(besideField(someone.text, 'username')).toBe(besideField(nobody.text, 'username'));
    });

    it('asks for a NIP or a whole email when the name is neither', async () => {
      const res = await logIn(browser(t.app), 'dewi.lestari');
      expect(res.status).toBe(400);
      expect(besideField(res.text, 'username')).toBe('Tulis NIP 18 digit atau alamat email lengkap.');
    });

    it('still answers a well-formed NIP that has no account as any refused login', async () => {
      const res = await logIn(browser(t.app), '198503122010012004', 'apa-saja-12345');
      expect(res.status).toBe(401);
      expect(pageText(res.text)).toContain(FAILED);
      expect(besideField(res.text, 'username')).toBeUndefined();
    });

    it('moves the focus to the refusal itself when the password was wrong', async () => {
      await t.make.user({ email: 'asn@uji.test' });
      const res = await logIn(browser(t.app), 'asn@uji.test', 'salah-sekali-123');
      expect(res.status).toBe(401);
      expect(res.text).toMatch(/tabindex="-1" data-error-summary id="login-failure"/);
    });
  });

  describe('the signing form', () => {
    it('puts the summary above the pact text, names the missing name and keeps the consent', async () => {
      const unit = await t.make.unit({ name: 'Dinas Komunikasi dan Informatika' });
      const { agent } = await loggedInAs(t, 'signer', { unitId: unit.id, fullName: 'Dewi Lestari' });
      const pact = await makePact(t.services, { audience: 'all' });
      const res = await signThroughForm(agent, pact.id, { consent: '1', full_name: '   ', signature: '' });
      expect(res.status).toBe(400);
      expect(summaryOf(res.text)).toEqual([['full_name', 'Nama lengkap wajib diisi.']]);
      expect(besideField(res.text, 'full_name')).toBe('Nama lengkap wajib diisi.');
      expect(res.text).toMatch(/name="consent" value="1" checked/);
      // Seen first on a phone that opens the page at its top: before the pact's text, not 1,500 px down by the form.
      const summaryAt = res.text.indexOf('error-summary" role="alert"');
      expect(summaryAt).toBeGreaterThan(0);
      expect(summaryAt).toBeLessThan(res.text.indexOf('<article'));
    });

    it('says a name that is too long is the name', async () => {
      const { agent } = await loggedInAs(t, 'signer', { unitId: (await t.make.unit({})).id });
      const pact = await makePact(t.services, { audience: 'all' });
      const res = await signThroughForm(agent, pact.id, { consent: '1', full_name: 'a'.repeat(201) });
      expect(res.status).toBe(400);
      expect(besideField(res.text, 'full_name')).toBe('Nama lengkap terlalu panjang.');
    });
  });

  it('gives every page the script that focuses the summary and marks a sent form, with its words', async () => {
    for (const path of ['/', '/masuk']) {
      const res = await browser(t.app).get(path);
      expect(res.text, path).toMatch(
        /<script src="\/static\/js\/forms\.[0-9a-f]{12}\.js" data-busy-label="Menyimpan…" defer>/,
      );
    }
    const login = await browser(t.app).get('/masuk');
    expect(login.text).toMatch(/<button type="submit"[^>]*data-busy-label="Sedang masuk…"[^>]*>Masuk</);
  });
});

import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { activationCodeHash, newActivationCode } from '../../src/credentials/activation-code.js';
import { formatNip } from '../../src/directory/nip.js';
import type { User } from '../../src/directory/types.js';
import { loadCatalogue } from '../../src/web/i18n.js';
import { type Agent, browser, csrfTokenFrom, fetchCsrfToken, loggedInAdmin, logIn } from '../helpers/http.js';
import { startOidcProvider, type TestOidcProvider } from '../helpers/oidc-provider.js';
import { binaryParser, makePact, pdfText, postForm, signAs } from '../helpers/pacts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// English beside Bahasa Indonesia (issue 21). Only a few texts of the English catalogue are relied on ("Home",
// "Sign in"); everything else is checked by what no Indonesian page shows: English dates, times and numbers.
const ENGLISH_HOME = '>Home</a>';
const INDONESIAN_HOME = '>Beranda</a>';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ BASE_URL: 'https://ikrar.uji.test' });
});
afterEach(() => t.close());

const htmlLang = (html: string) => /<html lang="([^"]+)"/.exec(html)?.[1];
const get = (path: string, headers: Record<string, string> = {}) => request(t.app).get(path).set(headers);

describe('the language of a page', () => {
  it('follows Accept-Language on a first visit, and says so in <html lang> and Content-Language', async () => {
    const res = await get('/masuk', { 'Accept-Language': 'en-GB,en;q=0.9,id;q=0.5' });
    expect(res.status).toBe(200);
    expect(htmlLang(res.text)).toBe('en');
    expect(res.text).toContain(ENGLISH_HOME);
    expect(res.text).toContain('<h1 class="h3 mb-3">Sign in</h1>');
    expect(res.headers['content-language']).toBe('en');
    expect(res.headers.vary).toMatch(/Cookie/);
    expect(res.headers.vary).toMatch(/Accept-Language/);
  });

  it('is Indonesian without a wish, for an Indonesian browser and for a language Ikrar does not have', async () => {
    for (const wish of [undefined, 'id-ID,id;q=0.9,en;q=0.8', 'fr-FR,fr;q=0.9', 'ja']) {
      const res = await get('/masuk', wish ? { 'Accept-Language': wish } : {});
      expect(htmlLang(res.text), String(wish)).toBe('id');
      expect(res.text).toContain(INDONESIAN_HOME);
      expect(res.headers['content-language']).toBe('id');
    }
  });

  it('follows the cookie before Accept-Language', async () => {
    const english = await get('/masuk', { Cookie: 'lang=en', 'Accept-Language': 'id-ID,id' });
    expect(htmlLang(english.text)).toBe('en');
    const indonesian = await get('/masuk', { Cookie: 'lang=id', 'Accept-Language': 'en-US,en' });
    expect(htmlLang(indonesian.text)).toBe('id');
    // A cookie naming no language of ours is no choice: the browser's wish decides.
    const unknown = await get('/masuk', { Cookie: 'lang=xx', 'Accept-Language': 'en-US,en' });
    expect(htmlLang(unknown.text)).toBe('en');
  });

  it('offers the other language in its own name, marking the one in use', async () => {
    const html = (await get('/berita?halaman=1', { 'Accept-Language': 'en' })).text;
    expect(html).toContain('<span lang="en" aria-current="true">English</span>');
    expect(html).toContain(
      '<a href="/bahasa?ke=id&amp;kembali=%2Fberita%3Fhalaman%3D1" lang="id" hreflang="id">Bahasa Indonesia</a>',
    );
  });

  it('keeps the JSON API in Indonesian whoever asks, and does not vary on what chooses a language', async () => {
    const res = await get('/api/v1/pacts/999999/compliance', { 'Accept-Language': 'en', Cookie: 'lang=en' });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(loadCatalogue('id')['api.error.pact_not_found']);
    expect(res.headers['content-language']).toBe('id');
    // A kept answer (public, for a minute at any proxy) is one copy for everyone.
    await makePact(t.services);
    const list = await get('/api/v1/pacts', { 'Accept-Language': 'en', Cookie: 'lang=en' });
    expect(list.status).toBe(200);
    expect(list.headers['cache-control']).toMatch(/public/);
    expect(list.headers.vary ?? '').not.toMatch(/Cookie|Accept-Language/);
  });

  it('says how long drawn signatures are kept in words that need no plural, in both languages', async () => {
    const { agent } = await loggedInAdmin(t);
    const saved = await postForm(agent, '/admin/pengaturan', '/admin/pengaturan', {
      name: 'Pemerintah Kabupaten Uji',
      short_name: 'Ikrar Uji',
      address: 'Jalan Pemuda No. 1, Semarang',
      email: 'ikrar@uji.test',
      phone: '(024) 123456',
      place: 'Semarang',
      retention_years: '1',
    });
    expect(saved.status).toBe(303);
    const english = (await get('/privasi', { 'Accept-Language': 'en' })).text;
    expect(english).toContain('in years from when their pact closes: 1.');
    expect(english).not.toMatch(/\b1 years\b/);
    const indonesian = (await get('/privasi', { 'Accept-Language': 'id' })).text;
    expect(indonesian).toContain('dalam tahun sejak paktanya ditutup: 1.');
  });

  it('keeps the news feed, the sitemap and robots.txt in Indonesian, one copy for every reader', async () => {
    const idTitle = loadCatalogue('id')['news.feed_title'] as string;
    const enTitle = loadCatalogue('en')['news.feed_title'] as string;
    const readers: Record<string, string>[] = [
      { Cookie: 'lang=en', 'Accept-Language': 'en' },
      { 'Accept-Language': 'en' },
      {},
    ];
    for (const headers of readers) {
      const feed = await get('/feed.xml', headers);
      expect(feed.status).toBe(200);
      expect(feed.text).toContain('xml:lang="id"');
      expect(feed.text).toContain(`<title type="text">${idTitle.replace('{name}', 'Ikrar')}</title>`);
      expect(feed.text).not.toContain(enTitle.replace('{name}', 'Ikrar'));
      expect(feed.headers['content-language']).toBe('id');
      expect(feed.headers.vary ?? '').not.toMatch(/Cookie|Accept-Language/);
    }
    for (const path of ['/sitemap.xml', '/robots.txt']) {
      const res = await get(path, { Cookie: 'lang=en', 'Accept-Language': 'en' });
      expect(res.status, path).toBe(200);
      expect(res.headers.vary ?? '', path).not.toMatch(/Cookie|Accept-Language/);
    }
  });
});

describe('the switch', () => {
  it('sets a year-long cookie for the whole site and goes back to the page it was on', async () => {
    const res = await get('/bahasa?ke=en&kembali=%2Fberita%3Fhalaman%3D2');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/berita?halaman=2');
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('lang='));
    expect(cookie).toMatch(/^lang=en;/);
    expect(cookie).toMatch(/Max-Age=31536000/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(res.headers['cache-control']).toBe('no-store');

    const reader = browser(t.app);
    await reader.get('/bahasa?ke=en&kembali=/');
    expect(htmlLang((await reader.get('/masuk').set('Accept-Language', 'id')).text)).toBe('en');
    await reader.get('/bahasa?ke=id&kembali=/');
    expect(htmlLang((await reader.get('/masuk').set('Accept-Language', 'en')).text)).toBe('id');
  });

  it('goes back only to a page of this site: anything else leads home', async () => {
    for (const back of [
      'https://jahat.example/phish',
      '//jahat.example/phish',
      '/\\jahat.example',
      'javascript:alert(1)',
      '/bahasa?ke=id',
      '',
    ]) {
      const res = await get(`/bahasa?ke=en&kembali=${encodeURIComponent(back)}`);
      expect(res.status, back).toBe(303);
      expect(res.headers.location, back).toBe('/');
    }
    expect((await get('/bahasa?ke=en')).headers.location).toBe('/');
  });

  it('on a form’s error page, leads back to the page the form was on (the URL it was sent to may answer no GET)', async () => {
    await t.make.user({ email: 'sekar@uji.test' });
    const agent = browser(t.app);
    await logIn(agent, 'sekar@uji.test');
    const token = await fetchCsrfToken(agent, '/akun');
    const failed = await agent
      .post('/akun/kata-sandi')
      .set('Host', '127.0.0.1')
      .set('Referer', 'http://127.0.0.1/akun')
      .type('form')
      .send({ _csrf: token, current_password: 'salah', new_password: 'x', confirm_password: 'y' });
    expect(failed.status).toBe(400);
    expect(failed.text).toContain('<input type="hidden" name="kembali" value="/akun">');
    const back = await agent
      .post('/bahasa')
      .type('form')
      .send({ _csrf: csrfTokenFrom(failed.text), ke: 'en', kembali: '/akun' });
    expect(back.headers.location).toBe('/akun');
    expect((await agent.get('/akun')).status).toBe(200);
    expect((await agent.get('/akun/kata-sandi')).status).toBe(404);

    // Another site's page as the Referer, or none: home.
    for (const referer of ['https://jahat.example/akun', undefined]) {
      const res = agent.post('/akun/kata-sandi').set('Host', '127.0.0.1');
      if (referer) res.set('Referer', referer);
      const page = await res.type('form').send({ _csrf: token, current_password: 'salah' });
      expect(page.text, String(referer)).toContain('<input type="hidden" name="kembali" value="/">');
    }

    // A reader without an account: the links of a failed login keep the page it was on, with its query.
    const reader = browser(t.app);
    const loginToken = await fetchCsrfToken(reader, '/masuk?next=%2Fakun');
    const anonymous = await reader
      .post('/masuk')
      .set('Host', '127.0.0.1')
      .set('Referer', 'http://127.0.0.1/masuk?next=%2Fakun')
      .type('form')
      .send({ _csrf: loginToken, username: 'tidak@ada.test', password: 'salah sekali', next: '/akun' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.text).toContain('href="/bahasa?ke=en&amp;kembali=%2Fmasuk%3Fnext%3D%252Fakun"');
  });

  it('refuses a language it does not have, setting nothing', async () => {
    const res = await get('/bahasa?ke=fr&kembali=/', { 'Accept-Language': 'en' });
    expect(res.status).toBe(400);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.text).toContain(loadCatalogue('en')['language.unknown'] as string);
  });
});

describe('a signed-in person', () => {
  let rina: User;
  let agent: Agent;
  beforeEach(async () => {
    const unit = await t.make.unit({ name: 'Badan Kepegawaian Daerah' });
    rina = await t.make.user({ email: 'rina@uji.test', fullName: 'Rina Handayani', unitId: unit.id });
    agent = browser(t.app);
    await logIn(agent, 'rina@uji.test');
  });

  const switchTo = (language: string, back = '/akun') =>
    postForm(agent, back, '/bahasa', { ke: language, kembali: back });

  it('switches with the header’s form: their choice is stored (audited) and their pages follow it', async () => {
    const akun = (await agent.get('/akun')).text;
    expect(akun).toMatch(/<form method="post" action="\/bahasa"[^>]*>\s*<input type="hidden" name="_csrf"/);
    expect(akun).toContain('<button type="submit" name="ke" value="en" lang="en">English</button>');

    const res = await switchTo('en');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/akun');
    expect((await t.services.users.findById(rina.id))?.language).toBe('en');
    const changes = async () =>
      (await t.services.audit.forTarget('user', String(rina.id))).filter(
        (e) => e.action === 'account.language_changed',
      );
    expect(await changes()).toMatchObject([{ actorUserId: rina.id, details: { from: null, to: 'en' } }]);
    expect(htmlLang((await agent.get('/akun')).text)).toBe('en');

    // Choosing it again changes nothing and records nothing more.
    await switchTo('en');
    expect(await changes()).toHaveLength(1);
  });

  it('keeps the stored choice on another browser, before its Accept-Language', async () => {
    await switchTo('en');
    const elsewhere = browser(t.app);
    await logIn(elsewhere, 'rina@uji.test');
    const page = await elsewhere.get('/pakta').set('Accept-Language', 'id-ID,id');
    expect(htmlLang(page.text)).toBe('en');
    // A browser whose own switch says otherwise reads its own choice.
    const mine = await elsewhere.get('/pakta').set('Cookie', 'lang=id').set('Accept-Language', 'en');
    expect(htmlLang(mine.text)).toBe('id');
  });

  it('cannot be switched by another site’s form: no token, nothing stored', async () => {
    const res = await agent.post('/bahasa').type('form').send({ ke: 'en', kembali: '/' });
    expect(res.status).toBe(403);
    expect((await t.services.users.findById(rina.id))?.language).toBeNull();
    // A link elsewhere may change this browser's cookie, never the stored choice (a GET writes nothing).
    await agent.get('/bahasa?ke=en&kembali=/');
    expect((await t.services.users.findById(rina.id))?.language).toBeNull();
  });
});

describe('signing in', () => {
  const storedLanguage = async (user: User) => (await t.services.users.findById(user.id))?.language;
  const languageChanges = async (user: User) =>
    (await t.services.audit.forTarget('user', String(user.id))).filter(
      (e) => e.action === 'account.language_changed',
    );

  it('keeps the language this browser was switched to as the person’s own, when they have none (audited)', async () => {
    const ayu = await t.make.user({ email: 'ayu@uji.test', fullName: 'Ayu Kartika' });
    const agent = browser(t.app);
    await agent.get('/bahasa?ke=en&kembali=/masuk');
    expect((await logIn(agent, 'ayu@uji.test')).status).toBe(302);
    expect(await storedLanguage(ayu)).toBe('en');
    expect(await languageChanges(ayu)).toMatchObject([
      { actorUserId: ayu.id, details: { from: null, to: 'en' } },
    ]);
    // So mail to them follows it, and so does another browser with no cookie.
    const elsewhere = browser(t.app);
    await logIn(elsewhere, 'ayu@uji.test');
    expect(htmlLang((await elsewhere.get('/akun').set('Accept-Language', 'id')).text)).toBe('en');
  });

  it('leaves a stored choice alone, and stores nothing without a cookie', async () => {
    const chosen = await t.make.user({ email: 'pilih@uji.test' });
    await t.services.users.setLanguage(chosen.id, 'id', t.clock.now());
    const agent = browser(t.app);
    await agent.get('/bahasa?ke=en&kembali=/masuk');
    await logIn(agent, 'pilih@uji.test');
    expect(await storedLanguage(chosen)).toBe('id');
    expect(await languageChanges(chosen)).toEqual([]);
    // This browser still reads its own choice.
    expect(htmlLang((await agent.get('/akun')).text)).toBe('en');

    const plain = await t.make.user({ email: 'polos@uji.test' });
    await logIn(browser(t.app), 'polos@uji.test');
    expect(await storedLanguage(plain)).toBeNull();
  });

  it('keeps it when the person comes in with an activation letter', async () => {
    const unit = await t.make.unit();
    const dimas = await t.make.user({
      unitId: unit.id,
      email: null,
      password: null,
      fullName: 'Dimas Prasetyo',
    });
    const code = newActivationCode();
    const now = t.clock.now();
    await t.services.passwordLinks.insert({
      userId: dimas.id,
      purpose: 'activation',
      tokenSha256: activationCodeHash(dimas.id, code),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 30 * DAY).toISOString(),
      createdBy: null,
    });
    const phone = browser(t.app);
    await phone.get('/bahasa?ke=en&kembali=/aktivasi');
    const token = await fetchCsrfToken(phone, '/aktivasi');
    const opened = await phone.post('/aktivasi').type('form').send({ _csrf: token, nip: dimas.nip, code });
    expect(opened.headers.location).toBe('/aktivasi/kata-sandi');
    const form = await phone.get('/aktivasi/kata-sandi');
    const done = await phone
      .post('/aktivasi/kata-sandi')
      .type('form')
      .send({
        _csrf: csrfTokenFrom(form.text),
        new_password: 'senja di kota lama semarang',
        confirm_password: 'senja di kota lama semarang',
      });
    expect(done.status).toBe(303);
    expect(await storedLanguage(dimas)).toBe('en');
  });

  describe('with SSO', () => {
    const BASE_URL = 'http://ikrar.uji';
    let provider: TestOidcProvider;
    beforeAll(async () => {
      provider = await startOidcProvider(`${BASE_URL}/masuk/sso/kembali`);
    });
    afterAll(() => provider.close());
    beforeEach(async () => {
      await t.close();
      t = await createTestApp({ BASE_URL, ...provider.env });
    });

    it('keeps it as the password form does', async () => {
      const sari = await t.make.user({ password: null, fullName: 'Sari Wulandari' });
      provider.accounts.set('sari', { nip: formatNip(sari.nip as string) });
      const agent = browser(t.app);
      await agent.get('/bahasa?ke=en&kembali=/masuk');
      const started = await agent.get('/masuk/sso');
      const { callbackUrl } = await provider.browser().signIn(started.headers.location as string, 'sari');
      const back = await agent.get(`${callbackUrl.pathname}${callbackUrl.search}`);
      expect(back.status).toBe(302);
      expect(back.headers.location).toBe('/pakta');
      expect(await storedLanguage(sari)).toBe('en');
    });
  });
});

describe('the account page', () => {
  it('shows the stored language, and offers to store the page’s language when it is not the one stored', async () => {
    const wulan = await t.make.user({ email: 'wulan@uji.test', fullName: 'Wulan Sari' });
    const agent = browser(t.app);
    await logIn(agent, 'wulan@uji.test');
    // Nothing stored and an Indonesian page: mail is in Indonesian already, nothing to offer.
    const indonesian = (await agent.get('/akun')).text;
    expect(indonesian).toContain(loadCatalogue('id')['account.language_none']);
    expect(indonesian).not.toMatch(/<button type="submit" name="ke" value="id" class/);
    // English because the browser asks for it: nothing stored, so mail would be Indonesian. The page says so.
    const page = (await agent.get('/akun').set('Accept-Language', 'en')).text;
    expect(htmlLang(page)).toBe('en');
    const en = loadCatalogue('en');
    expect(page).toContain(en['account.language_none']);
    const offer = (en['account.language_use'] as string).replace('{language}', 'English');
    expect(page).toContain(
      `<button type="submit" name="ke" value="en" class="btn btn-outline-primary btn-sm">${offer}</button>`,
    );

    const res = await postForm(agent, '/akun', '/bahasa', { ke: 'en', kembali: '/akun' });
    expect(res.headers.location).toBe('/akun');
    expect((await t.services.users.findById(wulan.id))?.language).toBe('en');
    const after = (await agent.get('/akun').set('Accept-Language', 'en')).text;
    expect(after).not.toContain(en['account.language_none']);
    expect(after).not.toContain(offer);
    // On an Indonesian page the stored language is named in itself, marked as such.
    await agent.get('/bahasa?ke=id&kembali=/akun');
    const stored = (await agent.get('/akun')).text;
    expect(stored).toContain('<span lang="en">English</span>');
    // …and, mail following English, the page's Indonesian is offered.
    expect(stored).toMatch(
      /<button type="submit" name="ke" value="id" class="btn btn-outline-primary btn-sm">/,
    );
  });

  it('lets someone who must change their password switch the language they read that in', async () => {
    const baru = await t.make.user({ email: 'baru@uji.test', mustChangePassword: true });
    const agent = browser(t.app);
    expect((await logIn(agent, 'baru@uji.test')).headers.location).toBe('/akun');
    const res = await postForm(agent, '/akun', '/bahasa', { ke: 'en', kembali: '/akun' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/akun');
    expect((await t.services.users.findById(baru.id))?.language).toBe('en');
    expect(htmlLang((await agent.get('/akun')).text)).toBe('en');
    // The link sets the cookie and goes back, rather than being sent to the account page.
    const link = await agent.get('/bahasa?ke=id&kembali=%2Fprivasi');
    expect(link.headers.location).toBe('/privasi');
    expect(String(link.headers['set-cookie'])).toMatch(/^lang=id;/);
    // Everything else is still closed until the password is changed.
    expect((await agent.get('/pakta')).headers.location).toBe('/akun');
  });

  it('lists the stored language among the person’s data, and in its JSON download', async () => {
    const eka = await t.make.user({ email: 'eka@uji.test' });
    const agent = browser(t.app);
    await logIn(agent, 'eka@uji.test');
    const id = loadCatalogue('id');
    expect((await agent.get('/akun/data.json')).body.profile.language).toBeNull();
    expect((await agent.get('/akun/data')).text).toContain(id['account.language_none']);
    await t.services.users.setLanguage(eka.id, 'en', t.clock.now());
    await agent.get('/bahasa?ke=id&kembali=/');
    expect((await agent.get('/akun/data.json')).body.profile.language).toBe('en');
    const page = (await agent.get('/akun/data')).text;
    expect(page).toMatch(
      new RegExp(`${id['account.language']}</dt><dd class="col-sm-8 text-break" lang="en">English</dd>`),
    );
  });
});

describe('mail, receipts and exports', () => {
  /** The mails of reminder run 1 once it has finished (they go out after the answer). */
  async function mailsOfFirstRun() {
    await vi.waitFor(async () => expect((await t.services.reminders.findRun(1))?.finishedAt).toBeTruthy(), {
      timeout: 5000,
    });
    return t.services.outbox.page(50, 0);
  }

  it('writes a reminder in the language its recipient chose, whatever the sender reads', async () => {
    t.clock.set('2023-11-14T03:00:00Z');
    const unit = await t.make.unit({ name: 'Dinas Komunikasi dan Informatika' });
    const dewi = await t.make.user({ unitId: unit.id, fullName: 'Dewi Lestari', email: 'dewi@uji.test' });
    const budi = await t.make.user({ unitId: unit.id, fullName: 'Budi Santoso', email: 'budi@uji.test' });
    const dewiBrowser = browser(t.app);
    await logIn(dewiBrowser, 'dewi@uji.test');
    expect((await postForm(dewiBrowser, '/akun', '/bahasa', { ke: 'en', kembali: '/akun' })).status).toBe(
      303,
    );
    // The deadline is 23:59 WIB on 21 November 2023.
    const pact = await makePact(t.services, { deadline: new Date('2023-11-21T16:59:00Z') });

    const { agent: admin } = await loggedInAdmin(t);
    await admin.get('/bahasa?ke=en&kembali=/');
    const res = await postForm(
      admin,
      `/admin/kepatuhan/${pact.id}`,
      `/admin/kepatuhan/${pact.id}/pengingat`,
      {},
    );
    expect(res.status).toBe(303);

    const mails = await mailsOfFirstRun();
    const toDewi = mails.find((mail) => mail.to === dewi.email);
    const toBudi = mails.find((mail) => mail.to === budi.email);
    expect(toDewi?.body).toContain('21 November 2023 at 23:59 WIB');
    expect(toDewi?.body).not.toContain('pukul');
    expect(toDewi?.body).not.toContain('Yth.');
    expect(toBudi?.body).toContain('Yth. Budi Santoso');
    expect(toBudi?.body).toContain('21 November 2023 pukul 23.59 WIB');
  });

  it('writes invitations, password resets and the notice of a changed email in the recipient’s language', async () => {
    const unit = await t.make.unit({ name: 'Dinas Pendidikan' });
    const ayu = await t.make.user({
      unitId: unit.id,
      email: 'ayu@uji.test',
      fullName: 'Ayu Kartika',
      password: null,
    });
    const budi = await t.make.user({
      unitId: unit.id,
      email: 'budi@uji.test',
      fullName: 'Budi Santoso',
      password: null,
    });
    await t.services.users.setLanguage(ayu.id, 'en', t.clock.now());
    const { agent: admin } = await loggedInAdmin(t);
    // Whoever presses the button reads Indonesian: it is the recipient who decides.
    await admin.get('/bahasa?ke=id&kembali=/admin');
    const mailTo = async (address: string, kind: string) => {
      let found: Awaited<ReturnType<typeof t.services.outbox.page>>[number] | undefined;
      await vi.waitFor(
        async () => {
          found = (await t.services.outbox.page(50, 0)).find(
            (mail) => mail.to === address && mail.kind === kind,
          );
          expect(found).toBeDefined();
        },
        { timeout: 5000 },
      );
      return found as NonNullable<typeof found>;
    };

    for (const person of [ayu, budi]) {
      const res = await postForm(
        admin,
        `/admin/pengguna/${person.id}`,
        `/admin/pengguna/${person.id}/tautan-sandi`,
      );
      expect(res.status).toBe(200);
    }
    const toAyu = await mailTo('ayu@uji.test', 'invitation');
    expect(toAyu.body).toMatch(/^Dear Ayu Kartika,/);
    expect(toAyu.body).toContain('72 hours');
    expect(toAyu.subject).not.toContain('Undangan');
    const toBudi = await mailTo('budi@uji.test', 'invitation');
    expect(toBudi.body).toMatch(/^Yth\. Budi Santoso,/);
    expect(toBudi.body).toContain('72 jam');

    // Their email changed by the admin (a link was handed out): the old address is told, in their language.
    for (const person of [ayu, budi]) {
      const res = await postForm(admin, `/admin/pengguna/${person.id}`, `/admin/pengguna/${person.id}`, {
        nip: person.nip ?? '',
        employee_type: person.employeeType,
        email: `baru.${person.email}`,
        full_name: person.fullName,
        position: person.position,
        unit_id: String(unit.id),
        role: person.role,
      });
      expect(res.status).toBe(303);
    }
    const ayuNotice = await mailTo('ayu@uji.test', 'access_changed');
    expect(ayuNotice.body).toMatch(/^Dear Ayu Kartika,/);
    expect(ayuNotice.body).toContain('baru.ayu@uji.test');
    expect(ayuNotice.body).not.toContain('Yth.');
    const budiNotice = await mailTo('budi@uji.test', 'access_changed');
    expect(budiNotice.body).toMatch(/^Yth\. Budi Santoso,/);
    expect(budiNotice.body).toContain('Email akun sekarang: baru.budi@uji.test');

    // A reset the person asks for themselves, from a browser reading Indonesian.
    const citra = await t.make.user({ email: 'citra@uji.test', fullName: 'Citra Dewi' });
    await t.services.users.setLanguage(citra.id, 'en', t.clock.now());
    const dodi = await t.make.user({ email: 'dodi@uji.test', fullName: 'Dodi Saputra' });
    for (const person of [citra, dodi]) {
      const res = await postForm(browser(t.app), '/lupa-kata-sandi', '/lupa-kata-sandi', {
        username: person.email as string,
      });
      expect(res.status).toBeLessThan(400);
    }
    const reset = await mailTo('citra@uji.test', 'reset');
    expect(reset.body).toMatch(/^Dear Citra Dewi,/);
    expect(reset.body).toContain('1 hour');
    expect((await mailTo('dodi@uji.test', 'reset')).body).toMatch(/^Yth\. Dodi Saputra,[\s\S]*1 jam/);
  });

  it('gives an English reader an English receipt, page and PDF (the pact’s own text as written)', async () => {
    t.clock.set('2023-11-21T03:15:00Z');
    const unit = await t.make.unit({ name: 'Badan Kepegawaian Daerah' });
    const rina = await t.make.user({ email: 'rina@uji.test', fullName: 'Rina Handayani', unitId: unit.id });
    const pact = await makePact(t.services, { title: 'Pakta Netralitas BKD', place: 'Semarang' });
    const code = await signAs(t.services, pact, rina);
    const agent = browser(t.app);
    await logIn(agent, 'rina@uji.test');
    await agent.get('/bahasa?ke=en&kembali=/');

    const page = await agent.get(`/tanda-terima/${code}`);
    expect(htmlLang(page.text)).toBe('en');
    expect(page.text).toContain('Tuesday, 21 November 2023, 10:15 WIB');
    expect(page.text).not.toContain('pukul');

    const pdf = await agent.get(`/tanda-terima/${code}.pdf`).buffer(true).parse(binaryParser);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-language']).toBe('en');
    const text = pdfText(pdf.body as Buffer);
    expect(text).toContain('21 November 2023 at 10:15 WIB');
    expect(text).not.toContain('pukul');
    // The pact's own text stays as the admin wrote it.
    expect(text).toContain('Pakta Netralitas BKD');
    expect(text).toContain('netralitas');

    // The same receipt for an Indonesian reader.
    await agent.get('/bahasa?ke=id&kembali=/');
    const indonesian = await agent.get(`/tanda-terima/${code}.pdf`).buffer(true).parse(binaryParser);
    expect(pdfText(indonesian.body as Buffer)).toContain('21 November 2023 pukul 10.15 WIB');
  });

  it('gives an English reader the compliance CSV with English headers, commas between cells and decimal points', async () => {
    const dinkes = await t.make.unit({ name: 'Dinas Kesehatan', code: 'DINKES' });
    const pact = await makePact(t.services, { audience: 'all' });
    const people = [];
    for (let i = 0; i < 3; i++) people.push(await t.make.user({ unitId: dinkes.id }));
    for (const person of people.slice(0, 2)) await signAs(t.services, pact, person);
    const { agent } = await loggedInAdmin(t);

    const csv = async (delimiter: string) => {
      const res = await agent.get(`/admin/kepatuhan/${pact.id}?format=csv`).buffer(true).parse(binaryParser);
      expect(res.status).toBe(200);
      // What a spreadsheet in that language's locale splits on: ';' beside the decimal comma, ',' beside the point.
      const firstLine = (res.body as Buffer).toString('utf8').split('\r\n')[0] as string;
      expect(firstLine.split(delimiter).length).toBeGreaterThan(7);
      return parse(res.body as Buffer, { delimiter, bom: true }) as string[][];
    };
    const id = loadCatalogue('id');
    const en = loadCatalogue('en');
    const indonesian = await csv(';');
    expect(indonesian[0]?.slice(4, 8)).toEqual(
      ['required', 'signed', 'unsigned', 'percent'].map((c) => id[`compliance.export.col.${c}`]),
    );
    expect(indonesian[1]?.slice(4, 8)).toEqual(['3', '2', '1', '66,7']);

    await agent.get('/bahasa?ke=en&kembali=/admin');
    const english = await csv(',');
    expect(english[0]?.slice(4, 8)).toEqual(
      ['required', 'signed', 'unsigned', 'percent'].map((c) => en[`compliance.export.col.${c}`]),
    );
    expect(english[1]?.slice(4, 8)).toEqual(['3', '2', '1', '66.7']);
  });
});

describe('kept public pages', () => {
  it('keep each language its own copy of a URL, and say what chose it', async () => {
    await makePact(t.services, { deadline: new Date(t.clock.now().getTime() + 7 * DAY) });
    const spy = vi.spyOn(t.app, 'render');
    const anonymous = (headers: Record<string, string>) => get('/kepatuhan', headers);

    const seen: string[] = [];
    const varies = new Set<string>();
    const asked: Record<string, string>[] = [
      { 'Accept-Language': 'en' },
      { 'Accept-Language': 'id' },
      { 'Accept-Language': 'en' },
      { 'Accept-Language': 'id' },
      // The same copies for the cookie's choice, compressed or not.
      { Cookie: 'lang=en', 'Accept-Language': 'id', 'Accept-Encoding': 'identity' },
      { Cookie: 'lang=id', 'Accept-Language': 'en', 'Accept-Encoding': 'identity' },
    ];
    for (const headers of asked) {
      const res = await anonymous(headers);
      expect(res.status).toBe(200);
      varies.add(res.headers.vary as string);
      expect(res.headers['content-language']).toBe(htmlLang(res.text));
      seen.push(`${htmlLang(res.text)} ${res.text.includes(ENGLISH_HOME) ? 'Home' : 'Beranda'}`);
    }
    expect(seen).toEqual(['en Home', 'id Beranda', 'en Home', 'id Beranda', 'en Home', 'id Beranda']);
    // Named alike, fresh or kept: a proxy keeping a copy per variant (nginx) hashes the names in their order.
    expect([...varies]).toEqual(['Cookie, Accept-Language, Accept-Encoding']);
    // One render per language: the rest came from memory.
    expect(spy.mock.calls.length).toBe(2);
  });
});

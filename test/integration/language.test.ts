import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { User } from '../../src/directory/types.js';
import { loadCatalogue } from '../../src/web/i18n.js';
import { type Agent, browser, loggedInAdmin, logIn } from '../helpers/http.js';
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

  it('keeps the JSON API in Indonesian whoever asks', async () => {
    const res = await get('/api/v1/pacts/999999/compliance', { 'Accept-Language': 'en', Cookie: 'lang=en' });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(loadCatalogue('id')['api.error.pact_not_found']);
    expect(res.headers['content-language']).toBe('id');
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

  it('gives an English reader the compliance CSV with English headers and decimal points', async () => {
    const dinkes = await t.make.unit({ name: 'Dinas Kesehatan', code: 'DINKES' });
    const pact = await makePact(t.services, { audience: 'all' });
    const people = [];
    for (let i = 0; i < 3; i++) people.push(await t.make.user({ unitId: dinkes.id }));
    for (const person of people.slice(0, 2)) await signAs(t.services, pact, person);
    const { agent } = await loggedInAdmin(t);

    const csv = async () => {
      const res = await agent.get(`/admin/kepatuhan/${pact.id}?format=csv`).buffer(true).parse(binaryParser);
      expect(res.status).toBe(200);
      return parse(res.body as Buffer, { delimiter: ';', bom: true }) as string[][];
    };
    const id = loadCatalogue('id');
    const en = loadCatalogue('en');
    const indonesian = await csv();
    expect(indonesian[0]?.slice(4, 8)).toEqual(
      ['required', 'signed', 'unsigned', 'percent'].map((c) => id[`compliance.export.col.${c}`]),
    );
    expect(indonesian[1]?.slice(4, 8)).toEqual(['3', '2', '1', '66,7']);

    await agent.get('/bahasa?ke=en&kembali=/admin');
    const english = await csv();
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

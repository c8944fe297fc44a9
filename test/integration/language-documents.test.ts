import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Agent, browser, fetchCsrfToken, loggedInAdmin, logIn } from '../helpers/http.js';
import { binaryParser, makePact, postForm, signAs } from '../helpers/pacts.js';
import { popplerLines, popplerPageCount } from '../helpers/poppler.js';
import { makePost } from '../helpers/posts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// What admins write, and the documents made from it, beside an English interface: marked as Indonesian inside an
// English page; the receipt's statement, the signing sheets and a letter to someone who chose no language stay in
// the instance's language (Indonesian), whoever reads or prints them.

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ BASE_URL: 'https://ikrar.uji.test' });
});
afterEach(() => t.close());

const inEnglish = (agent: Agent) => agent.get('/bahasa?ke=en&kembali=/');
const request = (path: string, language: 'id' | 'en') =>
  browser(t.app).get(path).set('Accept-Language', language);

/** Every line of every page of a PDF, as poppler reads them. */
const pdfLines = (pdf: Buffer): string[] =>
  Array.from({ length: popplerPageCount(pdf) }, (_, i) => popplerLines(pdf, i + 1)).flat();

describe('Indonesian text an admin wrote, inside an English page', () => {
  it('is marked lang="id" in the pact being signed, and not on an Indonesian page', async () => {
    const unit = await t.make.unit();
    await t.make.user({ email: 'rina@uji.test', unitId: unit.id });
    const pact = await makePact(t.services, { title: 'Pakta Netralitas BKD' });
    const agent = browser(t.app);
    await logIn(agent, 'rina@uji.test');

    await inEnglish(agent);
    const english = (await agent.get(`/pakta/${pact.id}`)).text;
    expect(english).toContain('<html lang="en"');
    expect(english).toMatch(
      /<div class="pact-body" lang="id"><p>Dalam rangka menjaga <strong>netralitas<\/strong>/,
    );
    expect(english).toContain('<span lang="id">Pakta Netralitas BKD</span>');

    await agent.get('/bahasa?ke=id&kembali=/');
    const indonesian = (await agent.get(`/pakta/${pact.id}`)).text;
    expect(indonesian).toContain('<html lang="id"');
    expect(indonesian).toContain('<div class="pact-body"><p>Dalam rangka');
    expect(indonesian).not.toContain('lang="id">Pakta Netralitas BKD');
  });

  it('is marked lang="id" in a news post, its list and the home page', async () => {
    const post = await makePost(t.services, {
      title: 'Apel Netralitas ASN',
      excerpt: 'Seluruh pegawai mengikuti apel.',
      body: 'Apel dipimpin oleh **Sekretaris Daerah**.',
    });
    const english = (await request(`/berita/${post.slug}`, 'en')).text;
    expect(english).toContain('<h1 class="h2" lang="id">Apel Netralitas ASN</h1>');
    expect(english).toContain('<p class="lead" lang="id">Seluruh pegawai mengikuti apel.</p>');
    expect(english).toMatch(
      /<div class="prose" lang="id"><p>Apel dipimpin oleh <strong>Sekretaris Daerah<\/strong>/,
    );
    for (const path of ['/berita', '/']) {
      expect((await request(path, 'en')).text, path).toMatch(
        new RegExp(`href="/berita/${post.slug}" lang="id">Apel Netralitas ASN</a>`),
      );
    }

    const indonesian = (await request(`/berita/${post.slug}`, 'id')).text;
    expect(indonesian).toContain('<div class="prose"><p>Apel dipimpin');
    expect(indonesian).not.toContain('lang="id">Apel Netralitas ASN');
  });

  it('is marked lang="id" in the agency’s own section of the privacy notice', async () => {
    const { agent } = await loggedInAdmin(t);
    const saved = await postForm(agent, '/admin/pengaturan', '/admin/pengaturan', {
      name: 'Pemerintah Kabupaten Uji',
      short_name: 'Ikrar Uji',
      retention_years: '5',
      address: 'Jalan Pemuda No. 1',
      email: 'ikrar@uji.test',
      phone: '(024) 123456',
      place: 'Semarang',
      privacy_extra: 'Data disimpan di pusat data **Diskominfo**.',
    });
    expect(saved.status).toBe(303);
    const english = (await request('/privasi', 'en')).text;
    expect(english).toMatch(/<div class="prose" lang="id"><p>Data disimpan di pusat data/);
  });
});

describe('the receipt PDF an English reader downloads', () => {
  it('keeps the statement in Indonesian and gives what is around it in English', async () => {
    // 15 August 2023, 10:15 in Jakarta: a month Indonesian and English name differently.
    t.clock.set('2023-08-15T03:15:00Z');
    const unit = await t.make.unit({ name: 'Badan Kepegawaian Daerah' });
    const rina = await t.make.user({ email: 'rina@uji.test', fullName: 'Rina Handayani', unitId: unit.id });
    const pact = await makePact(t.services, { title: 'Pakta Netralitas BKD', place: 'Semarang' });
    const code = await signAs(t.services, pact, rina);
    const agent = browser(t.app);
    await logIn(agent, 'rina@uji.test');
    await inEnglish(agent);

    const pdf = await agent.get(`/tanda-terima/${code}.pdf`).buffer(true).parse(binaryParser);
    expect(pdf.status).toBe(200);
    const lines = pdfLines(pdf.body as Buffer);
    const text = lines.join('\n');
    // The statement, as it was signed: one sentence in one language.
    expect(text).toContain('PAKTA INTEGRITAS');
    expect(text).toContain('Versi 1');
    expect(text).toContain('Yang bertanda tangan di bawah ini:');
    for (const label of ['Nama', 'Jabatan', 'Unit Kerja']) {
      expect(
        lines.some((line) => new RegExp(`^\\s*${label}\\s+:`).test(line)),
        label,
      ).toBe(true);
    }
    expect(text).toContain('Semarang, 15 Agustus 2023');
    expect(text).toContain('Yang membuat pernyataan,');
    expect(text).toMatch(/\(ditandatangani secara elektronik dengan mengetik\s+nama\s+lengkap\)/);
    expect(text).toContain('NIP.');
    for (const english of [
      'INTEGRITY PACT',
      'I, the undersigned',
      'The declarant',
      'typing the full name',
      'Position',
    ]) {
      expect(text).not.toContain(english);
    }
    // Around it, the reader's language: the verification column and the footer.
    expect(text).toMatch(/Receipt code: [0-9A-Z]{4}(-[0-9A-Z]{4}){3}/);
    expect(text).toContain('Signed: 15 August 2023 at 10:15 WIB');
    expect(text).toContain('Verify:');
    expect(text).toContain('Page 1 of 1');
    expect(text).not.toMatch(/Kode tanda terima|Halaman 1 dari 1|pukul/);
  });
});

describe('documents printed by an English admin for other people', () => {
  it('writes each activation letter in its person’s language, Indonesian for whoever chose none', async () => {
    const unit = await t.make.unit({ name: 'Dinas Kesehatan' });
    await t.make.user({ unitId: unit.id, fullName: 'Ani Lestari', email: null, password: null });
    const budi = await t.make.user({
      unitId: unit.id,
      fullName: 'Budi Santoso',
      email: null,
      password: null,
    });
    await t.services.users.setLanguage(budi.id, 'en', t.clock.now());
    const { agent } = await loggedInAdmin(t);
    await inEnglish(agent);

    const token = await fetchCsrfToken(agent, '/admin/surat-aktivasi');
    const prepared = await agent
      .post('/admin/surat-aktivasi')
      .type('form')
      .send({ _csrf: token, layout: 'a4', kind: 'unit', unit_id: String(unit.id) });
    const batchId = /\/admin\/surat-aktivasi\/(\d+)\/cetak/.exec(prepared.text)?.[1] as string;
    const printToken = await fetchCsrfToken(agent, `/admin/surat-aktivasi/${batchId}`);
    const pdf = await agent
      .post(`/admin/surat-aktivasi/${batchId}/cetak`)
      .type('form')
      .send({ _csrf: printToken })
      .buffer(true)
      .parse(binaryParser);
    expect(pdf.status).toBe(200);
    const body = pdf.body as Buffer;
    expect(popplerPageCount(body)).toBe(2);
    const letterOf = (name: string) => {
      const page = [1, 2].map((n) => popplerLines(body, n).join('\n')).find((text) => text.includes(name));
      if (!page) throw new Error(`no letter for ${name}`);
      return page;
    };
    const toAni = letterOf('Ani Lestari');
    expect(toAni).toContain('SURAT AKTIVASI AKUN IKRAR');
    expect(toAni).toContain('Cara mengaktifkan akun:');
    expect(toAni).toMatch(/Berlaku sampai \S+, \d+ \S+ \d{4}/);
    expect(toAni).not.toContain('ACTIVATION');
    const toBudi = letterOf('Budi Santoso');
    expect(toBudi).toContain('IKRAR ACCOUNT ACTIVATION LETTER');
    expect(toBudi).toContain('How to activate your account:');
    expect(toBudi).toMatch(/Valid until \S+, \d+ \S+ \d{4}/);
    expect(toBudi).not.toContain('AKTIVASI');
  });

  it('prints a ceremony’s signing sheet in Indonesian', async () => {
    const unit = await t.make.unit({ name: 'Dinas Pendidikan' });
    await t.make.user({ unitId: unit.id, fullName: 'Citra Dewi' });
    const pact = await makePact(t.services, { audience: 'all', title: 'Pakta Netralitas Disdik' });
    const { agent } = await loggedInAdmin(t);
    await inEnglish(agent);

    const sheet = await agent
      .get(`/admin/kepatuhan/${pact.id}/kertas/lembar?unit=${unit.id}`)
      .buffer(true)
      .parse(binaryParser);
    expect(sheet.status).toBe(200);
    expect(sheet.headers['content-language']).toBe('id');
    const text = pdfLines(sheet.body as Buffer).join('\n');
    expect(text).toContain('LEMBAR PENANDATANGANAN PAKTA INTEGRITAS');
    expect(text).toMatch(/Nama \/ NIP/);
    expect(text).toContain('Tanda Tangan');
    expect(text).toContain('Mengetahui,');
    expect(text).toMatch(/Halaman 1 dari 1/);
    expect(text).not.toMatch(/SIGNING SHEET|Signature|Acknowledged by|Page 1 of/);
    // The admin's own page stays in English.
    expect((await agent.get(`/admin/kepatuhan/${pact.id}/kertas`)).text).toContain('<html lang="en"');
  });
});

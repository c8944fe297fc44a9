import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { besideField, expectNamedErrors } from '../helpers/form-messages.js';
import { type Agent, browser, loggedInAdmin, loggedInAs, logIn, pageText } from '../helpers/http.js';
import { makePact, postForm } from '../helpers/pacts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** What an admin of Jawa Tengah types into the settings form, the privacy notice's texts included. */
const SETTINGS = {
  name: 'Pemerintah Provinsi Jawa Tengah',
  short_name: 'Ikrar Jateng',
  address: 'Jalan Pahlawan No. 9, Semarang 50243',
  email: 'ikrar@jatengprov.go.id',
  phone: '(024) 8311282',
  place: 'Semarang',
  privacy_controller: 'Badan Kepegawaian Daerah Provinsi Jawa Tengah',
  privacy_officer: 'Kepala Bidang Data dan Informasi Kepegawaian',
  privacy_officer_email: 'ppdp.bkd@jatengprov.go.id',
  privacy_officer_address: 'Jalan Stadion Selatan No. 1, Semarang',
  privacy_extra: '## Jam layanan\n\nSenin sampai Jumat, **08.00–16.00 WIB**.\n\n<script>alert(1)</script>',
  retention_years: '7',
};

describe('the privacy notice', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const notice = async () => {
    const res = await request(t.app).get('/privasi');
    expect(res.status).toBe(200);
    return { html: res.text, text: pageText(res.text) };
  };
  const save = (agent: Agent, fields: Record<string, string>) =>
    postForm(agent, '/admin/pengaturan', '/admin/pengaturan', fields);

  it('reads well on a fresh instance, from its defaults', async () => {
    const { text, html } = await notice();
    expect(html).toContain('<title>Pemberitahuan Privasi · Ikrar</title>');
    // With nothing set, the instance itself controls the data and its officer is named after it.
    expect(text).toContain('Ikrar adalah pengendali data pribadi');
    expect(text).toContain('Pejabat pelindungan data pribadi Ikrar');
    expect(text).toContain('Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi');
    expect(text).toContain('Masa simpan gambar tanda tangan, dalam tahun sejak paktanya ditutup: 5.');
    // What the public pages really show, and how to use each right.
    expect(text).toContain('menampilkan nama, jabatan, dan NIP tersamar kepala setiap unit');
    expect(text).toContain('halaman publik hanya menampilkan angka per unit kerja, tanpa nama');
    expect(text).toContain('Gambar tanda tangan Anda tidak pernah ditampilkan kepada publik');
    expect(html).toContain('<a href="/akun/data">');
    expect(text).not.toContain('Ketentuan tambahan');
  });

  it('is linked from every footer, from the signing page near the consent and from the account page', async () => {
    expect((await request(t.app).get('/')).text).toMatch(
      /<footer[\s\S]*<a href="\/privasi">Pemberitahuan privasi<\/a>/,
    );
    const unit = await t.make.unit();
    const { agent } = await loggedInAs(t, 'signer', { unitId: unit.id });
    const pact = await makePact(t.services);
    const signing = (await agent.get(`/pakta/${pact.id}`)).text;
    expect(signing).toMatch(/id="consent"[\s\S]{0,600}<a href="\/privasi">baca pemberitahuan privasi<\/a>/);
    const account = (await agent.get('/akun')).text;
    expect(account).toContain('<a href="/akun/data">Lihat data pribadi Anda</a>');
    expect(account).toContain('<a href="/privasi">Pemberitahuan privasi</a>');
  });

  it('shows the texts an admin sets at once, also to a reader of the page cache, and audits them', async () => {
    // An anonymous reader's page is kept…
    await notice();
    const { admin, agent } = await loggedInAdmin(t);
    expect((await save(agent, SETTINGS)).status).toBe(303);

    // …and the next reader gets the new texts all the same.
    const { html, text } = await notice();
    expect(text).toContain('Badan Kepegawaian Daerah Provinsi Jawa Tengah adalah pengendali data pribadi');
    expect(text).toContain('Kepala Bidang Data dan Informasi Kepegawaian');
    expect(html).toContain('<a href="mailto:ppdp.bkd@jatengprov.go.id">ppdp.bkd@jatengprov.go.id</a>');
    expect(text).toContain('Jalan Stadion Selatan No. 1, Semarang');
    expect(text).toContain('Masa simpan gambar tanda tangan, dalam tahun sejak paktanya ditutup: 7.');
    // The agency's section, rendered and sanitised.
    expect(text).toContain('Ketentuan tambahan dari Badan Kepegawaian Daerah Provinsi Jawa Tengah');
    expect(html).toContain('<h2>Jam layanan</h2>');
    expect(html).toContain('<strong>08.00–16.00 WIB</strong>');
    expect(html).not.toContain('<script>alert(1)</script>');

    // The form shows them back.
    const form = (await agent.get('/admin/pengaturan')).text;
    expect(form).toMatch(
      /name="privacy_controller"\s+type="text" value="Badan Kepegawaian Daerah Provinsi Jawa Tengah"/,
    );
    expect(form).toContain('>## Jam layanan\n\nSenin sampai Jumat');

    const [event] = (await t.services.audit.recent(20)).filter((e) => e.action === 'settings.updated');
    expect(event?.actorUserId).toBe(admin.id);
    expect(event?.details.fields).toEqual(
      expect.arrayContaining([
        'privacyController',
        'privacyOfficer',
        'privacyOfficerEmail',
        'privacyOfficerAddress',
        'privacyExtra',
      ]),
    );
    expect(event?.details.to).toMatchObject({ privacyOfficerEmail: 'ppdp.bkd@jatengprov.go.id' });

    // Blank again: the notice falls back to the instance's own name, address and email.
    expect(
      (
        await save(agent, {
          ...SETTINGS,
          privacy_controller: '',
          privacy_officer: '',
          privacy_officer_email: '',
          privacy_officer_address: '',
          privacy_extra: '',
        })
      ).status,
    ).toBe(303);
    const fallback = await notice();
    expect(fallback.text).toContain('Pemerintah Provinsi Jawa Tengah adalah pengendali data pribadi');
    expect(fallback.text).toContain('Pejabat pelindungan data pribadi Pemerintah Provinsi Jawa Tengah');
    expect(fallback.html).toContain('<a href="mailto:ikrar@jatengprov.go.id">ikrar@jatengprov.go.id</a>');
    expect(fallback.text).not.toContain('Ketentuan tambahan');
  });

  it('refuses bad texts with a message naming each field, keeps what was typed and stores nothing', async () => {
    const { agent } = await loggedInAdmin(t);
    const res = await save(agent, {
      ...SETTINGS,
      privacy_controller: 'x'.repeat(201),
      privacy_officer_email: 'bukan-email',
      privacy_extra: 'y'.repeat(4001),
    });
    expect(res.status).toBe(400);
    expectNamedErrors(res.text, [
      ['privacy_controller', 'Pengendali data pribadi terlalu panjang.'],
      [
        'privacy_officer_email',
        'Isi alamat email pejabat pelindungan data pribadi yang sah, atau kosongkan.',
      ],
      ['privacy_extra', 'Ketentuan tambahan pemberitahuan privasi terlalu panjang.'],
    ]);
    expect(res.text).toMatch(/name="privacy_officer_email"\s+type="email" value="bukan-email"/);
    expect((await notice()).text).toContain('Ikrar adalah pengendali data pribadi');
    expect((await t.services.audit.recent(20)).some((e) => e.action === 'settings.updated')).toBe(false);
  });

  it('refuses a section Markdown cannot parse in time, beside the field', async () => {
    const { agent } = await loggedInAdmin(t);
    const res = await save(agent, { ...SETTINGS, privacy_extra: '>'.repeat(4000) });
    expect(res.status).toBe(422);
    expect(besideField(res.text, 'privacy_extra')).toContain('terlalu rumit');
    expect((await notice()).text).not.toContain('Ketentuan tambahan');
  });

  it('lets only admins change the texts, and only with the form’s CSRF token', async () => {
    const unit = await t.make.unit();
    const { agent: operator } = await loggedInAs(t, 'operator', { unitId: unit.id });
    expect((await operator.get('/admin/pengaturan')).status).toBe(403);
    expect((await postForm(operator, '/akun', '/admin/pengaturan', SETTINGS)).status).toBe(403);

    const { agent } = await loggedInAdmin(t);
    const forged = await agent.post('/admin/pengaturan').type('form').send(SETTINGS);
    expect(forged.status).toBe(403);
    expect((await notice()).text).toContain('Ikrar adalah pengendali data pribadi');
  });

  it('is readable by someone who must change their password first', async () => {
    const user = await t.make.user({ mustChangePassword: true });
    const agent = browser(t.app);
    await logIn(agent, user.email as string);
    expect((await agent.get('/privasi')).status).toBe(200);
    expect((await agent.get('/akun/data')).headers.location).toBe('/akun');
  });
});

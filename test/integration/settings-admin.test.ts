import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_INSTANCE,
  readInstanceSettings,
  writeInstanceSettings,
} from '../../src/settings/instance.js';
import { browser, fetchCsrfToken, loggedInAdmin, logIn } from '../helpers/http.js';
import { postForm } from '../helpers/pacts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const JATENG = {
  name: 'Pemerintah Provinsi Jawa Tengah',
  short_name: 'Ikrar Jateng',
  address: 'Gedung A Lantai 5, Jalan Pahlawan No.9 Semarang 50243',
  email: 'jdih@jatengprov.go.id',
  phone: '(024) 8311282',
  place: 'Semarang',
};

describe('instance settings', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const asAdmin = () => loggedInAdmin(t);

  const save = (agent: ReturnType<typeof browser>, fields: Record<string, string>) =>
    postForm(agent, '/admin/pengaturan', '/admin/pengaturan', fields);
  const settingsEvents = async () =>
    (await t.services.audit.recent(50)).filter((e) => e.action === 'settings.updated');

  it('shows the form filled with the current settings', async () => {
    const { agent } = await asAdmin();
    const res = await agent.get('/admin/pengaturan');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Pengaturan instansi');
    expect(res.text).toMatch(/name="name"\s+type="text" value="Ikrar"/);
    expect(res.text).toContain('href="/admin/pengaturan" aria-current="page"');
  });

  it('saves the settings, shows them in every footer and records the changed fields', async () => {
    const { admin, agent } = await asAdmin();
    const res = await save(agent, JATENG);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/pengaturan');

    const page = await agent.get('/admin/pengaturan');
    expect(page.text).toContain('Pengaturan disimpan.');
    expect(page.text).toContain('value="Gedung A Lantai 5, Jalan Pahlawan No.9 Semarang 50243"');

    const home = await request(t.app).get('/');
    expect(home.text).toContain('<p class="mb-1">Gedung A Lantai 5, Jalan Pahlawan No.9 Semarang 50243</p>');
    expect(home.text).toContain('<a href="mailto:jdih@jatengprov.go.id">jdih@jatengprov.go.id</a>');
    expect(home.text).toContain('(024) 8311282');
    expect(home.text).toMatch(
      /jdih@jatengprov\.go\.id<\/a>\s*-\s*<span class="visually-hidden">Telepon: <\/span>\(024\) 8311282/,
    );
    expect(home.text).toContain(' · Ikrar Jateng</title>');

    expect(await readInstanceSettings(t.services.settings)).toEqual({
      ...DEFAULT_INSTANCE,
      name: JATENG.name,
      shortName: JATENG.short_name,
      address: JATENG.address,
      email: JATENG.email,
      phone: JATENG.phone,
      place: JATENG.place,
      // Not sent by this form: they stay as they were.
      activationDays: 14,
      officialTitle: '',
      officialName: '',
      officialNip: '',
    });
    const [event, ...others] = await settingsEvents();
    expect(others).toEqual([]);
    expect(event).toMatchObject({ actorUserId: admin.id, targetType: null });
    expect(event?.details).toEqual({
      fields: ['name', 'shortName', 'address', 'email', 'phone', 'place'],
      from: { name: 'Ikrar', shortName: 'Ikrar', address: '', email: '', phone: '', place: '' },
      to: {
        name: JATENG.name,
        shortName: JATENG.short_name,
        address: JATENG.address,
        email: JATENG.email,
        phone: JATENG.phone,
        place: JATENG.place,
      },
    });

    // A second save records only what changed; the audit log names the action.
    expect((await save(agent, { ...JATENG, phone: '(024) 8311174', email: '' })).status).toBe(303);
    expect((await settingsEvents())[0]?.details).toEqual({
      fields: ['email', 'phone'],
      from: { email: JATENG.email, phone: JATENG.phone },
      to: { email: '', phone: '(024) 8311174' },
    });
    const footer = (await request(t.app).get('/')).text;
    expect(footer).not.toContain('mailto:');
    expect(footer).toContain('(024) 8311174');
    const log = await agent.get('/admin/audit');
    expect(log.text).toContain('Mengubah pengaturan instansi');
    expect(log.text).toContain('Isian yang diubah: email, phone');
  });

  it('sets how many days activation codes work, and refuses a number outside 1–90 keeping what was typed', async () => {
    const { agent } = await asAdmin();
    expect((await save(agent, { ...JATENG, activation_days: '30' })).status).toBe(303);
    expect((await readInstanceSettings(t.services.settings)).activationDays).toBe(30);
    const refused = await save(agent, { ...JATENG, activation_days: '365' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Masa berlaku kode aktivasi harus bilangan bulat 1–90 hari');
    expect(refused.text).toMatch(/name="activation_days"\s+type="number" value="365"/);
    expect((await readInstanceSettings(t.services.settings)).activationDays).toBe(30);
  });

  it('writes and records nothing when nothing changed', async () => {
    const { agent } = await asAdmin();
    await writeInstanceSettings(
      t.services.settings,
      {
        ...DEFAULT_INSTANCE,
        ...JATENG,
        shortName: JATENG.short_name,
        activationDays: 14,
        officialTitle: '',
        officialName: '',
        officialNip: '',
      },
      t.clock.now(),
    );
    const res = await save(agent, { ...JATENG, name: `  ${JATENG.name} ` });
    expect(res.status).toBe(303);
    expect((await agent.get('/admin/pengaturan')).text).toContain('Tidak ada perubahan yang disimpan.');
    expect(await settingsEvents()).toEqual([]);
  });

  it.each([
    [{ name: '' }, 'name', 'Nama instansi wajib diisi.'],
    [{ name: 'x'.repeat(151) }, 'name', 'Nama instansi terlalu panjang.'],
    [{ short_name: '   ' }, 'short_name', 'Nama singkat wajib diisi.'],
    [{ email: 'bukan-email' }, 'email', 'Isi alamat email yang sah, atau kosongkan.'],
    [{ email: 'a@b' }, 'email', 'Isi alamat email yang sah, atau kosongkan.'],
    [{ phone: 'telepon kami' }, 'phone', 'Isi nomor telepon dengan angka'],
    [{ phone: '1'.repeat(51) }, 'phone', 'Telepon terlalu panjang.'],
    [{ address: 'Jalan\u0007Pahlawan' }, 'address', 'karakter yang tidak sah'],
    [{ place: 'x'.repeat(101) }, 'place', 'Tempat penandatanganan pakta terlalu panjang.'],
  ])(
    'refuses %o with 400, the message beside the field and every input kept',
    async (bad, field, message) => {
      const { agent } = await asAdmin();
      const fields = { ...JATENG, ...bad };
      const res = await save(agent, fields);
      expect(res.status).toBe(400);
      expect(res.text).toContain(message);
      expect(res.text).toContain(`id="${field}-error"`);
      expect(res.text).toContain(`href="#${field}"`);
      for (const [name, value] of Object.entries(fields)) {
        if (name !== 'address' || !('address' in bad)) expect(res.text).toContain(`value="${value}"`);
      }
      expect((await readInstanceSettings(t.services.settings)).name).toBe('Ikrar');
      expect(await settingsEvents()).toEqual([]);
    },
  );

  it('refuses a field sent twice rather than picking one', async () => {
    const { agent } = await asAdmin();
    const token = await fetchCsrfToken(agent, '/admin/pengaturan');
    const res = await agent
      .post('/admin/pengaturan')
      .type('form')
      .send(`_csrf=${encodeURIComponent(token)}&name=A&name=B&short_name=S`);
    expect(res.status).toBe(400);
    expect(res.text).toContain('Nama instansi tidak sah.');
  });

  it('reads an older single contact setting as the phone number', async () => {
    await t.services.settings.put('instance.contact', '(024) 3547091', t.clock.now());
    expect((await readInstanceSettings(t.services.settings)).phone).toBe('(024) 3547091');
    expect((await request(t.app).get('/')).text).toContain('(024) 3547091');
  });

  it('prefills a new pact with the place from the settings', async () => {
    const { agent } = await asAdmin();
    await save(agent, { ...JATENG, place: 'Magelang' });
    const form = await agent.get('/admin/pakta/baru');
    expect(form.text).toMatch(/name="place"\s+type="text" value="Magelang"/);
  });

  it.each(['operator', 'signer'] as const)('refuses a %s with 403 and changes nothing', async (role) => {
    await t.make.user({ role, email: `${role}@uji.test` });
    const agent = browser(t.app);
    await logIn(agent, `${role}@uji.test`);
    expect((await agent.get('/admin/pengaturan')).status).toBe(403);
    const token = await fetchCsrfToken(agent, '/akun');
    const res = await agent
      .post('/admin/pengaturan')
      .type('form')
      .send({ _csrf: token, ...JATENG });
    expect(res.status).toBe(403);
    expect((await readInstanceSettings(t.services.settings)).name).toBe('Ikrar');
    expect(await settingsEvents()).toEqual([]);
  });
});

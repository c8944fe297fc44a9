import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatNip } from '../../src/directory/nip.js';
import { personFactory, seededRandom } from '../../src/seed/people.js';
import { browser, fetchCsrfToken, loggedInAdmin, logIn } from '../helpers/http.js';
import { linkIn, startSmtpServer } from '../helpers/smtp.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

describe('the user directory', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const person = personFactory(seededRandom(42));
  const newNip = () => person({ bornFrom: 1975, bornTo: 1990 }).nip;
  const post = async (
    agent: ReturnType<typeof browser>,
    formPage: string,
    path: string,
    fields: Record<string, string>,
  ) => {
    const token = await fetchCsrfToken(agent, formPage);
    return agent
      .post(path)
      .type('form')
      .send({ _csrf: token, ...fields });
  };
  const asAdmin = () => loggedInAdmin(t, 'Admin Provinsi');
  /** A parent unit with a child, and a sibling unit; an operator of the parent. */
  const tree = async () => {
    const parent = await t.make.unit({ code: 'DISKOMINFO', name: 'Dinas Komunikasi dan Informatika' });
    const child = await t.make.unit({ code: 'UPT-DATA', name: 'UPT Pusat Data', parentId: parent.id });
    const sibling = await t.make.unit({ code: 'DINKES', name: 'Dinas Kesehatan' });
    const operator = await t.make.user({
      role: 'operator',
      email: 'operator@uji.test',
      unitId: parent.id,
      fullName: 'Sri Wahyuni',
    });
    const operatorAgent = browser(t.app);
    await logIn(operatorAgent, 'operator@uji.test');
    return { parent, child, sibling, operator, operatorAgent };
  };
  const fields = (unitId: number, overrides: Record<string, string> = {}) => ({
    nip: formatNip(newNip()),
    employee_type: 'PNS',
    email: '',
    full_name: 'Rahmat Hidayat',
    position: 'Analis Kebijakan',
    unit_id: String(unitId),
    role: 'signer',
    ...overrides,
  });
  const actions = async () => (await t.services.audit.recent(100)).map((e) => e.action);

  describe('listing', () => {
    it('finds people by name, NIP (typed grouped) and email, and filters by unit subtree, role, status and heads', async () => {
      const { agent } = await asAdmin();
      const { parent, child, sibling } = await tree();
      const inChild = await t.make.user({
        unitId: child.id,
        fullName: 'Kartika Anggraini',
        email: 'kartika@uji.test',
      });
      await t.make.user({ unitId: sibling.id, fullName: 'Wahyu Prasetyo' });
      const disabled = await t.make.user({
        unitId: parent.id,
        fullName: 'Teguh Santoso',
        status: 'disabled',
      });
      await t.services.units.setHead(child.id, inChild.id, t.clock.now());

      const byName = await agent.get('/admin/pengguna?q=kartika');
      expect(byName.text).toContain('Kartika Anggraini');
      expect(byName.text).not.toContain('Wahyu Prasetyo');
      const byNip = await agent.get(
        `/admin/pengguna?q=${encodeURIComponent(formatNip(inChild.nip as string).slice(0, 15))}`,
      );
      expect(byNip.text).toContain('Kartika Anggraini');
      expect((await agent.get('/admin/pengguna?q=kartika%40uji')).text).toContain('Kartika Anggraini');
      const byUnit = await agent.get(`/admin/pengguna?unit=${parent.id}`);
      expect(byUnit.text).toContain('Kartika Anggraini'); // in a sub-unit
      expect(byUnit.text).not.toContain('Wahyu Prasetyo');
      const heads = await agent.get('/admin/pengguna?kepala=1');
      expect(heads.text).toContain('Kartika Anggraini');
      expect(heads.text).not.toContain('Teguh Santoso');
      const off = await agent.get('/admin/pengguna?status=disabled');
      expect(off.text).toContain(disabled.fullName);
      expect(off.text).toContain('1 pengguna ditemukan.');
      const operators = await agent.get('/admin/pengguna?role=operator');
      expect(operators.text).toContain('Sri Wahyuni');
      expect(operators.text).not.toContain('Kartika Anggraini');
    });

    it('treats % and _ typed in the search as plain characters', async () => {
      const { agent } = await asAdmin();
      await t.make.user({ fullName: 'Budi Santoso' });
      expect((await agent.get('/admin/pengguna?q=%25')).text).toContain('0 pengguna ditemukan.');
    });

    it('pages through the list, 50 at a time', async () => {
      const { agent } = await asAdmin();
      const unit = await t.make.unit();
      for (let i = 0; i < 55; i += 1) {
        await t.services.users.insert(
          {
            nip: newNip(),
            employeeType: 'PNS',
            email: null,
            fullName: `Pegawai ${String(i).padStart(2, '0')}`,
            position: '',
            pangkat: null,
            unitId: unit.id,
            role: 'signer',
            passwordHash: null,
            mustChangePassword: false,
          },
          t.clock.now(),
        );
      }
      const first = await agent.get(`/admin/pengguna?unit=${unit.id}`);
      expect(first.text).toContain('Halaman 1 dari 2');
      expect(first.text).toContain('Pegawai 00');
      expect(first.text).not.toContain('Pegawai 54');
      const second = await agent.get(`/admin/pengguna?unit=${unit.id}&halaman=2`);
      expect(second.text).toContain('Pegawai 54');
      expect((await agent.get('/admin/pengguna?halaman=0')).status).toBe(400);
      expect((await agent.get('/admin/pengguna?role=raja')).status).toBe(400);
    });
  });

  describe('creating and editing', () => {
    it('adds a person with a valid NIP and audits it; the NIP is stored without spaces', async () => {
      const { agent } = await asAdmin();
      const unit = await t.make.unit();
      const input = fields(unit.id, { email: 'Baru@Uji.test' });
      const res = await post(agent, '/admin/pengguna/baru', '/admin/pengguna', input);
      expect(res.status).toBe(303);
      const user = await t.services.users.findByNip(input.nip.replace(/\s/g, ''));
      expect(user).toMatchObject({
        fullName: 'Rahmat Hidayat',
        email: 'baru@uji.test',
        unitId: unit.id,
        role: 'signer',
        passwordHash: null,
      });
      expect(await actions()).toContain('user.created');
      expect((await agent.get(res.headers.location as string)).text).toContain('Belum memiliki kata sandi');
    });

    it.each([
      [{ nip: '19860230 201505 1 001' }, 'tanggal lahir yang sah'],
      [{ nip: '' }, 'NIP wajib diisi'],
      [{ email: 'bukan-email' }, 'Alamat email tidak sah.'],
      [{ full_name: 'Al' }, 'Nama lengkap harus 3–150 karakter.'],
      [{ unit_id: '' }, 'Pilih unit kerja.'],
    ])(
      'refuses %o with a message beside the field, keeping the input and writing nothing',
      async (bad, message) => {
        const { agent } = await asAdmin();
        const unit = await t.make.unit();
        const before = await t.services.users.count();
        const res = await post(agent, '/admin/pengguna/baru', '/admin/pengguna', fields(unit.id, bad));
        expect([400, 422]).toContain(res.status);
        expect(res.text).toContain(message);
        expect(res.text).toContain('value="Analis Kebijakan"');
        expect(await t.services.users.count()).toBe(before);
      },
    );

    it('refuses a NIP or an email that someone else has', async () => {
      const { agent } = await asAdmin();
      const unit = await t.make.unit();
      const other = await t.make.user({ unitId: unit.id, email: 'dipakai@uji.test' });
      const nip = await post(
        agent,
        '/admin/pengguna/baru',
        '/admin/pengguna',
        fields(unit.id, { nip: other.nip as string }),
      );
      expect(nip.status).toBe(422);
      expect(nip.text).toContain('NIP ini sudah dipakai akun lain.');
      const email = await post(
        agent,
        '/admin/pengguna/baru',
        '/admin/pengguna',
        fields(unit.id, { email: 'DIPAKAI@uji.test' }),
      );
      expect(email.text).toContain('Email ini sudah dipakai akun lain.');
    });

    it('edits a record and audits what changed from what', async () => {
      const { agent } = await asAdmin();
      const unit = await t.make.unit();
      const user = await t.make.user({ unitId: unit.id });
      const res = await post(agent, `/admin/pengguna/${user.id}`, `/admin/pengguna/${user.id}`, {
        ...fields(unit.id, {
          nip: user.nip as string,
          email: user.email as string,
          full_name: user.fullName,
        }),
        position: 'Kepala Seksi Data',
      });
      expect(res.status).toBe(303);
      expect((await t.services.users.findById(user.id))?.position).toBe('Kepala Seksi Data');
      const event = (await t.services.audit.recent(1))[0];
      expect(event).toMatchObject({
        action: 'user.updated',
        details: { position: { from: 'Analis Kebijakan', to: 'Kepala Seksi Data' } },
      });
    });

    it('records a pangkat/golongan, audits it, and refuses one too long with the input kept', async () => {
      const { agent } = await asAdmin();
      const unit = await t.make.unit();
      const user = await t.make.user({ unitId: unit.id });
      const edit = (pangkat: string) =>
        post(agent, `/admin/pengguna/${user.id}`, `/admin/pengguna/${user.id}`, {
          ...fields(unit.id, {
            nip: user.nip as string,
            email: user.email as string,
            full_name: user.fullName,
          }),
          pangkat,
        });
      const tooLong = 'Pembina Utama Madya '.repeat(4);
      const refused = await edit(tooLong);
      expect(refused.status).toBe(400);
      expect(refused.text).toContain(tooLong.trim());
      expect((await t.services.users.findById(user.id))?.pangkat).toBeNull();

      expect((await edit('  Pembina Tk. I,  IV/b ')).status).toBe(303);
      expect((await t.services.users.findById(user.id))?.pangkat).toBe('Pembina Tk. I, IV/b');
      expect((await t.services.audit.recent(1))[0]).toMatchObject({
        action: 'user.updated',
        details: { pangkat: { from: null, to: 'Pembina Tk. I, IV/b' } },
      });
      expect((await agent.get(`/admin/pengguna/${user.id}`)).text).toContain('value="Pembina Tk. I, IV/b"');
    });

    it('never demotes the last active admin', async () => {
      const { admin, agent } = await asAdmin();
      const res = await post(agent, `/admin/pengguna/${admin.id}`, `/admin/pengguna/${admin.id}`, {
        nip: '',
        employee_type: 'PNS',
        email: 'admin@uji.test',
        full_name: 'Admin Provinsi',
        position: '',
        unit_id: '',
        role: 'signer',
      });
      expect(res.status).toBe(422);
      expect(res.text).toContain('admin aktif terakhir');
      expect((await t.services.users.findById(admin.id))?.role).toBe('admin');
    });
  });

  describe('operators', () => {
    it('see only the signers of their unit and its sub-units', async () => {
      const { child, sibling, operatorAgent } = await tree();
      await t.make.user({ unitId: child.id, fullName: 'Anak Unit' });
      await t.make.user({ unitId: sibling.id, fullName: 'Unit Lain' });
      await t.make.user({ role: 'admin', fullName: 'Admin Lain', email: 'admin2@uji.test', nip: null });
      const res = await operatorAgent.get('/admin/pengguna');
      expect(res.status).toBe(200);
      expect(res.text).toContain('Anak Unit');
      expect(res.text).not.toContain('Unit Lain');
      expect(res.text).not.toContain('Admin Lain');
      expect(res.text).not.toContain('>Sri Wahyuni</a>'); // operators are not signers
      expect((await operatorAgent.get(`/admin/pengguna?unit=${sibling.id}`)).text).toContain(
        '0 pengguna ditemukan.',
      );
    });

    it('get 404 for a person outside their subtree, and for admins, even through crafted URLs and forms', async () => {
      const { sibling, operatorAgent, parent } = await tree();
      const outsider = await t.make.user({ unitId: sibling.id });
      const admin = await t.make.user({ role: 'admin', email: 'admin2@uji.test', nip: null });
      expect((await operatorAgent.get(`/admin/pengguna/${outsider.id}`)).status).toBe(404);
      expect((await operatorAgent.get(`/admin/pengguna/${admin.id}`)).status).toBe(404);
      const crafted = await post(
        operatorAgent,
        '/admin/pengguna/baru',
        `/admin/pengguna/${outsider.id}`,
        fields(parent.id),
      );
      expect(crafted.status).toBe(404);
      const disable = await post(
        operatorAgent,
        '/admin/pengguna/baru',
        `/admin/pengguna/${outsider.id}/nonaktifkan`,
        {},
      );
      expect(disable.status).toBe(404);
      expect((await t.services.users.findById(outsider.id))?.status).toBe('active');
    });

    it('cannot place people outside their subtree or give any role but signer', async () => {
      const { sibling, child, operatorAgent } = await tree();
      const before = await t.services.users.count();
      const outside = await post(
        operatorAgent,
        '/admin/pengguna/baru',
        '/admin/pengguna',
        fields(sibling.id),
      );
      expect(outside.status).toBe(422);
      expect(outside.text).toContain('hanya dapat mengelola pengguna di unit Anda');
      const escalate = await post(
        operatorAgent,
        '/admin/pengguna/baru',
        '/admin/pengguna',
        fields(child.id, { role: 'admin' }),
      );
      expect(escalate.status).toBe(422);
      expect(escalate.text).toContain('Operator hanya dapat memberi peran penanda tangan.');
      expect(await t.services.users.count()).toBe(before);
      const ok = await post(operatorAgent, '/admin/pengguna/baru', '/admin/pengguna', fields(child.id));
      expect(ok.status).toBe(303);
    });
  });

  describe('disabling', () => {
    it('ends every session of the person at once, and they cannot log in', async () => {
      const { agent } = await asAdmin();
      const unit = await t.make.unit();
      const user = await t.make.user({ unitId: unit.id, email: 'pergi@uji.test' });
      const theirs = browser(t.app);
      await logIn(theirs, 'pergi@uji.test');
      expect((await theirs.get('/akun')).status).toBe(200);
      const res = await post(
        agent,
        `/admin/pengguna/${user.id}`,
        `/admin/pengguna/${user.id}/nonaktifkan`,
        {},
      );
      expect(res.status).toBe(303);
      expect((await theirs.get('/akun')).status).toBe(302);
      expect((await logIn(browser(t.app), 'pergi@uji.test')).status).toBe(401);
      expect(await actions()).toContain('user.disabled');
      await post(agent, `/admin/pengguna/${user.id}`, `/admin/pengguna/${user.id}/aktifkan`, {});
      expect((await logIn(browser(t.app), 'pergi@uji.test')).status).toBe(302);
    });

    it('refuses to disable oneself or the last admin', async () => {
      const { admin, agent } = await asAdmin();
      const res = await post(
        agent,
        `/admin/pengguna/${admin.id}`,
        `/admin/pengguna/${admin.id}/nonaktifkan`,
        {},
      );
      expect(res.status).toBe(409);
      expect(res.text).toContain('tidak dapat menonaktifkan akun Anda sendiri');
      expect((await t.services.users.findById(admin.id))?.status).toBe('active');
    });
  });

  describe('rules found in review', () => {
    it('never hands an operator a password link on screen', async () => {
      const { child, operatorAgent } = await tree();
      const signer = await t.make.user({ unitId: child.id, email: null, password: null });
      const res = await post(
        operatorAgent,
        `/admin/pengguna/${signer.id}`,
        `/admin/pengguna/${signer.id}/tautan-sandi`,
        {},
      );
      expect(res.status).toBe(409);
      expect(res.text).toContain('Minta admin untuk menyampaikannya');
      expect(res.text).not.toMatch(/\/atur-kata-sandi\/[A-Za-z0-9_-]{43}/);
    });

    it('does not re-enable someone into an inactive unit, and disabling retires their links', async () => {
      const { agent } = await asAdmin();
      const unit = await t.make.unit();
      const user = await t.make.user({ unitId: unit.id, email: null });
      const shown = await post(
        agent,
        `/admin/pengguna/${user.id}`,
        `/admin/pengguna/${user.id}/tautan-sandi`,
        {},
      );
      const link = /\/atur-kata-sandi\/[A-Za-z0-9_-]{43}/.exec(shown.text)?.[0] as string;
      await post(agent, `/admin/pengguna/${user.id}`, `/admin/pengguna/${user.id}/nonaktifkan`, {});
      await t.services.units.setActive(unit.id, false, t.clock.now());
      const res = await post(agent, `/admin/pengguna/${user.id}`, `/admin/pengguna/${user.id}/aktifkan`, {});
      expect(res.status).toBe(409);
      expect(res.text).toContain('Unit orang ini nonaktif');
      expect((await t.services.users.findById(user.id))?.status).toBe('disabled');
      expect((await browser(t.app).get(link)).status).toBe(410);
    });

    it('lets an operator choose only a signer as head, never themselves or an admin', async () => {
      const { parent, operator, operatorAgent } = await tree();
      const admin = await t.make.user({
        role: 'admin',
        email: 'admin2@uji.test',
        nip: null,
        unitId: parent.id,
      });
      for (const id of [operator.id, admin.id]) {
        const res = await post(operatorAgent, `/admin/unit/${parent.id}`, `/admin/unit/${parent.id}/kepala`, {
          head_user_id: String(id),
        });
        expect(res.status).toBe(422);
      }
      expect((await t.services.units.findById(parent.id))?.headUserId).toBeNull();
    });

    it('refuses line breaks in single-line fields', async () => {
      const { agent } = await asAdmin();
      const unit = await t.make.unit();
      const res = await post(
        agent,
        '/admin/pengguna/baru',
        '/admin/pengguna',
        fields(unit.id, { full_name: 'Budi\r\nBcc: x@evil.test' }),
      );
      expect(res.status).toBe(400);
      expect(res.text).toContain('karakter yang tidak sah');
    });
  });

  describe('password links', () => {
    it('shows the link once to the admin when no mail is configured, on a page nobody caches', async () => {
      const { agent } = await asAdmin();
      const unit = await t.make.unit();
      const user = await t.make.user({ unitId: unit.id, email: null, fullName: 'Tanpa Email' });
      const res = await post(
        agent,
        `/admin/pengguna/${user.id}`,
        `/admin/pengguna/${user.id}/tautan-sandi`,
        {},
      );
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.text).toContain('Sampaikan tautan ini sendiri kepada Tanpa Email');
      expect(res.text).toMatch(/\/atur-kata-sandi\/[A-Za-z0-9_-]{43}/);
      expect(await actions()).toContain('password.link_issued');
    });
  });
});

describe('invitations by mail', () => {
  it('mails an invitation to a new person whose link sets their first password', async () => {
    const smtp = await startSmtpServer();
    const t = await createTestApp({ SMTP_URL: smtp.url });
    try {
      await t.make.user({ role: 'admin', email: 'admin@uji.test', nip: null });
      const unit = await t.make.unit();
      const nip = personFactory(seededRandom(7))({ bornFrom: 1980, bornTo: 1985 }).nip;
      const id = await t.services.users.insert(
        {
          nip,
          employeeType: 'PNS',
          email: 'undangan@uji.test',
          fullName: 'Putri Lestari',
          position: '',
          pangkat: null,
          unitId: unit.id,
          role: 'signer',
          passwordHash: null,
          mustChangePassword: false,
        },
        t.clock.now(),
      );
      const agent = browser(t.app);
      await logIn(agent, 'admin@uji.test');
      const token = await fetchCsrfToken(agent, `/admin/pengguna/${id}`);
      const res = await agent.post(`/admin/pengguna/${id}/tautan-sandi`).type('form').send({ _csrf: token });
      expect(res.status).toBe(303);
      expect((await agent.get(`/admin/pengguna/${id}`)).text).toContain('telah dikirim ke email pengguna');
      const mail = smtp.received[0];
      expect(mail?.text).toMatch(/Subject: .*Undangan.Ikrar/);
      const path = new URL(linkIn(mail as NonNullable<typeof mail>)).pathname;
      const newcomer = browser(t.app);
      const page = await newcomer.get(path);
      expect(page.text).toContain('Buat kata sandi');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
      const set = await newcomer.post(path).type('form').send({
        _csrf: csrf,
        new_password: 'pagi yang cerah di ungaran',
        confirm_password: 'pagi yang cerah di ungaran',
      });
      expect(set.status).toBe(303);
      expect((await logIn(browser(t.app), formatNip(nip), 'pagi yang cerah di ungaran')).status).toBe(302);
    } finally {
      await t.close();
      await smtp.close();
    }
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/credentials/password.js';
import { TEST_PASSWORD } from '../helpers/factories.js';
import { browser, fetchCsrfToken, logIn } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const NEW_PASSWORD = 'hujan turun di gombel';

describe('my account and password', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const changePassword = async (agent: ReturnType<typeof browser>, fields: Record<string, string>) => {
    const token = await fetchCsrfToken(agent, '/akun');
    return agent
      .post('/akun/kata-sandi')
      .type('form')
      .send({ _csrf: token, ...fields });
  };

  it('shows who I am', async () => {
    const unit = await t.make.unit({ code: 'DISKOMINFO', name: 'Dinas Komunikasi dan Informatika' });
    await t.make.user({ email: 'saya@uji.test', fullName: 'Rina Handayani', unitId: unit.id });
    const agent = browser(t.app);
    await logIn(agent, 'saya@uji.test');
    const page = await agent.get('/akun');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Rina Handayani');
    expect(page.text).toContain('Dinas Komunikasi dan Informatika');
    expect(page.text).toContain('Penanda tangan');
  });

  it('changes the password, ends my other sessions and records it', async () => {
    const user = await t.make.user({ email: 'ganti@uji.test' });
    const phone = browser(t.app);
    const laptop = browser(t.app);
    await logIn(phone, 'ganti@uji.test');
    await logIn(laptop, 'ganti@uji.test');

    const res = await changePassword(laptop, {
      current_password: TEST_PASSWORD,
      new_password: NEW_PASSWORD,
      confirm_password: NEW_PASSWORD,
    });
    expect(res.status).toBe(303);
    expect((await laptop.get('/akun')).text).toContain('Kata sandi berhasil diganti.');
    expect((await phone.get('/akun')).headers.location).toBe('/masuk?next=%2Fakun');

    const stored = await t.services.users.findById(user.id);
    expect(await verifyPassword(stored?.passwordHash as string, NEW_PASSWORD)).toBe(true);
    expect((await t.services.audit.recent(1))[0]?.action).toBe('password.changed');
    expect((await logIn(browser(t.app), 'ganti@uji.test', NEW_PASSWORD)).status).toBe(302);
  });

  it.each([
    [
      { current_password: 'bukan-ini-sandinya', new_password: NEW_PASSWORD, confirm_password: NEW_PASSWORD },
      422,
      'Kata sandi saat ini salah.',
      'password.change_refused',
    ],
    [
      { current_password: TEST_PASSWORD, new_password: 'pendek', confirm_password: 'pendek' },
      422,
      'minimal 10 karakter',
      'login.succeeded',
    ],
    [
      { current_password: TEST_PASSWORD, new_password: 'password123', confirm_password: 'password123' },
      422,
      'terlalu mudah ditebak',
      'login.succeeded',
    ],
    [
      { current_password: TEST_PASSWORD, new_password: NEW_PASSWORD, confirm_password: 'lain lagi sandinya' },
      400,
      'tidak sama',
      'login.succeeded',
    ],
    [
      { current_password: TEST_PASSWORD, new_password: '', confirm_password: '' },
      400,
      'Kata sandi baru wajib diisi.',
      'login.succeeded',
    ],
  ])(
    'refuses %o with %i and a clear message, leaving the password as it was',
    async (fields, status, message, lastAudited) => {
      const user = await t.make.user({ email: 'tolak@uji.test' });
      const agent = browser(t.app);
      await logIn(agent, 'tolak@uji.test');
      const res = await changePassword(agent, fields);
      expect(res.status).toBe(status);
      expect(res.text).toContain(message);
      expect(res.text).toContain('aria-invalid="true"');
      const stored = await t.services.users.findById(user.id);
      expect(await verifyPassword(stored?.passwordHash as string, TEST_PASSWORD)).toBe(true);
      expect((await t.services.audit.recent(1))[0]?.action).toBe(lastAudited);
    },
  );

  it('counts wrong current passwords towards the lockout and logs me out when the account locks', async () => {
    const user = await t.make.user({ email: 'tebak@uji.test' });
    const agent = browser(t.app);
    await logIn(agent, 'tebak@uji.test');
    const guess = (n: number) =>
      changePassword(agent, {
        current_password: `tebakan-ke-${n}`,
        new_password: NEW_PASSWORD,
        confirm_password: NEW_PASSWORD,
      });
    for (let n = 1; n < 5; n += 1) expect((await guess(n)).status).toBe(422);
    const fifth = await guess(5);
    expect(fifth.status).toBe(303);
    expect(fifth.headers.location).toBe('/masuk?pesan=terkunci');
    expect((await agent.get('/masuk?pesan=terkunci')).text).toContain('akun dikunci 15 menit');
    expect((await agent.get('/akun')).headers.location).toBe('/masuk?next=%2Fakun');
    expect((await t.services.users.findById(user.id))?.lockedUntil).not.toBeNull();
    const actions = (await t.services.audit.recent(20)).map((e) => e.action);
    expect(actions.filter((a) => a === 'password.change_refused')).toHaveLength(5);
    expect(actions).toContain('account.locked');
    expect((await logIn(browser(t.app), 'tebak@uji.test')).status).toBe(401);
  });

  it('refuses a new password containing my NIP', async () => {
    const user = await t.make.user({ email: 'nip@uji.test' });
    const agent = browser(t.app);
    await logIn(agent, 'nip@uji.test');
    const withNip = `sandi${user.nip}`;
    const res = await changePassword(agent, {
      current_password: TEST_PASSWORD,
      new_password: withNip,
      confirm_password: withNip,
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('tidak boleh memuat NIP');
  });

  it('makes a user who must change their password do that first', async () => {
    await t.make.user({ role: 'operator', email: 'wajib@uji.test', mustChangePassword: true });
    const agent = browser(t.app);
    const login = await logIn(agent, 'wajib@uji.test', TEST_PASSWORD, '/admin');
    expect(login.headers.location).toBe('/akun');
    expect((await agent.get('/akun')).text).toContain('Anda harus mengganti kata sandi');
    expect((await agent.get('/admin')).headers.location).toBe('/akun');
    // Still explained on every visit, not only the first.
    expect((await agent.get('/akun')).text).toContain('Anda harus mengganti kata sandi');

    const res = await changePassword(agent, {
      current_password: TEST_PASSWORD,
      new_password: NEW_PASSWORD,
      confirm_password: NEW_PASSWORD,
    });
    expect(res.status).toBe(303);
    expect((await agent.get('/admin')).status).toBe(200);
  });
});

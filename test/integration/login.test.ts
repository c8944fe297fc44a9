import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCKOUT_MS } from '../../src/auth/password-attempts.js';
import { formatNip } from '../../src/directory/nip.js';
import { TEST_PASSWORD } from '../helpers/factories.js';
import { browser, fetchCsrfToken, logIn, sessionCookie } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const FAILED = 'Gagal masuk. Periksa NIP/email dan kata sandi Anda.';

describe('logging in', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const auditActions = async () => (await t.services.audit.recent(100)).map((e) => e.action);

  it('lets an admin log in by email and reach the admin area', async () => {
    await t.make.user({ role: 'admin', email: 'admin@uji.test', nip: null, fullName: 'Admin Uji' });
    const agent = browser(t.app);
    const res = await logIn(agent, 'Admin@Uji.test');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/admin');
    const admin = await agent.get('/admin');
    expect(admin.status).toBe(200);
    expect(admin.text).toContain('Dasbor Admin');
    expect(admin.text).toContain('Selamat datang, Admin Uji.');
    expect(await auditActions()).toContain('login.succeeded');
  });

  it('lets a signer log in by NIP, typed grouped with spaces', async () => {
    const user = await t.make.user({ fullName: 'Dewi Uji Lestari' });
    const agent = browser(t.app);
    const res = await logIn(agent, formatNip(user.nip as string));
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/pakta');
    const account = await agent.get('/akun');
    expect(account.text).toContain('Dewi Uji Lestari');
    expect(account.text).toContain(formatNip(user.nip as string));
  });

  it('refuses a wrong password with a message that keeps the username and never echoes the password', async () => {
    await t.make.user({ email: 'asn@uji.test' });
    const res = await logIn(browser(t.app), 'asn@uji.test', 'salah-sekali-123');
    expect(res.status).toBe(401);
    expect(res.text).toContain(FAILED);
    expect(res.text).toContain('value="asn@uji.test"');
    expect(res.text).not.toContain('salah-sekali-123');
    expect(await auditActions()).toEqual(['login.failed']);
  });

  it('answers an unknown account exactly as a wrong password', async () => {
    await t.make.user({ email: 'ada@uji.test' });
    const unknown = await logIn(browser(t.app), 'tidak-ada@uji.test', 'apa-saja-12345');
    const wrong = await logIn(browser(t.app), 'ada@uji.test', 'apa-saja-12345');
    expect(unknown.status).toBe(wrong.status);
    const message = (html: string) => /id="login-failure">([^<]*)</.exec(html)?.[1];
    expect(message(unknown.text)).toBe(message(wrong.text));
    expect(message(unknown.text)).toContain(FAILED);
  });

  it('refuses empty fields beside each field, writes nothing and keeps what was typed', async () => {
    const agent = browser(t.app);
    const res = await logIn(agent, '   ', '');
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="username-error"');
    expect(res.text).toContain('id="password-error"');
    expect(res.text).toContain('NIP atau email wajib diisi.');
    expect(res.text).toContain('Kata sandi wajib diisi.');
    expect(await auditActions()).toEqual([]);
  });

  it('does not let a disabled account in', async () => {
    await t.make.user({ email: 'nonaktif@uji.test', status: 'disabled' });
    const res = await logIn(browser(t.app), 'nonaktif@uji.test');
    expect(res.status).toBe(401);
    expect(res.text).toContain(FAILED);
  });

  it('locks an account for 15 minutes after 5 failures, even for the right password, then lets it in', async () => {
    const user = await t.make.user({ email: 'kunci@uji.test' });
    for (let i = 0; i < 5; i += 1) {
      expect((await logIn(browser(t.app), 'kunci@uji.test', `salah-${i}-kata-sandi`)).status).toBe(401);
    }
    expect(await auditActions()).toContain('account.locked');
    const locked = await logIn(browser(t.app), 'kunci@uji.test');
    expect(locked.status).toBe(401);
    expect(locked.text).toContain(FAILED);
    const lockedEvent = (await t.services.audit.recent(1))[0];
    expect(lockedEvent?.details).toMatchObject({ reason: 'locked' });

    t.clock.advance(LOCKOUT_MS - 60_000);
    expect((await logIn(browser(t.app), 'kunci@uji.test')).status).toBe(401);
    t.clock.advance(61_000);
    const after = await logIn(browser(t.app), 'kunci@uji.test');
    expect(after.status).toBe(302);
    expect((await t.services.users.findById(user.id))?.failedLogins).toBe(0);
  });

  it('judges a burst of parallel guesses one at a time: the right password after five wrong ones is refused', async () => {
    const user = await t.make.user({ email: 'serbu@uji.test' });
    const guesses = [...Array.from({ length: 15 }, (_, i) => `tebakan-ke-${i}-salah`), TEST_PASSWORD];
    // Every form first, then every guess at once with the right one last, so that (even on a loaded machine)
    // the guesses reach the server in this order.
    const browsers = await Promise.all(
      guesses.map(async () => {
        const agent = browser(t.app);
        return { agent, token: await fetchCsrfToken(agent, '/masuk') };
      }),
    );
    const attempts = browsers.map(({ agent, token }, i) =>
      agent
        .post('/masuk')
        .type('form')
        .send({ _csrf: token, username: 'serbu@uji.test', password: guesses[i] }),
    );
    const statuses = (await Promise.all(attempts)).map((res) => res.status);
    expect(statuses.filter((s) => s === 302)).toHaveLength(0);
    const stored = await t.services.users.findById(user.id);
    expect(stored?.lockedUntil).not.toBeNull();
    const wrongPasswords = (await t.services.audit.recent(100)).filter(
      (e) => e.action === 'login.failed' && e.details.reason === 'wrong_password',
    );
    expect(wrongPasswords).toHaveLength(5);
  });

  it('gives the browser a new session id at login (no session fixation)', async () => {
    await t.make.user({ email: 'sesi@uji.test' });
    const agent = browser(t.app);
    const form = await agent.get('/masuk');
    const before = sessionCookie(form);
    expect(before).toBeDefined();
    const res = await logIn(agent, 'sesi@uji.test');
    const after = sessionCookie(res);
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
  });

  it('ends the session at logout: the old cookie no longer opens anything', async () => {
    await t.make.user({ role: 'admin', email: 'keluar@uji.test', nip: null });
    const agent = browser(t.app);
    await logIn(agent, 'keluar@uji.test');
    const admin = await agent.get('/admin');
    expect(admin.status).toBe(200);
    const token = /name="_csrf" value="([^"]+)"/.exec(admin.text)?.[1] as string;
    const out = await agent.post('/keluar').type('form').send({ _csrf: token });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/masuk?pesan=keluar');
    expect(await t.services.sessions.countLive(Date.now())).toBe(0);
    const again = await agent.get('/admin');
    expect(again.status).toBe(302);
    expect(again.headers.location).toBe('/masuk?next=%2Fadmin');
    expect(await auditActions()).toContain('logout');
    expect((await agent.get('/masuk?pesan=keluar')).text).toContain('Anda telah keluar.');
    // Only known messages: anything else in ?pesan= shows nothing.
    const odd = await agent.get('/masuk?pesan=constructor');
    expect(odd.status).toBe(200);
    expect(odd.text).not.toContain('function');
    expect(odd.text).not.toContain('alert-info');
  });

  it.each([
    ['//evil.example/phish', '/admin'],
    ['https://evil.example/', '/admin'],
    ['/\\evil.example', '/admin'],
    ['javascript:alert(1)', '/admin'],
    ['/admin?tab=audit', '/admin?tab=audit'],
  ])('after login, next=%s leads to %s', async (next, expected) => {
    await t.make.user({ role: 'admin', email: 'arah@uji.test', nip: null });
    const res = await logIn(browser(t.app), 'arah@uji.test', undefined, next);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(expected);
  });

  it.each([
    ['a repeated next', ['/admin', '/akun']],
    ['an over-long next', `/${'a'.repeat(3000)}`],
  ])('never refuses valid credentials because of %s: it goes to the default page', async (_case, next) => {
    await t.make.user({ role: 'admin', email: 'lanjut@uji.test', nip: null });
    const agent = browser(t.app);
    const page = await agent.get('/masuk');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] as string;
    const res = await agent
      .post('/masuk')
      .type('form')
      .send({ _csrf: token, username: 'lanjut@uji.test', password: TEST_PASSWORD, next });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/admin');
  });

  it('limits failed logins per IP address and records it', async () => {
    const limited = await createTestApp({ LOGIN_RATE_LIMIT: '3' });
    try {
      await limited.make.user({ email: 'batas@uji.test' });
      for (let i = 0; i < 3; i += 1) {
        expect((await logIn(browser(limited.app), 'batas@uji.test', 'salah-kata-sandi-1')).status).toBe(401);
      }
      const blocked = await logIn(browser(limited.app), 'batas@uji.test');
      expect(blocked.status).toBe(429);
      expect(blocked.text).toContain('Terlalu banyak percobaan masuk');
      expect((await limited.services.audit.recent(1))[0]?.action).toBe('login.rate_limited');
      expect((await logIn(browser(limited.app), 'batas@uji.test')).status).toBe(429);
      const rateLimited = (await limited.services.audit.recent(100)).filter(
        (e) => e.action === 'login.rate_limited',
      );
      expect(rateLimited).toHaveLength(1);
    } finally {
      await limited.close();
    }
  });
});

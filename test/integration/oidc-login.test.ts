import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REAUTH_AFTER_MS } from '../../src/auth/start-session.js';
import { formatNip } from '../../src/directory/nip.js';
import type { User } from '../../src/directory/types.js';
import { freePort } from '../helpers/app-process.js';
import {
  type Agent,
  browser,
  csrfTokenFrom,
  fetchCsrfToken,
  logIn,
  pageText,
  sessionCookie,
} from '../helpers/http.js';
import { type ProviderBrowser, startOidcProvider, type TestOidcProvider } from '../helpers/oidc-provider.js';
import { makePact, signThroughForm } from '../helpers/pacts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const BASE_URL = 'http://ikrar.uji';
const CALLBACK = `${BASE_URL}/masuk/sso/kembali`;

const UNAVAILABLE = 'Layanan SSO sedang tidak dapat dihubungi.';
const NOT_ACCEPTED = 'Jawaban layanan SSO tidak dapat diterima';

// A real OpenID provider (oidc-provider) in this process, Ikrar as its client over HTTP on 127.0.0.1: discovery, the
// authorization code flow with PKCE, state and nonce, the token and UserInfo endpoints all run for real.
describe('logging in with SSO (OpenID Connect)', () => {
  let provider: TestOidcProvider;
  let t: TestApp;
  let logins = 0;

  beforeAll(async () => {
    provider = await startOidcProvider(CALLBACK);
  });
  afterAll(() => provider.close());
  beforeEach(async () => {
    t = await createTestApp({ BASE_URL, ...provider.env });
  });
  afterEach(() => t.close());

  /** A login at the provider that says what `claims` say (a NIP, an email…); returns the name its form takes. */
  const providerAccount = (claims: Parameters<TestOidcProvider['accounts']['set']>[1]): string => {
    logins += 1;
    const login = `pegawai-${logins}`;
    provider.accounts.set(login, claims);
    return login;
  };

  /** Clicks "Masuk dengan SSO" (at `start`), logs in at the provider and brings its answer to the app. */
  const ssoLogIn = async (
    agent: Agent,
    login: string,
    options: { start?: string; at?: ProviderBrowser } = {},
  ) => {
    const started = await agent.get(options.start ?? '/masuk/sso');
    expect(started.status).toBe(303);
    const { callbackUrl } = await (options.at ?? provider.browser()).signIn(
      started.headers.location as string,
      login,
    );
    return agent.get(`${callbackUrl.pathname}${callbackUrl.search}`);
  };

  const lastEvent = async () => (await t.services.audit.recent(1))[0];
  const isLoggedIn = async (agent: Agent) => (await agent.get('/akun')).status === 200;

  it('offers "Masuk dengan SSO <instance>" beside the password form, keeping where the person was going', async () => {
    const page = await browser(t.app).get('/masuk?next=%2Fakun');
    expect(page.status).toBe(200);
    expect(page.text).toContain('href="/masuk/sso?next=%2Fakun">Masuk dengan SSO Ikrar</a>');
    expect(page.text).toContain('name="password"');
    // Password login is unchanged.
    await t.make.user({ email: 'sandi@uji.test' });
    expect((await logIn(browser(t.app), 'sandi@uji.test')).status).toBe(302);
  });

  it('logs a person in by the NIP claim as the password form does: new session, audit, signing', async () => {
    const unit = await t.make.unit();
    const user = await t.make.user({ fullName: 'Dewi Uji Lestari', password: null, unitId: unit.id });
    const login = providerAccount({ nip: formatNip(user.nip as string), name: 'Dewi di SSO' });
    const agent = browser(t.app);

    const started = await agent.get('/masuk/sso');
    expect(started.status).toBe(303);
    const authorization = new URL(started.headers.location as string);
    expect(authorization.origin).toBe(provider.issuer);
    expect(authorization.searchParams.get('redirect_uri')).toBe(CALLBACK);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('state')).toBeTruthy();
    expect(authorization.searchParams.get('nonce')).toBeTruthy();
    expect(authorization.searchParams.get('prompt')).toBeNull();
    const { callbackUrl } = await provider.browser().signIn(authorization.href, login);
    const back = await agent.get(`${callbackUrl.pathname}${callbackUrl.search}`);

    expect(back.status).toBe(302);
    expect(back.headers.location).toBe('/pakta');
    expect(sessionCookie(back)).toBeDefined();
    expect(sessionCookie(back)).not.toBe(sessionCookie(started));
    expect(pageText((await agent.get('/akun')).text)).toContain('Dewi Uji Lestari');
    expect((await t.services.users.findById(user.id))?.lastLoginAt).not.toBeNull();
    expect(await lastEvent()).toMatchObject({
      action: 'login.sso_succeeded',
      targetId: String(user.id),
      details: { by: 'nip', subject: login, reauthentication: false },
    });
    // The provider's login counts as the check signing asks for within 15 minutes: no password (there is none).
    const pact = await makePact(t.services);
    const signed = await signThroughForm(agent, pact.id, {
      consent: '1',
      full_name: 'Dewi Uji Lestari',
      signature: '',
    });
    expect(signed.status).toBe(303);
  });

  it.each([
    ['/akun', '/akun'],
    ['//evil.example/phish', '/pakta'],
    ['https://evil.example/', '/pakta'],
  ])('after an SSO login, next=%s leads to %s', async (next, expected) => {
    const user = await t.make.user();
    const login = providerAccount({ nip: user.nip as string });
    const back = await ssoLogIn(browser(t.app), login, {
      start: `/masuk/sso?next=${encodeURIComponent(next)}`,
    });
    expect(back.status).toBe(302);
    expect(back.headers.location).toBe(expected);
  });

  it('falls back to the email only when the token has no NIP and the provider verified the email', async () => {
    const user = await t.make.user({ email: 'surel.sso@uji.test', nip: null, role: 'admin' });
    const verified = await ssoLogIn(
      browser(t.app),
      providerAccount({ email: 'Surel.SSO@uji.test', email_verified: true }),
    );
    expect(verified.status).toBe(302);
    expect(verified.headers.location).toBe('/admin');
    expect(await lastEvent()).toMatchObject({ targetId: String(user.id), details: { by: 'email' } });

    const agent = browser(t.app);
    const unverified = await ssoLogIn(
      agent,
      providerAccount({ email: 'surel.sso@uji.test', email_verified: false }),
    );
    expect(unverified.status).toBe(403);
    expect(pageText(unverified.text)).toContain(
      'Akun SSO Anda tidak memuat NIP maupun email yang terverifikasi, sehingga tidak dapat dicocokkan',
    );
    expect(await isLoggedIn(agent)).toBe(false);
    expect(await lastEvent()).toMatchObject({
      action: 'login.sso_failed',
      details: { reason: 'no_identity' },
    });

    const unknown = await ssoLogIn(agent, providerAccount({ email: 'asing@uji.test', email_verified: true }));
    expect(unknown.status).toBe(403);
    expect(pageText(unknown.text)).toContain(
      'Akun SSO Anda (email asing@uji.test) belum terdaftar di Ikrar. Hubungi operator OPD Anda.',
    );
  });

  it('never makes an account from a claim: an unknown NIP goes back to the login page with that NIP', async () => {
    const nip = '198609262015051001';
    const agent = browser(t.app);
    const back = await ssoLogIn(
      agent,
      providerAccount({ nip, email: 'baru@uji.test', email_verified: true }),
    );
    expect(back.status).toBe(403);
    expect(pageText(back.text)).toContain(
      'Akun SSO Anda (NIP 19860926 201505 1 001) belum terdaftar di Ikrar. Hubungi operator OPD Anda.',
    );
    expect(back.text).toContain('Masuk dengan SSO Ikrar');
    expect(await t.services.users.findByNip(nip)).toBeUndefined();
    expect(await t.services.users.findByEmail('baru@uji.test')).toBeUndefined();
    expect(await isLoggedIn(agent)).toBe(false);
    expect(await lastEvent()).toMatchObject({
      action: 'login.sso_failed',
      details: { reason: 'unknown_account', by: 'nip', nip },
    });
  });

  it('keeps a disabled account out, and lets a locked one in (its lock stops password guesses only)', async () => {
    const disabled = await t.make.user({ status: 'disabled' });
    const agent = browser(t.app);
    const back = await ssoLogIn(agent, providerAccount({ nip: disabled.nip as string }));
    expect(back.status).toBe(403);
    expect(pageText(back.text)).toContain('Gagal masuk lewat SSO. Akun Ikrar Anda tidak aktif');
    expect(await isLoggedIn(agent)).toBe(false);
    expect(await lastEvent()).toMatchObject({
      action: 'login.sso_failed',
      targetId: String(disabled.id),
      details: { reason: 'disabled' },
    });

    const locked = await t.make.user({ email: 'terkunci@uji.test' });
    await t.services.users.lock(locked.id, new Date(t.clock.now().getTime() + 60_000), t.clock.now());
    expect((await ssoLogIn(browser(t.app), providerAccount({ nip: locked.nip as string }))).status).toBe(302);
  });

  it('refuses an answer whose state was tampered with (400, not a 500), and then that login is used up', async () => {
    const user = await t.make.user();
    const login = providerAccount({ nip: user.nip as string });
    const agent = browser(t.app);
    const started = await agent.get('/masuk/sso');
    const { callbackUrl } = await provider.browser().signIn(started.headers.location as string, login);
    const tampered = new URL(callbackUrl);
    tampered.searchParams.set('state', 'dipalsukan');

    const refused = await agent.get(`${tampered.pathname}${tampered.search}`);
    expect(refused.status).toBe(400);
    expect(pageText(refused.text)).toContain(NOT_ACCEPTED);
    expect(await isLoggedIn(agent)).toBe(false);
    expect(await lastEvent()).toMatchObject({ action: 'login.sso_failed', details: { reason: 'invalid' } });

    const replayed = await agent.get(`${callbackUrl.pathname}${callbackUrl.search}`);
    expect(replayed.status).toBe(400);
    expect(pageText(replayed.text)).toContain('Proses masuk lewat SSO tidak ditemukan atau sudah selesai');
    expect(await isLoggedIn(agent)).toBe(false);
  });

  it("refuses another browser's answer: a login started elsewhere cannot be finished here", async () => {
    const user = await t.make.user();
    const started = await browser(t.app).get('/masuk/sso');
    const { callbackUrl } = await provider
      .browser()
      .signIn(started.headers.location as string, providerAccount({ nip: user.nip as string }));
    const victim = browser(t.app);
    const res = await victim.get(`${callbackUrl.pathname}${callbackUrl.search}`);
    expect(res.status).toBe(400);
    expect(pageText(res.text)).toContain('Proses masuk lewat SSO tidak ditemukan atau sudah selesai');
    expect(await isLoggedIn(victim)).toBe(false);
    expect(await lastEvent()).toMatchObject({ action: 'login.sso_failed', details: { reason: 'expired' } });
  });

  it('says so when the person cancels at the provider', async () => {
    const agent = browser(t.app);
    const started = await agent.get('/masuk/sso');
    const { callbackUrl } = await provider
      .browser()
      .signIn(started.headers.location as string, 'siapa-saja', { cancel: true });
    const res = await agent.get(`${callbackUrl.pathname}${callbackUrl.search}`);
    expect(res.status).toBe(401);
    expect(pageText(res.text)).toContain(
      'Layanan SSO tidak meneruskan Anda ke Ikrar: masuk dibatalkan atau ditolak',
    );
    expect(await lastEvent()).toMatchObject({
      action: 'login.sso_failed',
      details: { reason: 'refused', error: 'access_denied' },
    });
  });

  it('says the provider cannot be reached (no 500, no failed start) and tries it again next time', async () => {
    const port = await freePort();
    // A low login limit: an outage must not use it up.
    const down = await createTestApp({
      BASE_URL,
      ...provider.env,
      OIDC_ISSUER: `http://127.0.0.1:${port}`,
      LOGIN_RATE_LIMIT: '2',
    });
    try {
      const user = await down.make.user();
      const agent = browser(down.app);
      expect((await agent.get('/masuk')).text).toContain('Masuk dengan SSO Ikrar');
      for (let i = 0; i < 3; i++) {
        const refused = await agent.get('/masuk/sso');
        expect(refused.status).toBe(503);
        expect(pageText(refused.text)).toContain(UNAVAILABLE);
      }
      expect((await down.services.audit.recent(1))[0]).toMatchObject({
        action: 'login.sso_failed',
        details: { reason: 'unavailable' },
      });
      // The office's password logins are not spent on the provider's outage.
      expect((await logIn(browser(down.app), user.email as string)).status).toBe(302);

      const up = await startOidcProvider(CALLBACK, port);
      try {
        up.accounts.set('kembali', { nip: user.nip as string });
        const started = await agent.get('/masuk/sso');
        expect(started.status).toBe(303);
        const { callbackUrl } = await up.browser().signIn(started.headers.location as string, 'kembali');
        expect((await agent.get(`${callbackUrl.pathname}${callbackUrl.search}`)).status).toBe(302);
      } finally {
        await up.close();
      }
    } finally {
      await down.close();
    }
  });

  it('says the provider cannot be reached when it goes down before its code is exchanged', async () => {
    const flaky = await startOidcProvider(CALLBACK);
    const app = await createTestApp({ BASE_URL, ...flaky.env });
    try {
      const user = await app.make.user();
      flaky.accounts.set('sebentar', { nip: user.nip as string });
      const agent = browser(app.app);
      const started = await agent.get('/masuk/sso');
      const { callbackUrl } = await flaky.browser().signIn(started.headers.location as string, 'sebentar');
      await flaky.close();
      const res = await agent.get(`${callbackUrl.pathname}${callbackUrl.search}`);
      expect(res.status).toBe(503);
      expect(pageText(res.text)).toContain(UNAVAILABLE);
      expect(await isLoggedIn(agent)).toBe(false);
    } finally {
      await app.close();
    }
  });

  it('sends an SSO session back to the provider (a fresh login there) before signing after 15 minutes', async () => {
    const unit = await t.make.unit();
    const user = await t.make.user({ fullName: 'Rina Uji Pratiwi', password: null, unitId: unit.id });
    const login = providerAccount({ nip: user.nip as string });
    const pact = await makePact(t.services);
    const atProvider = provider.browser();
    const agent = browser(t.app);
    expect((await ssoLogIn(agent, login, { at: atProvider })).status).toBe(302);
    const token = csrfTokenFrom((await agent.get(`/pakta/${pact.id}`)).text);
    const reauthentication = `/masuk/sso?ulang=1&next=%2Fpakta%2F${pact.id}`;

    t.clock.advance(REAUTH_AFTER_MS + 60_000);
    // A form opened before the 15 minutes were up: to the provider first (there is no password to ask for).
    const late = await agent
      .post(`/pakta/${pact.id}/tanda-tangan`)
      .type('form')
      .send({ _csrf: token, consent: '1', full_name: 'Rina Uji Pratiwi', signature: '' });
    expect(late.status).toBe(303);
    expect(late.headers.location).toBe(reauthentication);
    const page = await agent.get(`/pakta/${pact.id}`);
    expect(page.status).toBe(302);
    expect(page.headers.location).toBe(reauthentication);
    // A pact they need not sign is answered as it is, not after a detour through the provider.
    const heads = await makePact(t.services, { audience: 'heads' });
    expect((await agent.get(`/pakta/${heads.id}`)).status).toBe(403);

    const started = await agent.get(reauthentication);
    const authorization = new URL(started.headers.location as string);
    expect(authorization.searchParams.get('prompt')).toBe('login');
    expect(authorization.searchParams.get('max_age')).toBe(String(REAUTH_AFTER_MS / 1000));
    // The provider still has its session from the login above, and asks for the credentials all the same.
    const { callbackUrl, askedToLogIn } = await atProvider.signIn(authorization.href, login);
    expect(askedToLogIn).toBe(true);
    const back = await agent.get(`${callbackUrl.pathname}${callbackUrl.search}`);
    expect(back.status).toBe(302);
    expect(back.headers.location).toBe(`/pakta/${pact.id}`);
    expect(await lastEvent()).toMatchObject({
      action: 'login.sso_succeeded',
      details: { reauthentication: true },
    });
    const signed = await signThroughForm(agent, pact.id, {
      consent: '1',
      full_name: 'Rina Uji Pratiwi',
      signature: '',
    });
    expect(signed.status).toBe(303);
  });

  it('refuses a re-authentication as someone else', async () => {
    const [first, second] = [await t.make.user(), await t.make.user()];
    const agent = browser(t.app);
    expect((await ssoLogIn(agent, providerAccount({ nip: first.nip as string }))).status).toBe(302);
    const other = await ssoLogIn(agent, providerAccount({ nip: second.nip as string }), {
      start: '/masuk/sso?ulang=1&next=%2Fpakta',
    });
    expect(other.status).toBe(403);
    expect(pageText(other.text)).toContain('Anda masuk ke layanan SSO sebagai orang lain');
    expect(await lastEvent()).toMatchObject({
      action: 'login.sso_failed',
      targetId: String(second.id),
      details: { reason: 'other_account' },
    });
  });

  describe('with OIDC_ONLY=1', () => {
    let only: TestApp;
    let person: User;
    beforeEach(async () => {
      only = await createTestApp({ BASE_URL, ...provider.env, OIDC_ONLY: '1' });
      person = await only.make.user({ email: 'sandi.lama@uji.test' });
    });
    afterEach(() => only.close());

    it('shows no password form, and refuses a password sent anyway (403), logging nobody in', async () => {
      const page = await browser(only.app).get('/masuk');
      expect(page.text).toContain('Masuk dengan SSO Ikrar');
      expect(page.text).not.toContain('name="password"');
      expect(page.text).not.toContain('action="/masuk"');

      // A form left open from before SSO became the only way in (its token from the person's own session).
      const agent = browser(only.app);
      provider.accounts.set('hanya-sso', { nip: person.nip as string });
      const startedAt = await agent.get('/masuk/sso');
      const { callbackUrl } = await provider
        .browser()
        .signIn(startedAt.headers.location as string, 'hanya-sso');
      expect((await agent.get(`${callbackUrl.pathname}${callbackUrl.search}`)).status).toBe(302);
      const token = await fetchCsrfToken(agent, '/akun');
      const refused = await agent
        .post('/masuk')
        .type('form')
        .send({ _csrf: token, username: 'sandi.lama@uji.test', password: 'kata-sandi-uji-yang-panjang' });
      expect(refused.status).toBe(403);
      expect(pageText(refused.text)).toContain(
        'Masuk dengan kata sandi tidak tersedia: instansi ini memakai SSO.',
      );
      const forgot = await agent
        .post('/lupa-kata-sandi')
        .type('form')
        .send({ _csrf: token, username: 'sandi.lama@uji.test' });
      expect(forgot.status).toBe(403);
      expect(pageText(forgot.text)).toContain('Ikrar di instansi ini tidak memakai kata sandi sendiri');
      const actions = (await only.services.audit.recent(20)).map((e) => e.action);
      expect(actions).not.toContain('login.succeeded');
      expect(actions).not.toContain('login.failed');
      expect(actions).not.toContain('password.reset_requested');
    });

    it('says on the forgotten-password page that passwords are kept by the SSO provider', async () => {
      const page = await browser(only.app).get('/lupa-kata-sandi');
      expect(page.status).toBe(200);
      expect(pageText(page.text)).toContain('Ikrar di instansi ini tidak memakai kata sandi sendiri');
      expect(page.text).toContain('Masuk dengan SSO Ikrar');
      expect(page.text).not.toContain('name="username"');
    });
  });
});

import express from 'express';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../helpers/factories.js';
import { browser, fetchCsrfToken, logIn } from '../helpers/http.js';
import { eventually, linkIn } from '../helpers/smtp.js';
import { createMailingTestApp, createTestApp, type MailingTestApp } from '../helpers/test-app.js';

const NEW_PASSWORD = 'senja di kota lama semarang';
const SENT = 'Permintaan diterima.';

describe('forgotten passwords and password links', () => {
  let t: MailingTestApp;
  beforeEach(async () => {
    t = await createMailingTestApp();
  });
  afterEach(() => t.close());

  const askForLink = async (username: string) => {
    const agent = browser(t.app);
    const token = await fetchCsrfToken(agent, '/lupa-kata-sandi');
    return agent.post('/lupa-kata-sandi').type('form').send({ _csrf: token, username });
  };
  const setPassword = async (link: string, password: string, confirm = password) => {
    const path = new URL(link).pathname;
    const agent = browser(t.app);
    const page = await agent.get(path);
    // A link that no longer works shows no form: take the token from another page so the POST itself is tried.
    const token =
      /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ??
      (await fetchCsrfToken(agent, '/lupa-kata-sandi'));
    return agent
      .post(path)
      .type('form')
      .send({ _csrf: token, new_password: password, confirm_password: confirm });
  };
  const actions = async () => (await t.services.audit.recent(100)).map((e) => e.action);

  it('mails a reset link to a real SMTP server; the link sets a new password, once', async () => {
    const user = await t.make.user({ email: 'lupa@uji.test', fullName: 'Sekar Hapsari' });
    const res = await askForLink('lupa@uji.test');
    expect(res.status).toBe(200);
    expect(res.text).toContain(SENT);

    await t.smtp.waitFor(1);
    expect(t.smtp.received).toHaveLength(1);
    const mail = t.smtp.received[0] as (typeof t.smtp.received)[number];
    expect(mail.to).toEqual(['lupa@uji.test']);
    expect(mail.text).toContain('Subject: Atur ulang kata sandi Ikrar');
    expect(mail.text).toContain('Yth. Sekar Hapsari');
    const link = linkIn(mail);
    expect(link).toMatch(/^http:\/\/ikrar\.uji\/atur-kata-sandi\//);

    const form = await browser(t.app).get(new URL(link).pathname);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Atur ulang kata sandi');
    expect(form.headers['referrer-policy']).toBe('no-referrer');

    const done = await setPassword(link, NEW_PASSWORD);
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/masuk?pesan=sandi-baru');
    expect((await logIn(browser(t.app), 'lupa@uji.test', NEW_PASSWORD)).status).toBe(302);
    expect((await logIn(browser(t.app), 'lupa@uji.test', TEST_PASSWORD)).status).toBe(401);
    expect(await actions()).toEqual(
      expect.arrayContaining(['password.reset_requested', 'password.link_issued', 'password.set_by_link']),
    );

    const again = await browser(t.app).get(new URL(link).pathname);
    expect(again.status).toBe(410);
    expect(again.text).toContain('Tautan ini sudah dipakai, sudah kedaluwarsa');
    expect((await t.services.users.findById(user.id))?.mustChangePassword).toBe(false);
  });

  it('answers an unknown account exactly as a known one, and sends nothing', async () => {
    await t.make.user({ email: 'ada@uji.test' });
    const unknown = await askForLink('tidak-ada@uji.test');
    expect(unknown.status).toBe(200);
    expect(unknown.text).toContain(SENT);
    // The lookup happens after the answer: wait for its audit event.
    await eventually(
      async () => (await t.services.audit.recent(1))[0]?.action === 'password.reset_requested',
    );
    expect(t.smtp.received).toHaveLength(0);
    expect((await t.services.audit.recent(1))[0]).toMatchObject({
      action: 'password.reset_requested',
      details: { sent: false },
    });
  });

  it('refuses a link after an hour', async () => {
    await t.make.user({ email: 'telat@uji.test' });
    await askForLink('telat@uji.test');
    await t.smtp.waitFor(1);
    const link = linkIn(t.smtp.received[0] as (typeof t.smtp.received)[number]);
    t.clock.advance(61 * 60 * 1000);
    expect((await browser(t.app).get(new URL(link).pathname)).status).toBe(410);
    expect((await setPassword(link, NEW_PASSWORD)).status).toBe(410);
    expect((await logIn(browser(t.app), 'telat@uji.test', NEW_PASSWORD)).status).toBe(401);
  });

  it('keeps the link usable when the new password is refused, and explains why', async () => {
    await t.make.user({ email: 'lemah@uji.test' });
    await askForLink('lemah@uji.test');
    await t.smtp.waitFor(1);
    const link = linkIn(t.smtp.received[0] as (typeof t.smtp.received)[number]);
    const weak = await setPassword(link, 'pendek');
    expect(weak.status).toBe(422);
    expect(weak.text).toContain('minimal 10 karakter');
    const guessable = await setPassword(link, 'indonesia2024');
    expect(guessable.status).toBe(422);
    expect(guessable.text).toContain('terlalu mudah ditebak');
    // The page that explains it carries the meter, for the next try.
    expect(guessable.text).toContain('data-password-meter="new_password"');
    const mismatch = await setPassword(link, NEW_PASSWORD, 'yang lain sama sekali');
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain('tidak sama');
    expect((await setPassword(link, NEW_PASSWORD)).status).toBe(303);
  });

  it('sends one link per account per five minutes, and a newer link retires the older one', async () => {
    await t.make.user({ email: 'dua@uji.test' });
    await askForLink('dua@uji.test');
    await t.smtp.waitFor(1);
    const again = await askForLink('dua@uji.test');
    expect(again.text).toContain(SENT);
    await eventually(async () => (await t.services.audit.recent(1))[0]?.details?.throttled === true);
    expect((await t.services.audit.recent(1))[0]).toMatchObject({
      details: { sent: false, throttled: true },
    });
    t.clock.advance(5 * 60 * 1000 + 1000);
    await askForLink('dua@uji.test');
    const [first, second] = (await t.smtp.waitFor(2)).map(linkIn);
    expect(t.smtp.received).toHaveLength(2);
    // Only the newest link, mailed to the same person, works: the older one stopped when it was issued …
    expect((await setPassword(first as string, NEW_PASSWORD)).status).toBe(410);
    expect((await setPassword(second as string, NEW_PASSWORD)).status).toBe(303);
    // … and a used link stops too.
    expect((await setPassword(second as string, 'hujan deras di kota lama')).status).toBe(410);
  });

  it('ends a lockout and every open session when the password is set through a link', async () => {
    const user = await t.make.user({ email: 'kunci@uji.test' });
    const oldSession = browser(t.app);
    await logIn(oldSession, 'kunci@uji.test');
    for (let i = 0; i < 5; i += 1) await logIn(browser(t.app), 'kunci@uji.test', `salah-${i}-sekali`);
    expect((await t.services.users.findById(user.id))?.lockedUntil).not.toBeNull();
    await askForLink('kunci@uji.test');
    await t.smtp.waitFor(1);
    await setPassword(linkIn(t.smtp.received[0] as (typeof t.smtp.received)[number]), NEW_PASSWORD);
    expect((await oldSession.get('/akun')).status).toBe(302);
    expect((await logIn(browser(t.app), 'kunci@uji.test', NEW_PASSWORD)).status).toBe(302);
  });

  it('kills an outstanding link when the password is changed on the account page', async () => {
    await t.make.user({ email: 'ubah@uji.test' });
    await askForLink('ubah@uji.test');
    const [mail] = await t.smtp.waitFor(1);
    const link = linkIn(mail as (typeof t.smtp.received)[number]);
    const owner = browser(t.app);
    await logIn(owner, 'ubah@uji.test');
    const token = await fetchCsrfToken(owner, '/akun');
    const changed = await owner.post('/akun/kata-sandi').type('form').send({
      _csrf: token,
      current_password: TEST_PASSWORD,
      new_password: NEW_PASSWORD,
      confirm_password: NEW_PASSWORD,
    });
    expect(changed.status).toBe(303);
    expect((await browser(t.app).get(new URL(link).pathname)).status).toBe(410);
    expect((await setPassword(link, 'hujan deras di kota lama')).status).toBe(410);
    expect((await logIn(browser(t.app), 'ubah@uji.test', NEW_PASSWORD)).status).toBe(302);
  });

  it('kills a link made before the password changed, by whatever path the change came', async () => {
    const user = await t.make.user({ email: 'jalur@uji.test' });
    await askForLink('jalur@uji.test');
    const [mail] = await t.smtp.waitFor(1);
    // A change written straight to the directory, as a future path (SSO, a CLI) might, without retiring links.
    t.clock.advance(1000);
    await t.services.users.setPassword(user.id, 'x', false, t.clock.now());
    expect(
      (await browser(t.app).get(new URL(linkIn(mail as (typeof t.smtp.received)[number])).pathname)).status,
    ).toBe(410);
  });

  it('looks the account up only once the whole answer has gone, compressed or not', async () => {
    await t.make.user({ email: 'ada@uji.test' });
    const order: string[] = [];
    // An app around the real one, to see when each answer's last byte has been handed to the connection.
    const outer = express();
    outer.use((_req, res, next) => {
      res.on('finish', () => order.push('answer sent'));
      next();
    });
    outer.use(t.app);
    const { findByEmail } = t.services.users;
    t.services.users.findByEmail = (email) => {
      order.push('account looked up');
      return findByEmail(email);
    };
    const agent = request.agent(outer);
    const token = await fetchCsrfToken(agent, '/lupa-kata-sandi');
    order.length = 0;
    const res = await agent
      .post('/lupa-kata-sandi')
      .set('Accept-Encoding', 'gzip')
      .type('form')
      .send({ _csrf: token, username: 'ada@uji.test' });
    expect(res.headers['content-encoding']).toBe('gzip');
    await eventually(() => order.includes('account looked up'));
    expect(order).toEqual(['answer sent', 'account looked up']);

    const known = await askForLink('ada@uji.test');
    const unknown = await askForLink('tidak-ada@uji.test');
    const withoutToken = (html: string) => html.replace(/name="_csrf" value="[^"]+"/g, '');
    expect(withoutToken(known.text)).toBe(withoutToken(unknown.text));
  });

  it('sends someone who never set a password their invitation again, for 72 hours, not a one-hour reset', async () => {
    const user = await t.make.user({ email: 'belum@uji.test', password: null });
    await askForLink(user.nip as string);
    const [mail] = await t.smtp.waitFor(1);
    expect(mail?.text).toContain('Buat kata sandi Anda melalui tautan berikut (berlaku 72 jam');
    t.clock.advance(2 * 60 * 60 * 1000);
    expect(
      (await browser(t.app).get(new URL(linkIn(mail as (typeof t.smtp.received)[number])).pathname)).status,
    ).toBe(200);
  });

  it('answers a made-up token with the same "no longer valid" page', async () => {
    const res = await browser(t.app).get(`/atur-kata-sandi/${'A'.repeat(43)}`);
    expect(res.status).toBe(410);
    expect(res.text).toContain('Tautan tidak berlaku');
    expect((await browser(t.app).get('/atur-kata-sandi/pendek')).status).toBe(410);
  });
});

describe('mail without SMTP', () => {
  it('keeps the message with its link in the outbox instead of sending it', async () => {
    const t = await createTestApp();
    try {
      await t.make.user({ email: 'kotak@uji.test' });
      const agent = browser(t.app);
      const token = await fetchCsrfToken(agent, '/lupa-kata-sandi');
      await agent.post('/lupa-kata-sandi').type('form').send({ _csrf: token, username: 'kotak@uji.test' });
      await eventually(async () => (await t.services.outbox.count()) === 1);
      const [kept] = await t.services.outbox.page(10, 0);
      expect(kept).toMatchObject({ to: 'kotak@uji.test', status: 'kept', kind: 'reset' });
      expect(kept?.body).toMatch(/\/atur-kata-sandi\/[A-Za-z0-9_-]{43}/);
    } finally {
      await t.close();
    }
  });
});

describe('the outbox page', () => {
  it('shows an admin the kept messages with their links, and is closed to operators', async () => {
    const t = await createTestApp();
    try {
      await t.make.user({ role: 'admin', email: 'admin@uji.test', nip: null });
      await t.make.user({ role: 'operator', email: 'operator@uji.test' });
      await t.make.user({ email: 'penerima@uji.test', fullName: 'Nur Rahayu' });
      const visitor = browser(t.app);
      const token = await fetchCsrfToken(visitor, '/lupa-kata-sandi');
      await visitor
        .post('/lupa-kata-sandi')
        .type('form')
        .send({ _csrf: token, username: 'penerima@uji.test' });
      await eventually(async () => (await t.services.outbox.count()) === 1);

      const admin = browser(t.app);
      await logIn(admin, 'admin@uji.test');
      const page = await admin.get('/admin/outbox');
      expect(page.status).toBe(200);
      expect(page.text).toContain('SMTP_URL belum diatur');
      expect(page.text).toContain('penerima@uji.test');
      expect(page.text).toContain('Yth. Nur Rahayu');
      expect(page.text).toMatch(/\/atur-kata-sandi\/[A-Za-z0-9_-]{43}/);
      expect((await admin.get('/admin/outbox?halaman=abc')).status).toBe(400);

      const operator = browser(t.app);
      await logIn(operator, 'operator@uji.test');
      expect((await operator.get('/admin/outbox')).status).toBe(403);
    } finally {
      await t.close();
    }
  });
});

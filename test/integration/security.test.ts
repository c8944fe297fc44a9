import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { browser, fetchCsrfToken, logIn } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

describe('security of every request', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const auditCount = async () => (await t.services.audit.recent(1000)).length;

  it('sends a strict content security policy and the usual protective headers', async () => {
    const res = await request(t.app).get('/');
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('has no inline script or style in its pages', async () => {
    for (const path of ['/', '/masuk', '/halaman-yang-tidak-ada']) {
      const html = (await request(t.app).get(path)).text;
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/\sstyle="/);
      expect(html).not.toMatch(/\son[a-z]+="/);
    }
  });

  it('keeps pages shown to a logged-in user out of caches', async () => {
    await t.make.user({ email: 'cache@uji.test' });
    const agent = browser(t.app);
    await logIn(agent, 'cache@uji.test');
    expect((await agent.get('/akun')).headers['cache-control']).toBe('no-store');
    expect((await agent.get('/')).headers['cache-control']).toBe('no-store');
  });

  it('creates no session for a visitor who only reads public pages', async () => {
    const res = await request(t.app).get('/');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('sets the session cookie httpOnly and SameSite=Lax', async () => {
    const res = await request(t.app).get('/masuk');
    const cookie = (res.headers['set-cookie'] as unknown as string[])[0] as string;
    expect(cookie).toMatch(/^ikrar\.sid=/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).not.toContain('Secure');
  });

  it('marks the cookie Secure in production behind a TLS proxy', async () => {
    const prod = await createTestApp({
      NODE_ENV: 'production',
      BASE_URL: 'https://ikrar.example.go.id',
      TRUST_PROXY: '1',
    });
    try {
      const res = await request(prod.app).get('/masuk').set('X-Forwarded-Proto', 'https');
      const cookie = (res.headers['set-cookie'] as unknown as string[])[0] as string;
      expect(cookie).toContain('Secure');
      expect(res.headers['strict-transport-security']).toContain('max-age=31536000');
    } finally {
      await prod.close();
    }
  });

  it('refuses a login without a CSRF token with 403, and logs nobody in', async () => {
    await t.make.user({ email: 'csrf@uji.test' });
    const agent = browser(t.app);
    await agent.get('/masuk');
    const res = await agent.post('/masuk').type('form').send({ username: 'csrf@uji.test', password: 'x' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('Formulir sudah kedaluwarsa');
    expect(await auditCount()).toBe(0);
  });

  it('explains a stale form and links back to it, without caching the page', async () => {
    const res = await request(t.app)
      .post('/masuk')
      .set('Referer', 'http://127.0.0.1/masuk?next=%2Fadmin')
      .set('Host', '127.0.0.1')
      .type('form')
      .send({ username: 'a', password: 'b' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('<title>Formulir kedaluwarsa');
    expect(res.text).toContain('href="/masuk?next=%2Fadmin"');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('never links a stale-form page back to another site', async () => {
    const res = await request(t.app)
      .post('/masuk')
      .set('Referer', 'https://evil.example/masuk')
      .type('form')
      .send({ username: 'a' });
    expect(res.status).toBe(403);
    expect(res.text).not.toContain('evil.example');
  });

  it('lets a stale "Keluar" button work when the session has already ended', async () => {
    const res = await request(t.app).post('/keluar').type('form').send({});
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/masuk?pesan=keluar');
  });

  it('still requires the CSRF token to log out someone who is logged in', async () => {
    await t.make.user({ email: 'tetap@uji.test' });
    const agent = browser(t.app);
    await logIn(agent, 'tetap@uji.test');
    expect((await agent.post('/keluar').type('form').send({})).status).toBe(403);
    expect((await agent.get('/akun')).status).toBe(200);
  });

  it('refuses a password change with a wrong CSRF token and changes nothing', async () => {
    const user = await t.make.user({ email: 'csrf2@uji.test' });
    const agent = browser(t.app);
    await logIn(agent, 'csrf2@uji.test');
    const before = (await t.services.users.findById(user.id))?.passwordHash;
    const events = await auditCount();
    const res = await agent.post('/akun/kata-sandi').type('form').send({
      _csrf: 'token-palsu-dari-situs-lain',
      current_password: 'kata-sandi-uji-yang-panjang',
      new_password: 'sandi baru yang panjang',
      confirm_password: 'sandi baru yang panjang',
    });
    expect(res.status).toBe(403);
    expect((await t.services.users.findById(user.id))?.passwordHash).toBe(before);
    expect(await auditCount()).toBe(events);
  });

  it('refuses a token taken from another browser session', async () => {
    await t.make.user({ email: 'korban@uji.test' });
    const attacker = browser(t.app);
    const stolen = await fetchCsrfToken(attacker, '/masuk');
    const victim = browser(t.app);
    await victim.get('/masuk');
    const res = await victim
      .post('/masuk')
      .type('form')
      .send({ _csrf: stolen, username: 'korban@uji.test', password: 'x' });
    expect(res.status).toBe(403);
  });

  it('answers a 10 MB body with 413 and a page, not a crash', async () => {
    const agent = browser(t.app);
    const token = await fetchCsrfToken(agent, '/masuk');
    const res = await agent
      .post('/masuk')
      .type('form')
      .send(`_csrf=${token}&username=${'a'.repeat(10 * 1024 * 1024)}&password=x`);
    expect(res.status).toBe(413);
    expect(res.text).toContain('Data yang dikirim terlalu besar');
    expect(await auditCount()).toBe(0);
  });

  it('answers a body that is not UTF-8 with 400 and a clear message', async () => {
    const agent = browser(t.app);
    const token = await fetchCsrfToken(agent, '/masuk');
    const body = Buffer.concat([
      Buffer.from(`_csrf=${token}&username=`),
      Buffer.from([0xff, 0xfe, 0x41]),
      Buffer.from('&password=rahasia-sekali'),
    ]);
    const res = await agent
      .post('/masuk')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .serialize((raw: unknown) => raw as string) // send the bytes as they are, not re-encoded by superagent
      .send(body);
    expect(res.status).toBe(400);
    expect(res.text).toContain('karakter yang tidak sah');
    expect(await auditCount()).toBe(0);
  });

  it('answers a body in an unsupported charset with 415', async () => {
    const res = await request(t.app)
      .post('/masuk')
      .set('Content-Type', 'application/x-www-form-urlencoded; charset=ibm500')
      .send('username=a&password=b');
    expect(res.status).toBe(415);
    expect(res.text).toContain('Format atau pengodean data tidak didukung');
  });

  it('answers malformed JSON with 400', async () => {
    const res = await request(t.app)
      .post('/masuk')
      .set('Content-Type', 'application/json')
      .send('{"username": ');
    expect(res.status).toBe(400);
    expect(res.text).toContain('Permintaan tidak dapat diproses');
  });

  it('treats SQL and HTML typed into the login form as plain text', async () => {
    await t.make.user({ email: 'aman@uji.test' });
    const agent = browser(t.app);
    // Neither a NIP nor an email: refused by its shape, before any query, and shown back as text.
    const sql = await logIn(agent, "' OR 1=1 --", "' OR '1'='1");
    expect(sql.status).toBe(400);
    expect(sql.text).toContain('Tulis NIP 18 digit atau alamat email lengkap');
    expect(sql.text).toContain('value="&#39; OR 1=1 --"');
    // Shaped like an email: looked up as one, and not found.
    const shaped = await logIn(agent, "x' OR '1'='1@uji.test", "' OR '1'='1");
    expect(shaped.status).toBe(401);
    const html = await logIn(agent, '<script>alert(1)</script>@x', 'apa saja');
    expect(html.status).toBe(401);
    expect(html.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;@x');
    expect(html.text).not.toContain('<script>alert(1)</script>');
  });

  it('refuses a repeated field (an array) as invalid rather than crashing', async () => {
    const agent = browser(t.app);
    const token = await fetchCsrfToken(agent, '/masuk');
    const res = await agent
      .post('/masuk')
      .type('form')
      .send(`_csrf=${token}&username=a&username=b&password=x`);
    expect(res.status).toBe(400);
    expect(res.text).toContain('NIP atau email tidak sah.');
  });
});

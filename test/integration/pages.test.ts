import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { browser, logIn } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

describe('public pages, health and errors', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  it('shows the home page in Indonesian with the way in to every part', async () => {
    const res = await request(t.app).get('/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<html lang="id">');
    expect(res.text).toContain('Berita terbaru');
    expect(res.text).toContain('Kepatuhan penandatanganan');
    for (const href of ['/berita', '/kepatuhan', '/verifikasi', '/masuk'])
      expect(res.text).toContain(`href="${href}"`);
    expect(res.text).toContain('Langsung ke konten utama');
  });

  it('offers a logged-in visitor their pacts and account instead of the login link', async () => {
    await t.make.user({ email: 'beranda@uji.test' });
    const agent = browser(t.app);
    await logIn(agent, 'beranda@uji.test');
    const res = await agent.get('/');
    expect(res.text).toContain('href="/pakta"');
    expect(res.text).toContain('Akun Saya');
    expect(res.text).not.toContain('Masuk untuk menandatangani');
  });

  it('shows the instance name and address from the settings', async () => {
    await t.services.settings.put('instance.name', 'Pemerintah Provinsi Jawa Tengah', new Date());
    await t.services.settings.put('instance.address', 'Jalan Pahlawan No. 9, Semarang', new Date());
    const res = await request(t.app).get('/');
    expect(res.text).toContain('Pemerintah Provinsi Jawa Tengah');
    expect(res.text).toContain('Jalan Pahlawan No. 9, Semarang');
  });

  it('reports health as ok while the database answers, and 503 when it does not', async () => {
    const ok = await request(t.app).get('/healthz');
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ status: 'ok' });
    await t.db.close();
    const down = await request(t.app).get('/healthz');
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ status: 'error' });
  });

  it('shows an Indonesian 404 page', async () => {
    const res = await request(t.app).get('/tidak-ada/sama-sekali');
    expect(res.status).toBe(404);
    expect(res.text).toContain('Halaman tidak ditemukan');
    expect(res.text).toContain('Kembali ke Beranda');
  });

  it('answers JSON errors under /api', async () => {
    const res = await request(t.app).get('/api/v1/tidak-ada');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.body).toEqual({
      error: { status: 404, message: 'Halaman yang Anda cari tidak ada atau sudah dipindahkan.' },
    });
  });

  it('answers a malformed percent-encoded URL with a 404 or 400 page, not a 500', async () => {
    const unrouted = await request(t.app).get('/tidak-ada/%E0%A4%A');
    expect(unrouted.status).toBe(404);
    expect(unrouted.text).toContain('Halaman tidak ditemukan');
    // A route with a parameter must decode it first: the request itself is malformed.
    const routed = await request(t.app).get('/berita/%E0%A4%A');
    expect(routed.status).toBe(400);
    expect(routed.text).toContain('Permintaan tidak dapat diproses');
  });

  it.each(['development', 'production'])('shows a 500 page without a stack trace (%s)', async (env) => {
    const app =
      env === 'production'
        ? await createTestApp({
            NODE_ENV: 'production',
            BASE_URL: 'https://ikrar.example.go.id',
            TRUST_PROXY: '1',
          })
        : t;
    try {
      await app.db.close(); // every page reads the instance settings: a closed database makes any page fail
      const res = await request(app.app).get('/').set('X-Request-Id', 'uji-permintaan-500');
      expect(res.status).toBe(500);
      expect(res.text).toContain('Terjadi kesalahan pada sistem');
      expect(res.text).toContain('uji-permintaan-500');
      expect(res.text).not.toMatch(/\bat .*\.(ts|js):\d+/);
      expect(res.text).not.toContain('database connection is not open');
      expect(res.text).not.toContain('driver has already been destroyed'); // the same error, through Kysely
    } finally {
      if (app !== t) await app.close();
    }
  });
});

import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { browser, logIn } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

describe('who may open what', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  it('sends a visitor who is not logged in to the login page and remembers where they were going', async () => {
    const res = await request(t.app).get('/admin?tab=1');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/masuk?next=%2Fadmin%3Ftab%3D1');
    const form = await request(t.app).get(res.headers.location as string);
    expect(form.text).toContain('name="next" value="/admin?tab=1"');
  });

  it('shows a signer the 403 page for the admin area, not a redirect', async () => {
    await t.make.user({ email: 'kepala@uji.test' });
    const agent = browser(t.app);
    await logIn(agent, 'kepala@uji.test');
    const res = await agent.get('/admin');
    expect(res.status).toBe(403);
    expect(res.text).toContain('Akses ditolak');
    expect(res.text).toContain('Anda tidak memiliki akses ke halaman ini.');
  });

  it('lets an operator into the admin area but keeps the audit log for admins', async () => {
    await t.make.user({ role: 'operator', email: 'operator@uji.test' });
    const agent = browser(t.app);
    await logIn(agent, 'operator@uji.test');
    const res = await agent.get('/admin');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Dasbor Operator');
    expect(res.text).not.toContain('Aktivitas terbaru');
  });

  it('shows an admin the latest audit events with who did them', async () => {
    await t.make.user({ role: 'admin', email: 'admin@uji.test', nip: null, fullName: 'Admin Provinsi' });
    const agent = browser(t.app);
    await logIn(agent, 'admin@uji.test', 'salah-kata-sandi-1');
    await logIn(agent, 'admin@uji.test');
    const res = await agent.get('/admin');
    expect(res.text).toContain('Aktivitas terbaru');
    expect(res.text).toContain('Gagal masuk');
    expect(res.text).toContain('Admin Provinsi');
  });

  it('answers 401 to a state-changing request from someone not logged in', async () => {
    const agent = browser(t.app);
    const page = await agent.get('/masuk');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] as string;
    const res = await agent.post('/akun/kata-sandi').type('form').send({ _csrf: token });
    expect(res.status).toBe(401);
    expect(res.text).toContain('Anda perlu masuk terlebih dahulu.');
  });
});

import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatNip, maskNip } from '../../src/directory/nip.js';
import { loggedInAdmin, loggedInAs, pageText } from '../helpers/http.js';
import { makePact, signAs } from '../helpers/pacts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** The public compliance list and the admin dashboard read as people see them. */
describe('compliance pages', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  async function province() {
    const pati = await t.make.unit({ name: 'Kabupaten Pati', code: '33.18', kind: 'kabupaten' });
    const batang = await t.make.unit({ name: 'Kabupaten Batang', code: '33.25', kind: 'kabupaten' });
    const headPati = await t.make.user({ unitId: pati.id, fullName: 'Henggar Budi Anggoro' });
    const headBatang = await t.make.user({ unitId: batang.id, fullName: 'Lani Dwi Rejeki' });
    const staff = await t.make.user({ unitId: pati.id, fullName: 'Siti Staf Rahasia' });
    await t.services.units.setHead(pati.id, headPati.id, t.clock.now());
    await t.services.units.setHead(batang.id, headBatang.id, t.clock.now());
    const heads = await makePact(t.services, { audience: 'heads', title: 'Pakta Kepala Daerah' });
    const all = await makePact(t.services, { audience: 'all', title: 'Pakta Seluruh ASN' });
    await signAs(t.services, heads, headBatang);
    await signAs(t.services, all, staff);
    return { pati, batang, headPati, headBatang, staff, heads, all };
  }

  it('names each head of a heads pact with a masked NIP, outstanding first', async () => {
    const p = await province();
    const res = await request(t.app).get(`/kepatuhan/${p.heads.id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('1 dari 2 sudah menandatangani');
    expect(res.text.indexOf('Henggar Budi Anggoro')).toBeLessThan(res.text.indexOf('Lani Dwi Rejeki'));
    expect(res.text).toContain(maskNip(p.headPati.nip as string));
    expect(res.text).not.toContain(p.headPati.nip as string);
    expect(res.text).not.toContain(formatNip(p.headPati.nip as string));
    const outstanding = await request(t.app).get(`/kepatuhan/${p.heads.id}?status=belum`);
    expect(outstanding.text).toContain('Kabupaten Pati');
    // The table (the chart and map above it show the whole pact).
    expect(outstanding.text.slice(outstanding.text.indexOf('<table'))).not.toContain('Kabupaten Batang');
  });

  it('shows an all-ASN pact as unit counts only, never a staff name', async () => {
    const p = await province();
    const res = await request(t.app).get(`/kepatuhan/${p.all.id}`);
    expect(res.text).toContain('1 dari 3 sudah menandatangani');
    expect(res.text).toContain('Kabupaten Pati');
    // Each unit's Belum beside its Wajib and Sudah.
    const page = pageText(res.text);
    expect(page).toContain('Unit kerja Wajib Sudah Belum Persentase');
    expect(page).toMatch(/Kabupaten Pati Kabupaten 2 1 1 50%/);
    expect(page).toMatch(/Kabupaten Batang Kabupaten 1 0 1 0%/);
    expect(res.text).not.toContain('Siti Staf Rahasia');
    expect(res.text).not.toContain('Henggar Budi Anggoro');
  });

  it('lists open pacts and the archive, and refuses drafts, unknown pacts and filters', async () => {
    const p = await province();
    const closed = await makePact(t.services, {
      audience: 'all',
      title: 'Pakta Pemilu Lalu',
      status: 'closed',
    });
    const draft = await makePact(t.services, { audience: 'all', title: 'Pakta Rancangan', status: 'draft' });
    const index = await request(t.app).get('/kepatuhan');
    expect(index.text).toContain('Pakta Kepala Daerah');
    expect(index.text).toContain('Pakta Seluruh ASN');
    expect(index.text.indexOf('Pakta Pemilu Lalu')).toBeGreaterThan(index.text.indexOf('Arsip'));
    expect(index.text).not.toContain('Pakta Rancangan');
    expect((await request(t.app).get(`/kepatuhan/${closed.id}`)).status).toBe(200);
    for (const path of [`/kepatuhan/${draft.id}`, '/kepatuhan/999', '/kepatuhan/01']) {
      expect((await request(t.app).get(path)).status).toBe(404);
    }
    const bad = await request(t.app).get(`/kepatuhan/${p.heads.id}?status=semuanya`);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Saringan status tidak dikenal');
  });

  it("gives admins every open pact on the dashboard, and operators their own units' numbers", async () => {
    const p = await province();
    const { agent } = await loggedInAdmin(t);
    const dashboard = (await agent.get('/admin')).text;
    expect(dashboard).toContain('Pakta Kepala Daerah');
    expect(dashboard).toContain('1 dari 2 sudah menandatangani');
    expect(dashboard).toContain('Penandatanganan per hari (WIB): 1 dalam periode ini');
    expect(dashboard).toContain('Unit yang paling tertinggal');

    const operator = await loggedInAs(t, 'operator', { unitId: p.batang.id });
    const own = (await operator.agent.get('/admin')).text;
    expect(own).toContain('1 dari 1 sudah menandatangani');
    expect(own).not.toContain('Kabupaten Pati');
  });
});

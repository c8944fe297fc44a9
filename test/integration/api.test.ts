import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/record-event.js';
import { maskNip } from '../../src/directory/nip.js';
import type { User } from '../../src/directory/types.js';
import { closePact } from '../../src/pledges/pacts/close-pact.js';
import type { Pact } from '../../src/pledges/types.js';
import { formatNumber, formatPercent } from '../../src/web/format.js';
import { browser, fetchCsrfToken } from '../helpers/http.js';
import { makePact, signAs } from '../helpers/pacts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const PATHS = [
  '/api/v1/pacts',
  '/api/v1/pacts/{id}/compliance',
  '/api/v1/verify/{code}',
  '/api/v1/ledger/head',
];

describe('the read-only JSON API', () => {
  let t: TestApp;
  /** Every person made, so that a test can check that none of them leaks where they must not. */
  let people: User[];

  beforeEach(async () => {
    t = await createTestApp({ BASE_URL: 'https://ikrar.uji.go.id' });
    people = [];
  });
  afterEach(() => t.close());

  const person = async (options: Parameters<TestApp['make']['user']>[0]) => {
    const user = await t.make.user(options);
    people.push(user);
    return user;
  };

  /** Two headed units (one head signs), one unit without a head; staff in each headed unit. */
  async function directory() {
    const kominfo = await t.make.unit({ code: 'DISKOMINFO', name: 'Dinas Komunikasi dan Informatika' });
    const bappeda = await t.make.unit({
      code: 'BAPPEDA',
      name: 'Badan Perencanaan Pembangunan Daerah',
      kind: 'badan',
    });
    const empty = await t.make.unit({ code: 'KOSONG', name: 'Biro Tanpa Kepala', kind: 'biro' });
    const kepala1 = await person({
      fullName: 'Bambang Setiawan',
      email: 'bambang@uji.test',
      unitId: kominfo.id,
    });
    const kepala2 = await person({ fullName: 'Siti Rahmawati', email: 'siti@uji.test', unitId: bappeda.id });
    await t.services.units.setHead(kominfo.id, kepala1.id, t.clock.now());
    await t.services.units.setHead(bappeda.id, kepala2.id, t.clock.now());
    const staff1 = await person({ fullName: 'Dewi Lestari', email: 'dewi@uji.test', unitId: kominfo.id });
    const staff2 = await person({ fullName: 'Agus Prasetyo', email: 'agus@uji.test', unitId: kominfo.id });
    const staff3 = await person({ fullName: 'Rina Handayani', email: 'rina@uji.test', unitId: bappeda.id });
    return { kominfo, bappeda, empty, kepala1, kepala2, staff: [staff1, staff2, staff3] };
  }

  const get = (path: string) => request(t.app).get(path);

  describe('GET /api/v1/pacts', () => {
    it('lists open pacts only, with the totals of the compliance cache and absolute links', async () => {
      const d = await directory();
      const heads = await makePact(t.services, { audience: 'heads', title: 'Pakta Kepala OPD' });
      const all = await makePact(t.services, { audience: 'all', title: 'Pakta Seluruh ASN' });
      await makePact(t.services, { status: 'draft', title: 'Pakta Draf' });
      await makePact(t.services, { status: 'closed', title: 'Pakta Lama' });
      await signAs(t.services, heads, d.kepala1);
      await signAs(t.services, all, d.staff[0] as User);

      const res = await get('/api/v1/pacts');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const expected = await t.services.complianceCache.openPacts();
      expect(res.body.pacts.map((p: { title: string }) => p.title).sort()).toEqual([
        'Pakta Kepala OPD',
        'Pakta Seluruh ASN',
      ]);
      for (const summary of expected) {
        const item = res.body.pacts.find((p: { id: number }) => p.id === summary.pact.id);
        expect(item).toEqual({
          id: summary.pact.id,
          title: summary.pact.title,
          version: 1,
          audience: summary.pact.audience,
          opensAt: summary.pact.opensAt,
          deadline: summary.pact.deadline,
          required: summary.required,
          signed: summary.signed,
          unsigned: summary.required - summary.signed,
          percent: summary.percent,
          links: {
            compliance: `https://ikrar.uji.go.id/api/v1/pacts/${summary.pact.id}/compliance`,
            page: `https://ikrar.uji.go.id/kepatuhan/${summary.pact.id}`,
          },
        });
      }
      const headsItem = res.body.pacts.find((p: { id: number }) => p.id === heads.id);
      expect(headsItem).toMatchObject({ required: 2, signed: 1, unsigned: 1, percent: 50 });
      const allItem = res.body.pacts.find((p: { id: number }) => p.id === all.id);
      expect(allItem).toMatchObject({ required: 5, signed: 1, unsigned: 4, percent: 20 });
    });

    it('answers an empty list when no pact is open', async () => {
      const res = await get('/api/v1/pacts');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ pacts: [] });
    });
  });

  describe('GET /api/v1/pacts/:id/compliance', () => {
    it('gives a heads pact per unit with the head named and the NIP masked, matching the public page', async () => {
      const d = await directory();
      const pact = await makePact(t.services, { audience: 'heads' });
      await signAs(t.services, pact, d.kepala1);

      const res = await get(`/api/v1/pacts/${pact.id}/compliance`);
      expect(res.status).toBe(200);
      const summary = await t.services.complianceCache.forPact(pact);
      expect(res.body).toMatchObject({
        pact: {
          id: pact.id,
          title: pact.title,
          version: 1,
          audience: 'heads',
          status: 'open',
          closedAt: null,
        },
        required: summary.required,
        signed: summary.signed,
        percent: summary.percent,
        links: { page: `https://ikrar.uji.go.id/kepatuhan/${pact.id}` },
      });
      expect(res.body).toMatchObject({ required: 2, signed: 1, percent: 50 });
      expect(res.body.units).toHaveLength(summary.units.length);

      const byCode = (code: string) => res.body.units.find((u: { code: string }) => u.code === code);
      const signedAt = (await t.services.signatures.findValid(pact.id, d.kepala1.id))?.signedAt;
      expect(byCode('DISKOMINFO')).toEqual({
        unitId: d.kominfo.id,
        code: 'DISKOMINFO',
        name: 'Dinas Komunikasi dan Informatika',
        kind: 'dinas',
        required: 1,
        signed: 1,
        unsigned: 0,
        percent: 100,
        state: 'complete',
        head: {
          name: 'Bambang Setiawan',
          position: d.kepala1.position,
          nipMasked: maskNip(d.kepala1.nip as string),
          signedAt,
        },
      });
      expect(byCode('BAPPEDA')).toMatchObject({
        unsigned: 1,
        state: 'none',
        percent: 0,
        head: { name: 'Siti Rahmawati', nipMasked: maskNip(d.kepala2.nip as string), signedAt: null },
      });
      expect(byCode('KOSONG')).toMatchObject({
        required: 0,
        percent: null,
        state: 'not_required',
        head: null,
      });

      for (const head of [d.kepala1, d.kepala2]) {
        expect(res.text).not.toContain(head.nip as string);
        expect(res.text).not.toContain(head.email as string);
      }
      expect(res.text).not.toContain('@');
      for (const staff of d.staff) expect(res.text).not.toContain(staff.fullName);

      // The public page shows the same numbers.
      const page = await get(`/kepatuhan/${pact.id}`);
      expect(page.text).toContain(
        `${formatNumber(res.body.signed)} dari ${formatNumber(res.body.required)} sudah menandatangani`,
      );
      expect(page.text).toContain(formatPercent(res.body.percent / 100));
      expect(page.text).toContain(maskNip(d.kepala2.nip as string));
    });

    it('gives an all-ASN pact only counts per unit, never a person', async () => {
      const d = await directory();
      const pact = await makePact(t.services, { audience: 'all' });
      await signAs(t.services, pact, d.staff[0] as User);
      await signAs(t.services, pact, d.kepala2);

      const res = await get(`/api/v1/pacts/${pact.id}/compliance`);
      expect(res.status).toBe(200);
      const summary = await t.services.complianceCache.forPact(pact);
      expect(res.body).toMatchObject({
        required: summary.required,
        signed: summary.signed,
        percent: summary.percent,
      });
      expect(res.body).toMatchObject({ required: 5, signed: 2, unsigned: 3, percent: 40 });
      const kominfo = res.body.units.find((u: { code: string }) => u.code === 'DISKOMINFO');
      expect(kominfo).toEqual({
        unitId: d.kominfo.id,
        code: 'DISKOMINFO',
        name: 'Dinas Komunikasi dan Informatika',
        kind: 'dinas',
        required: 3,
        signed: 1,
        unsigned: 2,
        percent: 33.3,
        state: 'partial',
      });
      for (const unit of res.body.units) expect(unit).not.toHaveProperty('head');
      expect(people.length).toBeGreaterThan(0);
      for (const someone of people) {
        expect(res.text).not.toContain(someone.fullName);
        expect(res.text).not.toContain(someone.nip as string);
        expect(res.text).not.toContain((someone.nip as string).slice(-6));
        expect(res.text).not.toContain(someone.email as string);
      }

      const page = await get(`/kepatuhan/${pact.id}`);
      expect(page.text).toContain(
        `${formatNumber(res.body.signed)} dari ${formatNumber(res.body.required)} sudah menandatangani`,
      );
    });

    it('answers a closed pact, with its closing time', async () => {
      await directory();
      const pact = await makePact(t.services, { audience: 'all', status: 'closed' });
      const res = await get(`/api/v1/pacts/${pact.id}/compliance`);
      expect(res.status).toBe(200);
      const closed = (await t.services.pacts.findById(pact.id)) as Pact;
      expect(res.body.pact).toMatchObject({ status: 'closed', closedAt: closed.closedAt });
      expect(res.body.pact.closedAt).toEqual(expect.any(String));
    });

    it('answers a draft, an unknown pact and a non-canonical id with 404 JSON', async () => {
      const draft = await makePact(t.services, { status: 'draft' });
      const open = await makePact(t.services);
      const ids = [String(draft.id), '999999', `0${open.id}`, `${open.id}.0`, 'abc', '0', '-1', '1e1'];
      for (const id of ids) {
        const res = await get(`/api/v1/pacts/${id}/compliance`);
        expect(res.status, id).toBe(404);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.body).toEqual({ error: { status: 404, message: expect.stringContaining('Pakta') } });
        expect(res.headers['access-control-allow-origin']).toBe('*');
      }
      expect((await get(`/api/v1/pacts/${open.id}/compliance`)).status).toBe(200);
    });
  });

  describe('caching', () => {
    it('sends a weak ETag and public caching, answers If-None-Match with 304, and changes with the numbers', async () => {
      const d = await directory();
      const pact = await makePact(t.services, { audience: 'all' });
      for (const path of ['/api/v1/pacts', `/api/v1/pacts/${pact.id}/compliance`]) {
        const first = await get(path);
        expect(first.headers['cache-control']).toBe('public, max-age=60');
        const etag = first.headers.etag as string;
        expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
        expect((await get(path)).headers.etag).toBe(etag);

        const again = await get(path).set('If-None-Match', etag);
        expect(again.status).toBe(304);
        expect(again.text ?? '').toBe('');
        expect(again.headers['cache-control']).toBe('public, max-age=60');
        expect((await get(path).set('If-None-Match', 'W/"anders"')).status).toBe(200);
      }
      const before = (await get(`/api/v1/pacts/${pact.id}/compliance`)).headers.etag as string;
      await signAs(t.services, pact, d.staff[1] as User);
      const after = await get(`/api/v1/pacts/${pact.id}/compliance`).set('If-None-Match', before);
      expect(after.status).toBe(200);
      expect(after.body.signed).toBe(1);
      expect(after.headers.etag).not.toBe(before);
    });

    it('never serves a body made before the pact changed: closing it shows at once', async () => {
      const pact = await makePact(t.services, { audience: 'all' });
      expect((await get(`/api/v1/pacts/${pact.id}/compliance`)).body.pact.status).toBe('open');
      expect((await get('/api/v1/pacts')).body.pacts.map((p: { id: number }) => p.id)).toContain(pact.id);
      await closePact(t.services, { pactId: pact.id, actor: systemActor });
      expect((await get(`/api/v1/pacts/${pact.id}/compliance`)).body.pact.status).toBe('closed');
      expect((await get('/api/v1/pacts')).body.pacts.map((p: { id: number }) => p.id)).not.toContain(pact.id);
    });

    it('answers HEAD without a body', async () => {
      const res = await request(t.app).head('/api/v1/pacts');
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBeDefined();
      expect(res.text ?? '').toBe('');
    });
  });

  describe('CORS and methods', () => {
    it('lets any origin read, without credentials', async () => {
      for (const path of ['/api/v1/pacts', '/api/v1/openapi.json', '/api/v1/ledger/head']) {
        const res = await get(path).set('Origin', 'https://dasbor.example.org');
        expect(res.status, path).toBe(200);
        expect(res.headers['access-control-allow-origin']).toBe('*');
        expect(res.headers['access-control-allow-methods']).toBe('GET, HEAD, OPTIONS');
        expect(res.headers['access-control-allow-credentials']).toBeUndefined();
        expect(res.headers['set-cookie']).toBeUndefined();
      }
    });

    it('answers a preflight with 204', async () => {
      const pact = await makePact(t.services);
      for (const path of ['/api/v1/pacts', `/api/v1/pacts/${pact.id}/compliance`, '/api/v1/verify/ABCD']) {
        const res = await request(t.app)
          .options(path)
          .set('Origin', 'https://dasbor.example.org')
          .set('Access-Control-Request-Method', 'GET')
          .set('Access-Control-Request-Headers', 'if-none-match');
        expect(res.status, path).toBe(204);
        expect(res.headers['access-control-allow-origin']).toBe('*');
        expect(res.headers['access-control-allow-methods']).toBe('GET, HEAD, OPTIONS');
        expect(res.headers['access-control-allow-headers']).toMatch(/If-None-Match/i);
      }
    });

    it('refuses other methods with 405 JSON and an Allow header', async () => {
      const pact = await makePact(t.services);
      // A browser with a session and a CSRF token gets past the site-wide CSRF check to the API's own answer.
      const agent = browser(t.app);
      const token = await fetchCsrfToken(agent, '/masuk');
      for (const [method, path] of [
        ['post', '/api/v1/pacts'],
        ['put', `/api/v1/pacts/${pact.id}/compliance`],
        ['delete', `/api/v1/pacts/${pact.id}/compliance`],
        ['patch', '/api/v1/openapi.json'],
        ['post', '/api/v1/ledger/head'],
      ] as const) {
        const res = await agent[method](path).set('x-csrf-token', token).send({});
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.body).toEqual({ error: { status: 405, message: expect.stringContaining('hanya-baca') } });
      }
    });

    it('refuses an anonymous POST without changing anything', async () => {
      // Without a session the site-wide CSRF check (src/web/csrf.ts) answers first, with a JSON 403.
      const res = await request(t.app).post('/api/v1/pacts').send({ title: 'x' });
      expect([403, 405]).toContain(res.status);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(await t.services.pacts.listByStatus('draft')).toEqual([]);
    });
  });

  describe('documentation', () => {
    it('publishes an OpenAPI 3.0.3 document with every path and its 200 answer', async () => {
      const res = await get('/api/v1/openapi.json');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const doc = JSON.parse(res.text);
      expect(doc.openapi).toBe('3.0.3');
      expect(doc.info.title).toEqual(expect.any(String));
      expect(doc.servers[0].url).toBe('https://ikrar.uji.go.id');
      for (const path of PATHS) {
        expect(doc.paths, path).toHaveProperty([path]);
        const ok = doc.paths[path].get.responses['200'];
        expect(ok.description, path).toEqual(expect.any(String));
        expect(ok.content['application/json'].schema.$ref).toMatch(/^#\/components\/schemas\//);
        expect(ok.content['application/json'].example).toBeDefined();
      }
      // Every reference points at something defined.
      const refs = [...res.text.matchAll(/"\$ref":"#\/components\/(\w+)\/(\w+)"/g)];
      expect(refs.length).toBeGreaterThan(10);
      for (const [, kind, name] of refs)
        expect(doc.components[kind as string], `${kind}/${name}`).toHaveProperty([name as string]);
    });

    it('has an Indonesian page listing every path, with curl examples and a link to the OpenAPI document', async () => {
      const res = await get('/api/v1/docs');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('<html lang="id">');
      expect(res.text).toContain('Dokumentasi API');
      expect(res.text).toContain('Contoh permintaan');
      expect(res.text).toContain('href="https://ikrar.uji.go.id/api/v1/openapi.json"');
      for (const path of PATHS) expect(res.text).toContain(`<code>${path}</code>`);
      expect(res.text).toContain('curl -s');
      expect(res.text).toContain('https://ikrar.uji.go.id/api/v1/pacts/2/compliance');
      expect(res.text).not.toMatch(/api\.docs\.|api\.op\./);
    });
  });
});

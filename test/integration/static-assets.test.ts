import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loggedInAs } from '../helpers/http.js';
import { binaryParser, makePact } from '../helpers/pacts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const YEAR_IMMUTABLE = 'public, max-age=31536000, immutable';
const FINGERPRINTED = /^\/static\/[\w/.-]+\.[0-9a-f]{12}\.(css|js|svg)$/;

const stylesheetsOf = (html: string) =>
  [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]);
const scriptsOf = (html: string) => [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1] as string);

describe('static files and compression', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  it('links one stylesheet at an address carrying its hash, cached for a year, with Bootstrap and our rules', async () => {
    const home = await request(t.app).get('/');
    const sheets = stylesheetsOf(home.text);
    expect(sheets).toHaveLength(1);
    const [href] = sheets as [string];
    expect(href).toMatch(FINGERPRINTED);

    const css = await request(t.app).get(href);
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toContain('text/css');
    expect(css.headers['cache-control']).toBe(YEAR_IMMUTABLE);
    expect(css.text).toContain('.navbar-toggler'); // Bootstrap, used by the menu
    expect(css.text).toContain('.skip-link'); // ours
    expect(css.text).not.toContain('.carousel-item'); // Bootstrap, used by no page
  });

  it('serves every script and image a page names, cached for a year, and 404s any other hash', async () => {
    const unit = await t.make.unit({ name: 'Dinas Komunikasi dan Informatika' });
    const { agent } = await loggedInAs(t, 'signer', { unitId: unit.id });
    const pact = await makePact(t.services, { audience: 'all' });
    const signing = await agent.get(`/pakta/${pact.id}`);
    const scripts = scriptsOf(signing.text);
    expect(scripts.length).toBeGreaterThanOrEqual(3); // the menu's, the signature pad and ours
    const logo = /<img src="([^"]+\.svg)"/.exec(signing.text)?.[1] as string;
    for (const src of [...scripts, logo]) {
      expect(src).toMatch(FINGERPRINTED);
      const res = await request(t.app).get(src);
      expect(res.status, src).toBe(200);
      expect(res.headers['cache-control']).toBe(YEAR_IMMUTABLE);
    }
    expect((await request(t.app).get(logo)).headers['content-type']).toContain('image/svg+xml');

    const stale = (scripts[0] as string).replace(/\.[0-9a-f]{12}\.js$/, '.000000000000.js');
    const gone = await request(t.app).get(stale);
    expect(gone.status).toBe(404);
    expect(gone.text).toContain('Halaman tidak ditemukan');
    expect((await request(t.app).get('/vendor/bootstrap/css/bootstrap.min.css')).status).toBe(404);
  });

  it('answers a conditional request for a file with 304', async () => {
    const [href] = stylesheetsOf((await request(t.app).get('/')).text) as [string];
    const first = await request(t.app).get(href);
    const again = await request(t.app)
      .get(href)
      .set('If-None-Match', first.headers.etag as string);
    expect(again.status).toBe(304);
  });

  it('compresses pages and files for browsers that accept it, and only for them', async () => {
    const [href] = stylesheetsOf((await request(t.app).get('/')).text) as [string];
    for (const path of ['/', '/berita', '/kepatuhan', href]) {
      const gzip = await request(t.app).get(path).set('Accept-Encoding', 'gzip');
      expect(gzip.headers['content-encoding'], path).toBe('gzip');
      expect(gzip.headers.vary).toMatch(/Accept-Encoding/i);
      const brotli = await request(t.app)
        .get(path)
        .set('Accept-Encoding', 'br')
        .buffer(true)
        .parse(binaryParser);
      expect(brotli.headers['content-encoding'], path).toBe('br');
      const plain = await request(t.app).get(path).set('Accept-Encoding', 'identity');
      expect(plain.headers['content-encoding'], path).toBeUndefined();
      expect(gzip.text).toBe(plain.text);
    }
  });
});

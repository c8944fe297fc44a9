import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ejs from 'ejs';
import express, { type Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/sessions/session-store.js';
import { type CacheablePage, type PageCache, pageCache } from '../../src/web/page-cache.js';

const TTL = 1_000;
const HOLE = '__HOLE__';

let viewsDir: string;
beforeAll(() => {
  viewsDir = mkdtempSync(join(tmpdir(), 'ikrar-page-cache-'));
  writeFileSync(join(viewsDir, 'page.ejs'), '<main><p>message: <%= message %></p></main>\n');
  // The marker twice: every occurrence is a hole.
  writeFileSync(
    join(viewsDir, 'holed.ejs'),
    '<main><p>message: <%= message %></p><p>first: <%= views %></p><p>again: <%= views %></p></main>\n',
  );
});
afterAll(() => rmSync(viewsDir, { recursive: true, force: true }));

/** What the test controls, and what it counts. */
interface World {
  app: Express;
  cache: PageCache;
  /** The epochs: a change means the database changed. */
  version: string;
  now: number;
  /** What the pages show, read by the routes when they render. */
  message: string;
  holeValue: string;
  /** validUntil given to /page, if any. */
  validUntil: number | undefined;
  /** How many times a view was actually rendered (by the template engine). */
  renders: number;
  /** How many times onEveryRead ran. */
  reads: number;
}

function world(maxEntries = 100): World {
  const w = {
    version: 'v1',
    now: 1_700_000_000_000,
    message: 'first',
    holeValue: 'A',
    validUntil: undefined,
    renders: 0,
    reads: 0,
  } as Omit<World, 'app' | 'cache'> as World;
  const cache = pageCache({
    sessionCookie: SESSION_COOKIE,
    version: async () => w.version,
    now: () => w.now,
    ttlMs: TTL,
    maxEntries,
  });
  const app = express();
  app.engine('ejs', (path, options, callback) => {
    w.renders += 1;
    ejs.renderFile(path, options as ejs.Data, callback as (err: Error | null, html?: string) => void);
  });
  app.set('views', viewsDir);
  app.set('view engine', 'ejs');
  app.use(cache.serve);
  const cacheable = (): CacheablePage => (w.validUntil === undefined ? {} : { validUntil: w.validUntil });
  app.get('/page', async (req, res) => {
    const q = typeof req.query.halaman === 'string' ? ` halaman=${req.query.halaman}` : '';
    await cache.render(res, 'page', { message: `${w.message}${q}` }, cacheable());
  });
  app.post('/page', async (_req, res) => {
    await cache.render(res, 'page', { message: `${w.message} posted` }, cacheable());
  });
  app.get('/missing', async (_req, res) => {
    res.status(404);
    await cache.render(res, 'page', { message: `${w.message} not here` });
  });
  app.get('/holed', async (_req, res) => {
    await cache.render(
      res,
      'holed',
      { message: w.message, views: HOLE },
      {
        onEveryRead: () => {
          w.reads += 1;
        },
        hole: { marker: HOLE, value: () => w.holeValue },
      },
    );
  });
  w.app = app;
  w.cache = cache;
  return w;
}

describe('the page cache for anonymous readers', () => {
  let w: World;
  beforeEach(() => {
    w = world();
  });

  const get = (path: string) => request(w.app).get(path);

  it('answers the second anonymous GET from memory, without rendering', async () => {
    const first = await get('/page');
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toMatch(/^text\/html/);
    expect(first.text).toContain('message: first');
    expect(w.renders).toBe(1);

    // What the page would show now has changed, but nothing told the cache (same version, within the TTL).
    w.message = 'second';
    const again = await get('/page');
    expect(again.status).toBe(200);
    expect(again.headers['content-type']).toMatch(/^text\/html/);
    expect(again.text).toBe(first.text);
    expect(w.renders).toBe(1);
  });

  it('answers a HEAD from memory, and a HEAD on a cold cache fills it for the next GET', async () => {
    await get('/page');
    const head = await request(w.app).head('/page');
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toMatch(/^text\/html/);
    expect(head.text ?? '').toBe('');
    expect(w.renders).toBe(1);

    const cold = world();
    const coldHead = await request(cold.app).head('/page');
    expect(coldHead.status).toBe(200);
    expect(cold.renders).toBe(1);
    const afterHead = await request(cold.app).get('/page');
    expect(afterHead.text).toContain('message: first');
    expect(cold.renders).toBe(1);
  });

  it('always renders for a reader with a session cookie, and never keeps that page', async () => {
    const withSession = () => get('/page').set('Cookie', `theme=dark; ${SESSION_COOKIE}=s%3Aabc.def`);
    expect((await withSession()).text).toContain('message: first');
    expect((await withSession()).text).toContain('message: first');
    expect(w.renders).toBe(2);

    // Nothing was kept: the first anonymous reader gets a render of its own …
    w.message = 'anonymous';
    expect((await get('/page')).text).toContain('message: anonymous');
    expect(w.renders).toBe(3);

    // … and once the anonymous page is kept, a session still gets a fresh render, not the kept page.
    w.message = 'for the session';
    expect((await withSession()).text).toContain('message: for the session');
    expect(w.renders).toBe(4);
    expect((await get('/page')).text).toContain('message: anonymous');
    expect(w.renders).toBe(4);
  });

  it('never answers a POST from memory, nor keeps what a POST rendered', async () => {
    await get('/page');
    expect(w.renders).toBe(1);
    const posted = await request(w.app).post('/page');
    expect(posted.status).toBe(200);
    expect(posted.text).toContain('message: first posted');
    expect(w.renders).toBe(2);
    await request(w.app).post('/page');
    expect(w.renders).toBe(3);
    // The GET entry is still the GET page.
    expect((await get('/page')).text).toContain('message: first</p>');
    expect(w.renders).toBe(3);
  });

  it('renders again once the version changes, and keeps the new page for the new version', async () => {
    await get('/page');
    w.message = 'edited';
    w.version = 'v2';
    expect((await get('/page')).text).toContain('message: edited');
    expect(w.renders).toBe(2);
    expect((await get('/page')).text).toContain('message: edited');
    expect(w.renders).toBe(2);
  });

  it('renders again once the TTL has passed, not before', async () => {
    await get('/page');
    w.message = 'later';
    w.now += TTL - 1;
    expect((await get('/page')).text).toContain('message: first');
    expect(w.renders).toBe(1);
    w.now += 1;
    expect((await get('/page')).text).toContain('message: later');
    expect(w.renders).toBe(2);
  });

  it('renders again at validUntil when that comes before the TTL', async () => {
    const start = w.now;
    w.validUntil = start + 300;
    await get('/page');
    w.validUntil = undefined;
    w.message = 'scheduled one is due';
    w.now = start + 299;
    expect((await get('/page')).text).toContain('message: first');
    expect(w.renders).toBe(1);
    w.now = start + 300;
    expect((await get('/page')).text).toContain('message: scheduled one is due');
    expect(w.renders).toBe(2);
  });

  it('keeps a page for the TTL when validUntil lies further ahead', async () => {
    w.validUntil = w.now + 10 * TTL;
    await get('/page');
    w.now += TTL;
    await get('/page');
    expect(w.renders).toBe(2);
  });

  it('does not keep a response that is not a 200', async () => {
    const first = await get('/missing');
    expect(first.status).toBe(404);
    expect(first.text).toContain('first not here');
    const second = await get('/missing');
    expect(second.status).toBe(404);
    expect(w.renders).toBe(2);
  });

  it('keeps neither searches nor pages with parameters the site does not use', async () => {
    await get('/page?q=pemilu');
    await get('/page?q=pemilu');
    await get('/page?x=1');
    await get('/page?x=1');
    expect(w.renders).toBe(4);
  });

  it('keeps each query string as its own page', async () => {
    expect((await get('/page?halaman=1')).text).toContain('message: first halaman=1');
    expect((await get('/page?halaman=2')).text).toContain('message: first halaman=2');
    expect(w.renders).toBe(2);
    expect((await get('/page?halaman=1')).text).toContain('message: first halaman=1');
    expect((await get('/page?halaman=2')).text).toContain('message: first halaman=2');
    expect((await get('/page')).text).toContain('message: first</p>');
    expect(w.renders).toBe(3);
  });

  it('forgets the oldest page when full', async () => {
    const small = world(2);
    const at = (path: string) => request(small.app).get(path);
    await at('/page?halaman=a');
    await at('/page?halaman=b');
    expect(small.renders).toBe(2);
    await at('/page?halaman=c');
    expect(small.renders).toBe(3);
    // b and c are kept …
    await at('/page?halaman=b');
    await at('/page?halaman=c');
    expect(small.renders).toBe(3);
    // … a was forgotten.
    await at('/page?halaman=a');
    expect(small.renders).toBe(4);
  });

  it('replacing a page that is already kept forgets no other page', async () => {
    const small = world(2);
    const at = (path: string) => request(small.app).get(path);
    small.validUntil = small.now + 100;
    await at('/page?halaman=a');
    small.validUntil = undefined;
    await at('/page?halaman=b');
    expect(small.renders).toBe(2);
    small.now += 100;
    await at('/page?halaman=a');
    expect(small.renders).toBe(3);
    await at('/page?halaman=b');
    await at('/page?halaman=a');
    expect(small.renders).toBe(3);
  });

  it('fills the hole with the current value on the first and on every cached response', async () => {
    const first = await get('/holed');
    expect(first.text).toContain('<p>first: A</p><p>again: A</p>');
    expect(first.text).not.toContain(HOLE);

    w.holeValue = 'B';
    w.message = 'not shown until the version changes';
    const second = await get('/holed');
    expect(second.text).toContain('<p>first: B</p><p>again: B</p>');
    expect(second.text).toContain('message: first');
    expect(second.text).not.toContain(HOLE);

    w.holeValue = 'C';
    expect((await get('/holed')).text).toContain('<p>first: C</p><p>again: C</p>');
    expect(w.renders).toBe(1);
  });

  it('runs onEveryRead for every reader, from memory or rendered', async () => {
    await get('/holed');
    expect(w.reads).toBe(1);
    await get('/holed');
    await get('/holed');
    expect(w.reads).toBe(3);
    // A reader with a session (rendered, not kept) counts too.
    await get('/holed').set('Cookie', `${SESSION_COOKIE}=s%3Axyz`);
    expect(w.reads).toBe(4);
    // So does a reader after a change of version (rendered and kept again).
    w.version = 'v2';
    await get('/holed');
    expect(w.reads).toBe(5);
    expect(w.renders).toBe(3);
  });

  it('sends the same ETag for a page without a hole, and a 304 for a conditional request', async () => {
    const first = await get('/page');
    const etag = first.headers.etag as string | undefined;
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
    const again = await get('/page');
    expect(again.headers.etag).toBe(etag);

    const conditional = await get('/page').set('If-None-Match', etag as string);
    expect(conditional.status).toBe(304);
    expect(conditional.text ?? '').toBe('');
    expect(w.renders).toBe(1);

    // A new version is a new page with another ETag: the old one no longer matches.
    w.version = 'v2';
    w.message = 'edited';
    const edited = await get('/page').set('If-None-Match', etag as string);
    expect(edited.status).toBe(200);
    expect(edited.text).toContain('message: edited');
    expect(edited.headers.etag).not.toBe(etag);
  });

  it('never answers 304 for a page with a hole whose value has changed since', async () => {
    const first = await get('/holed');
    const etag = first.headers.etag as string | undefined;
    w.holeValue = 'B';
    const later = await (etag ? get('/holed').set('If-None-Match', etag) : get('/holed'));
    expect(later.status).toBe(200);
    expect(later.text).toContain('<p>first: B</p>');
  });
});

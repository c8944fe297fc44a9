import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { browser, loggedInAdmin } from '../helpers/http.js';
import { makePact, signAs } from '../helpers/pacts.js';
import { editPost, makePost } from '../helpers/posts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
/** The page cache's TTL in src/services.ts. */
const TTL_MS = 10_000;
const HOUR = 3_600_000;
const LOGOUT_FORM = 'action="/keluar"';

let t: TestApp;
/** How many views the app has actually rendered (a page answered from memory renders none). */
let renders: () => number;

beforeEach(async () => {
  t = await createTestApp();
  const spy = vi.spyOn(t.app, 'render');
  renders = () => spy.mock.calls.length;
});
afterEach(() => t.close());

/** An anonymous desktop Chrome reader without cookies. */
const anonymous = (path: string) => request(t.app).get(path).set('User-Agent', CHROME);

async function page(path: string): Promise<string> {
  const res = await anonymous(path);
  expect(res.status, path).toBe(200);
  return res.text;
}

/** "Dilihat N kali" on a post page. */
const viewsShown = (html: string): string | undefined => /Dilihat (\S+) kali/.exec(html)?.[1];

describe('public pages kept in memory for anonymous readers', () => {
  it('answers the same home page twice, rendering it once', async () => {
    await makePost(t.services, { title: 'Apel Siaga Netralitas ASN' });
    const first = await page('/');
    const rendered = renders();
    expect(rendered).toBe(1);
    const second = await page('/');
    expect(second).toBe(first);
    expect(second).toContain('Apel Siaga Netralitas ASN');
    expect(renders()).toBe(rendered);
  });

  it('shows an edited, a new and a newly published post on the very next anonymous home page', async () => {
    const post = await makePost(t.services, { title: 'Judul Berita Sebelum Diubah' });
    const draft = await makePost(t.services, {
      title: 'Draf Yang Akan Terbit',
      status: 'draft',
      publishedAt: null,
    });
    expect(await page('/')).toContain('Judul Berita Sebelum Diubah');
    await page('/');
    expect(renders()).toBe(1);

    await editPost(t.services, post, { title: 'Judul Berita Sesudah Diubah' });
    let html = await page('/');
    expect(renders()).toBe(2);
    expect(html).toContain('Judul Berita Sesudah Diubah');
    expect(html).not.toContain('Judul Berita Sebelum Diubah');
    await page('/');

    await makePost(t.services, {
      title: 'Berita Baru Saja Ditulis',
      publishedAt: new Date(t.clock.now().getTime() - 1),
    });
    expect(await page('/')).toContain('Berita Baru Saja Ditulis');

    expect(await page('/')).not.toContain('Draf Yang Akan Terbit');
    await editPost(t.services, draft, { status: 'published', publishedAt: null });
    html = await page('/');
    expect(html).toContain('Draf Yang Akan Terbit');
    // Also on the news list and the edited post's own page.
    expect(await page('/berita')).toContain('Judul Berita Sesudah Diubah');
    expect(await page(`/berita/${post.slug}`)).toContain('Judul Berita Sesudah Diubah');
  });

  it('shows a signing on the very next anonymous home page and compliance page', async () => {
    const unit = await t.make.unit({ name: 'Dinas Komunikasi dan Informatika' });
    const dewi = await t.make.user({ fullName: 'Dewi Lestari', unitId: unit.id });
    await t.make.user({ fullName: 'Bambang Setiawan', unitId: unit.id });
    const pact = await makePact(t.services, { title: 'Pakta Netralitas Seluruh ASN', audience: 'all' });

    expect(await page('/')).toContain('0 dari 2 sudah menandatangani');
    expect(await page('/kepatuhan')).toContain('0 dari 2 sudah menandatangani');
    await page('/');
    await page('/kepatuhan');

    await signAs(t.services, pact, dewi);
    expect(await page('/')).toContain('1 dari 2 sudah menandatangani');
    expect(await page('/kepatuhan')).toContain('1 dari 2 sudah menandatangani');
  });

  it('shows a change of the instance name on the next anonymous page', async () => {
    expect(await page('/')).not.toContain('Pemerintah Provinsi Uji Cache');
    await page('/');
    await t.services.settings.put('instance.name', 'Pemerintah Provinsi Uji Cache', t.clock.now());
    expect(await page('/')).toContain('Pemerintah Provinsi Uji Cache');
  });

  it('counts every reader of a cached post, and shows the right count before and after the flush', async () => {
    const post = await makePost(t.services, { title: 'Berita Yang Banyak Dibaca' });
    const path = `/berita/${post.slug}`;
    const readers = [browser(t.app), browser(t.app), browser(t.app), browser(t.app)] as const;
    const read = async (reader: (typeof readers)[number]) => {
      const res = await reader.get(path).set('User-Agent', CHROME);
      expect(res.status).toBe(200);
      return res.text;
    };

    const first = await read(readers[0]);
    const rendered = renders();
    expect(rendered).toBe(1);
    expect(viewsShown(first)).toBe('1');
    expect(viewsShown(await read(readers[1]))).toBe('2');
    const third = await read(readers[2]);
    expect(viewsShown(third)).toBe('3');
    expect(third).not.toContain('\u0001');
    // Served from memory all the same.
    expect(renders()).toBe(rendered);

    // A reader coming back is not counted again.
    expect(viewsShown(await read(readers[0]))).toBe('3');

    await t.services.postViews.flush();
    expect((await t.services.posts.findById(post.id))?.viewCount).toBe(3);
    expect(t.services.postViews.pendingFor(post.id)).toBe(0);
    // Neither counted twice (stored and pending) nor lost.
    expect(viewsShown(await read(readers[1]))).toBe('3');
    expect(viewsShown(await read(readers[3]))).toBe('4');
    expect(renders()).toBe(rendered);

    // A crawler sees the count, is not counted.
    const bot = await request(t.app)
      .get(path)
      .set('User-Agent', 'Googlebot/2.1 (+http://www.google.com/bot.html)');
    expect(viewsShown(bot.text)).toBe('4');
    expect(viewsShown(await page(path))).toBe('5');
  });

  it('gives a logged-in user a personalised page right after an anonymous reader cached it, and never the reverse', async () => {
    await makePost(t.services, { title: 'Berita Untuk Semua Pembaca' });
    const before = await page('/');
    expect(before).not.toContain(LOGOUT_FORM);
    await page('/');

    const { agent } = await loggedInAdmin(t, 'Admin Penguji Cache');
    const mine = await agent.get('/').set('User-Agent', CHROME);
    expect(mine.status).toBe(200);
    expect(mine.text).toContain(LOGOUT_FORM);
    expect(mine.text).toContain('Keluar');
    expect(mine.text).toContain('Admin Penguji Cache');
    expect(mine.text).toContain('Berita Untuk Semua Pembaca');

    // The logged-in page was not kept for anyone else.
    for (const html of [await page('/'), await page('/')]) {
      expect(html).not.toContain(LOGOUT_FORM);
      expect(html).not.toContain('Admin Penguji Cache');
      expect(html).toContain('href="/masuk"');
    }
    // Nor on the other public pages, even when the logged-in user read them first.
    for (const path of ['/berita', '/kepatuhan']) {
      const theirs = await agent.get(path).set('User-Agent', CHROME);
      expect(theirs.text).toContain(LOGOUT_FORM);
      const html = await page(path);
      expect(html).not.toContain(LOGOUT_FORM);
      expect(html).not.toContain('Admin Penguji Cache');
      expect((await agent.get(path).set('User-Agent', CHROME)).text).toContain(LOGOUT_FORM);
    }
  });

  it('shows a scheduled post exactly when its time comes, though the page was cached less than a TTL before', async () => {
    const gap = 3_000;
    const due = new Date(t.clock.now().getTime() + gap);
    await makePost(t.services, {
      title: 'Berita Lama Sudah Terbit',
      publishedAt: new Date(t.clock.now().getTime() - HOUR),
    });
    const scheduled = await makePost(t.services, {
      title: 'Berita Terjadwal Sebentar Lagi',
      publishedAt: due,
    });
    expect(gap).toBeLessThan(TTL_MS);

    for (const path of ['/', '/berita'])
      expect(await page(path)).not.toContain('Berita Terjadwal Sebentar Lagi');
    expect((await anonymous(`/berita/${scheduled.slug}`)).status).toBe(404);

    t.clock.advance(gap - 1);
    for (const path of ['/', '/berita'])
      expect(await page(path)).not.toContain('Berita Terjadwal Sebentar Lagi');

    // At its publication time to the millisecond: the cached pages end there (validUntil), not at their TTL.
    t.clock.advance(1);
    expect(t.clock.now().getTime()).toBe(due.getTime());
    for (const path of ['/', '/berita']) expect(await page(path)).toContain('Berita Terjadwal Sebentar Lagi');
    expect(await page(`/berita/${scheduled.slug}`)).toContain('Berita Terjadwal Sebentar Lagi');
  });

  it('answers a kept page with the headers of its first answer, its own request id, and gzip made once', async () => {
    await makePost(t.services, { title: 'Apel Siaga Netralitas ASN' });
    const first = await anonymous('/');
    const second = await anonymous('/');
    expect(renders()).toBe(1);
    expect(second.text).toBe(first.text);
    for (const header of [
      'content-security-policy',
      'x-frame-options',
      'x-content-type-options',
      'referrer-policy',
      'cross-origin-resource-policy',
      'content-type',
    ]) {
      expect(second.headers[header], header).toBe(first.headers[header]);
    }
    expect(second.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(second.headers['x-powered-by']).toBeUndefined();
    expect(second.headers['set-cookie']).toBeUndefined();
    expect(second.headers['x-request-id']).toMatch(/^[\w-]{8,}$/);
    expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    expect(second.headers.vary).toContain('Accept-Encoding');

    // A reader that accepts gzip gets the same page compressed, and a 304 for the tag it holds.
    const zipped = await anonymous('/').set('Accept-Encoding', 'gzip, deflate, br');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.text).toBe(first.text);
    expect(zipped.headers['content-security-policy']).toBe(first.headers['content-security-policy']);
    const again = await anonymous('/')
      .set('Accept-Encoding', 'gzip')
      .set('If-None-Match', zipped.headers.etag as string);
    expect(again.status).toBe(304);
    expect(renders()).toBe(1);
  });
});

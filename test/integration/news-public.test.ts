import { readFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { sql } from 'kysely';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import type { PostInput } from '../../src/news/post-input.js';
import type { Post } from '../../src/news/types.js';
import { browser, loggedInAdmin } from '../helpers/http.js';
import { makeCover, makePost } from '../helpers/posts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const BASE_URL = 'https://ikrar.example.go.id';
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const HOUR = 60 * 60 * 1000;

/** A real news post (JDIH Jawa Tengah, 21 November 2023): a long body to search in. */
const JDIH_NEWS = readFileSync(
  new URL('../fixtures/berita-jdih-jateng-2023-11-21.txt', import.meta.url),
  'utf8',
);

const XSS_TITLE = 'Awas <script>alert(1)</script> "><img src=x onerror=alert(1)>';
const XSS_EXCERPT = 'Ringkasan <script>alert(1)</script> "><img src=x onerror=alert(1)>';
/** XSS_TITLE as EJS escapes it. */
const XSS_TITLE_ESCAPED =
  'Awas &lt;script&gt;alert(1)&lt;/script&gt; &#34;&gt;&lt;img src=x onerror=alert(1)&gt;';

const BAD_REQUEST_MESSAGE = 'Permintaan tidak dapat diproses karena isinya tidak sah';
const NOT_FOUND_TITLE = 'Halaman tidak ditemukan';
const NO_MATCH = 'Tidak ada berita atau pengumuman yang cocok';

let t: TestApp;
afterEach(() => t.close());

/** A fresh app whose public address is BASE_URL. */
const start = async (): Promise<TestApp> => {
  t = await createTestApp({ BASE_URL });
  return t;
};

type PostOverrides = Partial<PostInput> & { unitId?: number | null };
const post = (overrides: PostOverrides = {}): Promise<Post> => makePost(t.services, overrides);
const hoursAgo = (hours: number): Date => new Date(t.clock.now().getTime() - hours * HOUR);
const hoursAhead = (hours: number): Date => new Date(t.clock.now().getTime() + hours * HOUR);

/** A GET as a desktop Chrome reader without cookies. */
const get = (path: string) => request(t.app).get(path).set('User-Agent', CHROME);

/** The slugs of the post cards on a page, in order. */
const listedSlugs = (html: string): string[] =>
  [...html.matchAll(/<a class="stretched-link[^"]*" href="\/berita\/([a-z0-9-]+)">/g)].map(
    (m) => m[1] as string,
  );

/** "Dilihat N kali" on a post page. */
const viewsShown = (html: string): string | undefined => /Dilihat (\S+) kali/.exec(html)?.[1];
const storedViews = async (id: number): Promise<number | undefined> =>
  (await t.services.posts.findById(id))?.viewCount;

const metaContent = (html: string, attribute: 'property' | 'name', key: string): string | undefined =>
  new RegExp(`<meta ${attribute}="${key}" content="([^"]*)">`).exec(html)?.[1];

const unescapeAttribute = (value: string): string =>
  value
    .replace(/&#34;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The search snippets on a result page (their inner HTML). */
const snippets = (html: string): string[] =>
  [...html.matchAll(/<p class="card-text small search-snippet">([\s\S]*?)<\/p>/g)].map((m) => m[1] as string);

const search = (q: string, extra = '') => get(`/berita?q=${encodeURIComponent(q)}${extra}`);

// --- Atom and sitemap parsing ---

interface AtomText {
  '#text'?: string;
  '@_type'?: string;
}
interface AtomLink {
  '@_href': string;
  '@_rel'?: string;
  '@_type'?: string;
}
interface AtomEntry {
  id: string;
  title: AtomText | string;
  summary?: AtomText | string;
  link: AtomLink[];
  published: string;
  updated: string;
}
interface AtomFeed {
  feed: { title: string; id: string; link: AtomLink[]; entry?: AtomEntry[] };
}

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  // Character references (&#34;) are XML itself, not HTML: every XML parser must decode them.
  htmlEntities: true,
  isArray: (name) => ['entry', 'link', 'url'].includes(name),
});

const textOf = (node: AtomText | string | undefined): string =>
  typeof node === 'string' ? node : (node?.['#text'] ?? '');

const decodeHtmlText = (html: string): string =>
  html
    .replace(/<[^>]*>/g, '')
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, n: string) => String.fromCodePoint(Number.parseInt(n, 16)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/**
 * What a feed reader shows for an Atom text construct (RFC 4287 §3.1): type="html" content is HTML, so its
 * markup is markup and its entities are decoded; type="text" (the default) is shown as it is.
 */
const asFeedReaderShowsIt = (node: AtomText | string | undefined): string =>
  typeof node === 'object' && node['@_type'] === 'html' ? decodeHtmlText(textOf(node)) : textOf(node);

/**
 * Whether the string "]]>" occurs outside a CDATA section, which XML forbids (§2.4): strict parsers (libxml2,
 * expat, browsers) then reject the whole document. fast-xml-parser's validator does not check this.
 */
const hasStrayCdataEnd = (xml: string): boolean =>
  xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '').includes(']]>');

function parseFeed(xml: string): AtomFeed['feed'] & { entries: AtomEntry[] } {
  expect(XMLValidator.validate(xml)).toBe(true);
  const { feed } = xmlParser.parse(xml) as AtomFeed;
  return { ...feed, entries: feed.entry ?? [] };
}

const entryHref = (entry: AtomEntry): string | undefined =>
  entry.link.find((l) => l['@_rel'] === undefined || l['@_rel'] === 'alternate')?.['@_href'];

interface Sitemap {
  urlset: { url: { loc: string; lastmod?: string }[] };
}

describe('public news', () => {
  describe('what the public may see', () => {
    it('hides drafts and scheduled posts everywhere until their time comes', async () => {
      await start();
      const visible = await post({ title: 'Sudah Terbit Mutiara', slug: 'sudah-terbit' });
      const draft = await post({
        title: 'Rancangan Rahasia Zamrud',
        slug: 'rancangan-rahasia',
        status: 'draft',
        publishedAt: hoursAgo(5),
      });
      const scheduled = await post({
        title: 'Jadwal Terbit Safir',
        slug: 'jadwal-terbit',
        publishedAt: hoursAhead(2),
      });

      expect((await get(`/berita/${visible.slug}`)).status).toBe(200);
      for (const hidden of [draft, scheduled]) {
        const res = await get(`/berita/${hidden.slug}`);
        expect(res.status).toBe(404);
        expect(res.text).not.toContain(hidden.title);
      }

      const list = await get('/berita');
      expect(listedSlugs(list.text)).toEqual([visible.slug]);
      const feed = await get('/feed.xml');
      expect(feed.text).toContain(`/berita/${visible.slug}`);
      const sitemap = await get('/sitemap.xml');
      expect(sitemap.text).toContain(`/berita/${visible.slug}`);
      const home = await get('/');
      for (const page of [feed, sitemap, home, list]) {
        expect(page.text).not.toContain(draft.slug);
        expect(page.text).not.toContain(scheduled.slug);
      }
      for (const word of ['zamrud', 'safir']) {
        const found = await search(word);
        expect(found.status).toBe(200);
        expect(found.text).toContain(NO_MATCH);
        expect(listedSlugs(found.text)).toEqual([]);
      }

      t.clock.advance(3 * HOUR);

      expect((await get(`/berita/${scheduled.slug}`)).status).toBe(200);
      expect(listedSlugs((await get('/berita')).text)).toEqual([scheduled.slug, visible.slug]);
      expect((await get('/feed.xml')).text).toContain(`${BASE_URL}/berita/${scheduled.slug}`);
      expect((await get('/sitemap.xml')).text).toContain(`${BASE_URL}/berita/${scheduled.slug}`);
      expect(listedSlugs((await search('safir')).text)).toEqual([scheduled.slug]);
      // The draft stays hidden although its date has long passed.
      expect((await get(`/berita/${draft.slug}`)).status).toBe(404);
      expect(listedSlugs((await search('zamrud')).text)).toEqual([]);
    });

    it('answers an unknown slug with the Indonesian 404 page', async () => {
      await start();
      await post({ slug: 'ada' });
      const res = await get('/berita/tidak-ada-berita-ini');
      expect(res.status).toBe(404);
      expect(res.text).toContain(NOT_FOUND_TITLE);
    });

    it.each([
      ['/berita/ABC', '/berita/ABC'],
      ['/berita/Ada', '/berita/Ada'],
      ['/berita/a..b', '/berita/a..b'],
      ['/berita/a--b', '/berita/a--b'],
      ['/berita/-ada', '/berita/-ada'],
      ['/berita/ada-', '/berita/ada-'],
      ['/berita/%3Cscript%3E', '/berita/%3Cscript%3E'],
      ['/berita/ada%00', '/berita/ada%00'],
      ['/berita/ada%20', '/berita/ada%20'],
      ['an 81-character slug', `/berita/${'a'.repeat(81)}`],
      ['a 5000-character slug', `/berita/${'a'.repeat(5000)}`],
    ])('answers the odd slug %s with 404, never 500', async (_label, path) => {
      await start();
      await post({ slug: 'ada' });
      await post({ slug: 'abc' });
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(res.text).toContain(NOT_FOUND_TITLE);
      expect(res.text).not.toContain('<script>');
    });
  });

  describe('the list', () => {
    /** 12 posts, berita-00 the newest. */
    const twelvePosts = async () => {
      await start();
      // Made oldest first, so that neither insertion order nor id order can pass for date order.
      for (let i = 11; i >= 0; i--) {
        await post({
          title: `Berita Nomor ${i}`,
          slug: `berita-${String(i).padStart(2, '0')}`,
          publishedAt: hoursAgo(i + 1),
        });
      }
    };
    const slugs = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => `berita-${String(from + i).padStart(2, '0')}`);

    it('shows the newest 10 first, and the rest on page 2', async () => {
      await twelvePosts();
      const first = await get('/berita');
      expect(first.status).toBe(200);
      expect(listedSlugs(first.text)).toEqual(slugs(0, 10));
      expect(first.text).toContain('Halaman 1 dari 2');
      expect(first.text).toContain('href="?halaman=2" rel="next"');

      const second = await get('/berita?halaman=2');
      expect(second.status).toBe(200);
      expect(listedSlugs(second.text)).toEqual(slugs(10, 12));
      expect(second.text).toContain('Halaman 2 dari 2');
    });

    it.each([['0'], ['-1'], ['abc'], ['1.5'], ['1e1'], ['0x2'], ['2%20'], ['99999999']])(
      'refuses halaman=%s with a 400 in Indonesian',
      async (halaman) => {
        await twelvePosts();
        const res = await get(`/berita?halaman=${halaman}`);
        expect(res.status).toBe(400);
        expect(res.text).toContain(BAD_REQUEST_MESSAGE);
      },
    );

    it('refuses a repeated halaman with a 400 in Indonesian', async () => {
      await twelvePosts();
      const res = await get('/berita?halaman=1&halaman=2');
      expect(res.status).toBe(400);
      expect(res.text).toContain(BAD_REQUEST_MESSAGE);
    });

    it('shows the last page for a page number past the end', async () => {
      await twelvePosts();
      const res = await get('/berita?halaman=99999');
      expect(res.status).toBe(200);
      expect(listedSlugs(res.text)).toEqual(slugs(10, 12));
      expect(res.text).toContain('Halaman 2 dari 2');
    });

    it('filters by category, 404s an unknown category and shows all for an empty one', async () => {
      await start();
      const news = await post({ slug: 'berita-biasa', category: 'berita', publishedAt: hoursAgo(3) });
      const notice = await post({
        slug: 'pengumuman-penting',
        category: 'pengumuman',
        publishedAt: hoursAgo(2),
      });

      const notices = await get('/berita?kategori=pengumuman');
      expect(notices.status).toBe(200);
      expect(listedSlugs(notices.text)).toEqual([notice.slug]);
      expect(notices.text).toContain('<h1 class="h2 mb-3">Pengumuman</h1>');
      expect(notices.text).toContain(`<link rel="canonical" href="${BASE_URL}/berita?kategori=pengumuman">`);

      expect(listedSlugs((await get('/berita?kategori=berita')).text)).toEqual([news.slug]);

      const unknown = await get('/berita?kategori=xyz');
      expect(unknown.status).toBe(404);
      expect(unknown.text).toContain(NOT_FOUND_TITLE);

      const all = await get('/berita?kategori=');
      expect(all.status).toBe(200);
      expect(listedSlugs(all.text)).toEqual([notice.slug, news.slug]);
    });

    it('keeps the category in the page links', async () => {
      await start();
      for (let i = 0; i < 11; i++) await post({ category: 'pengumuman', publishedAt: hoursAgo(i + 1) });
      const res = await get('/berita?kategori=pengumuman');
      expect(res.text).toContain('href="?kategori=pengumuman&amp;halaman=2" rel="next"');
    });
  });

  describe('search', () => {
    it('finds a word deep in the body of a long post and marks it in the snippet', async () => {
      await start();
      const jdih = await post({
        title: 'Kunjungan Kerja Spesifik Komisi II DPR RI',
        slug: 'kunjungan-komisi-ii',
        excerpt: 'Pembahasan tahapan pelaksanaan pemilu serentak.',
        body: JDIH_NEWS,
      });
      await post({ title: 'Berita Lain', slug: 'berita-lain' });

      for (const word of ['Pemalang', 'kondusifitas', 'PEMALANG']) {
        const res = await search(word);
        expect(res.status).toBe(200);
        expect(listedSlugs(res.text)).toEqual([jdih.slug]);
        expect(res.text).toContain(`1 hasil untuk “${word}”.`);
        const [snippet] = snippets(res.text);
        expect(snippet?.toLowerCase()).toContain(`<mark>${word.toLowerCase()}</mark>`);
      }
    });

    it('matches the start of a word: "pemil" finds "Pemilu"', async () => {
      await start();
      const pemilu = await post({ title: 'Pemilu Serentak 2024', slug: 'pemilu-serentak' });
      await post({ title: 'Rapat Koordinasi', slug: 'rapat' });
      const res = await search('pemil');
      expect(listedSlugs(res.text)).toEqual([pemilu.slug]);
      expect(snippets(res.text)[0]).toContain('<mark>Pemilu</mark>');
    });

    it('ignores case and diacritics on both sides', async () => {
      await start();
      const pemilu = await post({ title: 'Pemilu Serentak 2024', slug: 'pemilu-serentak' });
      const cafe = await post({ title: 'Diskusi di Café Rakyat', slug: 'kafe' });
      expect(listedSlugs((await search('PÉMILU')).text)).toEqual([pemilu.slug]);
      expect(listedSlugs((await search('pemilú')).text)).toEqual([pemilu.slug]);
      expect(listedSlugs((await search('CAFE')).text)).toEqual([cafe.slug]);
      expect(listedSlugs((await search('café')).text)).toEqual([cafe.slug]);
    });

    it('finds a word typed with a decomposed accent (NFD, as pasted from some documents)', async () => {
      await start();
      const pemilu = await post({ title: 'Pemilu Serentak 2024', slug: 'pemilu-serentak' });
      const res = await search('Pe\u0301milu');
      expect(res.status).toBe(200);
      expect(listedSlugs(res.text)).toEqual([pemilu.slug]);
    });

    it('requires every word typed', async () => {
      await start();
      const pati = await post({
        title: 'Netralitas ASN Kabupaten Pati',
        slug: 'pati',
        publishedAt: hoursAgo(2),
      });
      const semarang = await post({
        title: 'Netralitas ASN Kota Semarang',
        slug: 'semarang',
        publishedAt: hoursAgo(1),
      });
      expect(listedSlugs((await search('netralitas pati')).text)).toEqual([pati.slug]);
      expect(listedSlugs((await search('semarang netralitas')).text)).toEqual([semarang.slug]);
      expect(listedSlugs((await search('netralitas')).text).sort()).toEqual([pati.slug, semarang.slug]);
      const none = await search('pati semarang');
      expect(listedSlugs(none.text)).toEqual([]);
      expect(none.text).toContain(NO_MATCH);
    });

    it('shows text from the post in the snippet escaped, never as markup', async () => {
      await start();
      await post({
        title: 'Panduan Penulisan Naskah',
        slug: 'panduan',
        body: 'Dokumen ini memakai tag `<b>` untuk huruf tebal & tanda "kutip" pada naskah.',
      });
      const res = await search('tebal');
      const [snippet] = snippets(res.text);
      expect(snippet).toBe(
        'Dokumen ini memakai tag &lt;b&gt; untuk huruf <mark>tebal</mark> &amp; tanda &#34;kutip&#34; pada naskah.',
      );
      expect(res.text).not.toContain('<b>');
    });

    it('marks only what the search matched, even when the body names a control character as an entity', async () => {
      await start();
      await post({
        title: 'Rapat Koordinasi',
        slug: 'rapat',
        body: 'Rapat &#2;koordinasi&#3; tentang netralitas ASN.',
      });
      const res = await search('netralitas');
      const [snippet] = snippets(res.text);
      expect(snippet).toContain('<mark>netralitas</mark>');
      expect(snippet?.match(/<mark>/g)).toHaveLength(1);
      expect(snippet?.match(/<\/mark>/g)).toHaveLength(1);
    });

    it.each([
      ['"'],
      ['*'],
      ['NEAR('],
      ['NEAR(pemilu asn, 2)'],
      ['AND'],
      ['OR'],
      ['NOT'],
      ['-'],
      ['-pemilu'],
      ['title:x'],
      ['body_text:pemilu'],
      ['^'],
      ['^pemilu'],
      ['('],
      ['pemilu)'],
      ['{title}:pemilu'],
      ["'; DROP TABLE posts; --"],
      ['%'],
      ['\\'],
      ['<script>alert(1)</script>'],
      ['💥'],
    ])('answers the search %j with 200, never 500', async (q) => {
      await start();
      await post({ title: 'Pemilu Serentak 2024', slug: 'pemilu-serentak' });
      const res = await search(q);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('<script>alert');
      expect(await t.services.posts.countAll()).toBe(1);
    });

    it.each([['"'], ['*'], ['-'], ['^'], ['('], ['"*()^-:'], ['...'], ['  ?!  ']])(
      'says nothing matches a search of punctuation only (%j)',
      async (q) => {
        await start();
        await post({ title: 'Pemilu Serentak 2024', slug: 'pemilu-serentak' });
        const res = await search(q);
        expect(res.status).toBe(200);
        expect(res.text).toContain(NO_MATCH);
        expect(listedSlugs(res.text)).toEqual([]);
      },
    );

    it('searches the words of a query with an unbalanced quote', async () => {
      await start();
      const pemilu = await post({ title: 'Pemilu Serentak 2024', slug: 'pemilu-serentak' });
      expect(listedSlugs((await search('"pemilu')).text)).toEqual([pemilu.slug]);
      expect(listedSlugs((await search('pemilu" serentak')).text)).toEqual([pemilu.slug]);
    });

    it('cuts a 10 kB query to 200 characters, says so, and answers quickly', async () => {
      await start();
      const pemilu = await post({ title: 'Pemilu Serentak 2024', slug: 'pemilu-serentak' });
      const q = 'Pemilu-'.repeat(1_463);
      expect(q.length).toBeGreaterThan(10_000);
      const began = Date.now();
      const res = await search(q);
      expect(Date.now() - began).toBeLessThan(2_000);
      expect(res.status).toBe(200);
      expect(res.text).toContain('Kata kunci dipotong menjadi 200 karakter pertama.');
      expect(res.text).toContain(`value="${q.slice(0, 200)}"`);
      expect(listedSlugs(res.text)).toEqual([pemilu.slug]);
    });

    it('cuts a 10 kB query of many different words without slowing down', async () => {
      await start();
      await post({ title: 'Pemilu Serentak 2024', slug: 'pemilu-serentak' });
      const q = Array.from({ length: 2_000 }, (_, i) => `k${i}`).join(' ');
      expect(q.length).toBeGreaterThan(10_000);
      const began = Date.now();
      const res = await search(q);
      expect(Date.now() - began).toBeLessThan(2_000);
      expect(res.status).toBe(200);
      expect(res.text).toContain('dipotong');
      expect(res.text).toContain(NO_MATCH);
    });

    it('treats a repeated q as no search at all', async () => {
      await start();
      const a = await post({
        title: 'Pemilu Serentak 2024',
        slug: 'pemilu-serentak',
        publishedAt: hoursAgo(2),
      });
      const b = await post({ title: 'Rapat Koordinasi', slug: 'rapat', publishedAt: hoursAgo(1) });
      const res = await get('/berita?q=pemilu&q=rapat');
      expect(res.status).toBe(200);
      expect(listedSlugs(res.text)).toEqual([b.slug, a.slug]);
      expect(res.text).not.toContain('hasil untuk');
      expect(res.text).not.toContain(NO_MATCH);
    });

    it('never finds drafts, even by a word only the draft contains', async () => {
      await start();
      const published = await post({
        title: 'Netralitas ASN',
        slug: 'netralitas',
        body: 'Netralitas ASN dijaga.',
      });
      await post({
        title: 'Netralitas Rahasia',
        slug: 'netralitas-rahasia',
        status: 'draft',
        publishedAt: null,
        body: 'Kata khusus: obsidian.',
      });
      const both = await search('netralitas');
      expect(listedSlugs(both.text)).toEqual([published.slug]);
      expect(both.text).toContain('1 hasil untuk');
      expect(listedSlugs((await search('obsidian')).text)).toEqual([]);
    });

    it('searches within a category', async () => {
      await start();
      await post({ title: 'Netralitas ASN Berita', slug: 'netralitas-berita', category: 'berita' });
      const notice = await post({
        title: 'Netralitas ASN Pengumuman',
        slug: 'netralitas-pengumuman',
        category: 'pengumuman',
      });
      const res = await search('netralitas', '&kategori=pengumuman');
      expect(listedSlugs(res.text)).toEqual([notice.slug]);
    });
  });

  describe('a post page', () => {
    it('shows title, category, Indonesian date, publishing unit and views', async () => {
      await start();
      const unit = await t.make.unit({ name: 'Badan Kepegawaian Daerah Provinsi Jawa Tengah' });
      const p = await post({
        title: 'Kunjungan Kerja Komisi II DPR RI',
        slug: 'kunjungan-kerja',
        category: 'pengumuman',
        publishedAt: new Date('2023-11-21T03:00:00Z'),
        unitId: unit.id,
        body: JDIH_NEWS,
      });
      const res = await get(`/berita/${p.slug}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('<h1 class="h2">Kunjungan Kerja Komisi II DPR RI</h1>');
      expect(res.text).toContain('<span class="badge text-bg-warning">Pengumuman</span>');
      expect(res.text).toContain('<time datetime="2023-11-21T03:00:00.000Z">Selasa, 21 November 2023</time>');
      expect(res.text).toContain(' · Badan Kepegawaian Daerah Provinsi Jawa Tengah');
      expect(res.text).toContain('Dilihat 1 kali');
      expect(res.text).toContain('Kabupaten Pemalang');
    });

    it('dates a post by the day in Jakarta, not in UTC', async () => {
      await start();
      // 20 November 2023, 18:30 UTC is Tuesday 21 November 01:30 in Jakarta.
      const p = await post({ slug: 'dini-hari', publishedAt: new Date('2023-11-20T18:30:00Z') });
      expect((await get(`/berita/${p.slug}`)).text).toContain('Selasa, 21 November 2023');
    });

    it('offers share links carrying the absolute address of the post', async () => {
      await start();
      const p = await post({ title: 'Ikrar Netralitas & Integritas ASN', slug: 'ikrar-netralitas' });
      const url = `${BASE_URL}/berita/${p.slug}`;
      const res = await get(`/berita/${p.slug}`);
      const hrefs = [
        ...res.text.matchAll(/href="(https:\/\/(?:wa\.me|www\.facebook\.com|x\.com)\/[^"]*)"/g),
      ].map((m) => new URL(unescapeAttribute(m[1] as string)));
      expect(hrefs.map((h) => h.origin + h.pathname)).toEqual([
        'https://wa.me/',
        'https://www.facebook.com/sharer/sharer.php',
        'https://x.com/intent/post',
      ]);
      const [wa, facebook, x] = hrefs as [URL, URL, URL];
      expect(wa.searchParams.get('text')).toBe(`Ikrar Netralitas & Integritas ASN ${url}`);
      expect(facebook.searchParams.get('u')).toBe(url);
      expect(x.searchParams.get('url')).toBe(url);
      expect(x.searchParams.get('text')).toBe('Ikrar Netralitas & Integritas ASN');
      expect(res.text).toContain(`https://www.facebook.com/sharer/sharer.php?u=${encodeURIComponent(url)}`);
      expect(res.text).toContain(`value="${url}" readonly`);
    });

    it('has an absolute canonical link and og:url, and a plain summary card without a cover', async () => {
      await start();
      const p = await post({ slug: 'tanpa-sampul', excerpt: 'Ringkasan singkat.' });
      const res = await get(`/berita/${p.slug}?utm_source=wa`);
      expect(res.text).toContain(`<link rel="canonical" href="${BASE_URL}/berita/${p.slug}">`);
      expect(metaContent(res.text, 'property', 'og:url')).toBe(`${BASE_URL}/berita/${p.slug}`);
      expect(metaContent(res.text, 'property', 'og:type')).toBe('article');
      expect(metaContent(res.text, 'property', 'og:description')).toBe('Ringkasan singkat.');
      expect(metaContent(res.text, 'name', 'twitter:card')).toBe('summary');
      expect(metaContent(res.text, 'property', 'og:image')).toBeUndefined();
    });

    it('gives link previews a large image that really is a JPEG at its absolute address', async () => {
      await start();
      const coverId = await makeCover(t.services);
      const p = await post({ slug: 'dengan-sampul', coverId, coverAlt: 'Foto rapat koordinasi' });
      const res = await get(`/berita/${p.slug}`);
      const image = metaContent(res.text, 'property', 'og:image') as string;
      expect(image).toBe(`${BASE_URL}/berita/gambar/${coverId}/bagikan.jpg`);
      expect(metaContent(res.text, 'name', 'twitter:card')).toBe('summary_large_image');
      expect(metaContent(res.text, 'name', 'twitter:image')).toBe(image);
      expect(metaContent(res.text, 'property', 'og:image:alt')).toBe('Foto rapat koordinasi');
      expect(metaContent(res.text, 'property', 'og:image:width')).toBe('1200');
      expect(metaContent(res.text, 'property', 'og:image:height')).toBe('675');

      const jpeg = await get(image.slice(BASE_URL.length));
      expect(jpeg.status).toBe(200);
      expect(jpeg.headers['content-type']).toBe('image/jpeg');
      expect((jpeg.body as Buffer).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    });

    it('links to the next newer and next older visible post, skipping drafts and scheduled posts', async () => {
      await start();
      const oldest = await post({ title: 'Yang Terlama', slug: 'terlama', publishedAt: hoursAgo(30) });
      await post({ title: 'Draf di Tengah', slug: 'draf', status: 'draft', publishedAt: hoursAgo(25) });
      const middle = await post({ title: 'Yang Tengah', slug: 'tengah', publishedAt: hoursAgo(20) });
      const newest = await post({ title: 'Yang Terbaru', slug: 'terbaru', publishedAt: hoursAgo(10) });
      await post({ title: 'Terjadwal', slug: 'terjadwal', publishedAt: hoursAhead(10) });

      const links = async (slug: string) =>
        Object.fromEntries(
          [
            ...(await get(`/berita/${slug}`)).text.matchAll(
              /<a href="\/berita\/([a-z0-9-]+)" rel="(prev|next)">/g,
            ),
          ].map((m) => [m[2], m[1]]),
        );
      expect(await links(middle.slug)).toEqual({ prev: newest.slug, next: oldest.slug });
      expect(await links(newest.slug)).toEqual({ next: middle.slug });
      expect(await links(oldest.slug)).toEqual({ prev: middle.slug });
      const middlePage = (await get(`/berita/${middle.slug}`)).text;
      expect(middlePage).toContain('Lebih baru');
      expect(middlePage).toContain('Sebelumnya');
    });
  });

  describe('a post without an excerpt', () => {
    const LONG_PARAGRAPH =
      'Badan Kepegawaian Daerah **menggelar** [sosialisasi](https://bkd.jatengprov.go.id) netralitas ASN bagi ' +
      'seluruh perangkat daerah di Gedung Gradhika Bhakti Praja, Semarang, yang dihadiri para kepala perangkat ' +
      'daerah, sekretaris, dan operator Ikrar dari setiap unit kerja.';
    /** LONG_PARAGRAPH as a reader sees it. */
    const LONG_TEXT = LONG_PARAGRAPH.replace(/\*\*/g, '').replace(/\[([^\]]+)\]\([^)]+\)/, '$1');
    const BODY = `## Latar belakang\n\n${LONG_PARAGRAPH}\n\nParagraf kedua tidak ikut dalam ringkasan.`;

    const descriptionsOf = (html: string) =>
      [
        metaContent(html, 'name', 'description'),
        metaContent(html, 'property', 'og:description'),
        metaContent(html, 'name', 'twitter:description'),
      ].map((d) => unescapeAttribute(d ?? ''));

    it('is described by its first paragraph as plain text, cut at a word, in its meta tags, card and feed', async () => {
      await start();
      const p = await post({ slug: 'tanpa-ringkasan', excerpt: '', body: BODY });
      const page = await get(`/berita/${p.slug}`);

      const [description, og, twitter] = descriptionsOf(page.text) as [string, string, string];
      expect(og).toBe(description);
      expect(twitter).toBe(description);
      expect(description).toMatch(
        /^Badan Kepegawaian Daerah menggelar sosialisasi netralitas ASN bagi seluruh/,
      );
      expect(description).not.toMatch(/\*|\[|\]|##|Latar belakang|Paragraf kedua|https:/);
      expect(description).not.toContain('layanan penandatanganan Pakta Integritas');
      // At most 160 characters, ending at the end of a word of the paragraph, marked as cut.
      expect(description.length).toBeLessThanOrEqual(160);
      expect(description.endsWith('…')).toBe(true);
      const kept = description.slice(0, -1);
      expect(LONG_TEXT.startsWith(kept)).toBe(true);
      expect(LONG_TEXT[kept.length]).toMatch(/[\s,]/);
      // The page itself does not repeat it as a lead paragraph: it is the body's own first paragraph.
      expect(page.text).not.toContain('<p class="lead">');

      const card = `<p class="card-text small news-card-text">${description}</p>`;
      expect((await get('/berita')).text).toContain(card);
      expect((await get('/')).text).toContain(card);
      const [entry] = parseFeed((await get('/feed.xml')).text).entries;
      expect(asFeedReaderShowsIt(entry?.summary)).toBe(description);
    });

    it('keeps a short first paragraph whole and shows its markup as text', async () => {
      await start();
      const p = await post({
        slug: 'pendek',
        excerpt: '',
        body: 'Rapat <b>koordinasi</b> & "apel" <script>alert(1)</script> netralitas.\n\nLanjutan.',
      });
      const page = (await get(`/berita/${p.slug}`)).text;
      expect(descriptionsOf(page)).toEqual(Array(3).fill('Rapat koordinasi & "apel" netralitas.'));
      expect(page).not.toContain('<script>alert');
    });

    it('uses the text of a body that is only a list', async () => {
      await start();
      const p = await post({ slug: 'daftar', excerpt: '', body: '- Datang tepat waktu\n- Membawa KTP' });
      expect(descriptionsOf((await get(`/berita/${p.slug}`)).text)[0]).toBe('Datang tepat waktu Membawa KTP');
    });

    it("keeps the author's excerpt when there is one", async () => {
      await start();
      const p = await post({ slug: 'dengan-ringkasan', excerpt: 'Ringkasan dari penulis.', body: BODY });
      expect(descriptionsOf((await get(`/berita/${p.slug}`)).text)).toEqual(
        Array(3).fill('Ringkasan dari penulis.'),
      );
    });
  });

  describe('cards', () => {
    it('give a post without a cover a band where the cover would be, and none to a post with one', async () => {
      await start();
      const coverId = await makeCover(t.services);
      await post({ slug: 'bersampul', coverId, coverAlt: 'Foto apel', publishedAt: hoursAgo(1) });
      await post({ slug: 'tanpa-sampul', category: 'pengumuman', publishedAt: hoursAgo(2) });
      const html = (await get('/berita')).text;
      const cards = [...html.matchAll(/<article class="news-card[\s\S]*?<\/article>/g)].map((m) => m[0]);
      expect(cards).toHaveLength(2);
      const [withCover, withoutCover] = cards as [string, string];
      expect(withCover).toContain('news-card-cover');
      expect(withCover).not.toContain('news-card-placeholder');
      expect(withoutCover).not.toContain('news-card-cover');
      expect(withoutCover).toMatch(
        /<div class="card-img-top news-card-placeholder news-card-placeholder-pengumuman" aria-hidden="true">\s*<img src="\/static\/img\/ikrar\.[0-9a-f]+\.svg" alt=""/,
      );
    });
  });

  describe('markup in titles and excerpts', () => {
    const expectEscaped = (html: string) => {
      expect(html).not.toContain('<script>alert');
      expect(html).not.toContain('<img src=x');
      expect(html).toContain(XSS_TITLE_ESCAPED);
    };

    it('is shown as text on the list, the post page, its meta tags, the home page and in search', async () => {
      await start();
      const pinned = await post({
        title: XSS_TITLE,
        excerpt: XSS_EXCERPT,
        slug: 'awas-disematkan',
        pinned: true,
      });
      const p = await post({ title: XSS_TITLE, excerpt: XSS_EXCERPT, slug: 'awas' });

      expectEscaped((await get('/berita')).text);
      expectEscaped((await get('/')).text);
      expectEscaped((await search('alert')).text);
      expect(listedSlugs((await search('alert')).text).sort()).toEqual([p.slug, pinned.slug].sort());

      const page = (await get(`/berita/${p.slug}`)).text;
      expectEscaped(page);
      expect(page).toContain(`<meta property="og:title" content="${XSS_TITLE_ESCAPED}">`);
      expect(page).toContain(`<meta name="twitter:title" content="${XSS_TITLE_ESCAPED}">`);
      expect(unescapeAttribute(metaContent(page, 'property', 'og:title') as string)).toBe(XSS_TITLE);
      expect(unescapeAttribute(metaContent(page, 'name', 'description') as string)).toBe(XSS_EXCERPT);
      expect(page).toContain(`<title>${XSS_TITLE_ESCAPED} · Ikrar</title>`);
    });

    it('is echoed as text when searched for', async () => {
      await start();
      const res = await search('<img src=x onerror=alert(1)>');
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('<img src=x');
      expect(res.text).toContain('value="&lt;img src=x onerror=alert(1)&gt;"');
    });

    it('reaches feed readers as text, never as markup', async () => {
      await start();
      await post({ title: XSS_TITLE, excerpt: XSS_EXCERPT, slug: 'awas' });
      const res = await get('/feed.xml');
      const [entry] = parseFeed(res.text).entries;
      expect(asFeedReaderShowsIt(entry?.title)).toBe(XSS_TITLE);
      expect(asFeedReaderShowsIt(entry?.summary)).toBe(XSS_EXCERPT);
      expect(res.text).not.toContain('<script>alert');
      expect(res.text).not.toContain('<img src=x');
    });
  });

  describe('counting views', () => {
    const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
    const HEADLESS =
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36';

    it('counts a browser once however often it reads the post, and another browser again', async () => {
      await start();
      const p = await post({ slug: 'dibaca' });
      const reader = browser(t.app);
      const first = await reader.get(`/berita/${p.slug}`).set('User-Agent', CHROME);
      expect(viewsShown(first.text)).toBe('1');
      const again = await reader.get(`/berita/${p.slug}`).set('User-Agent', CHROME);
      expect(viewsShown(again.text)).toBe('1');
      await t.services.postViews.flush();
      expect(await storedViews(p.id)).toBe(1);

      const other = browser(t.app);
      expect(viewsShown((await other.get(`/berita/${p.slug}`).set('User-Agent', CHROME)).text)).toBe('2');
      await t.services.postViews.flush();
      expect(await storedViews(p.id)).toBe(2);
    });

    it('remembers read posts in an HttpOnly cookie limited to /berita', async () => {
      await start();
      const p = await post({ slug: 'dibaca' });
      const res = await get(`/berita/${p.slug}`);
      const cookie = (res.headers['set-cookie'] as unknown as string[] | undefined)?.find((c) =>
        c.startsWith('ikrar_dibaca='),
      );
      expect(cookie).toBeDefined();
      expect(cookie).toContain(`ikrar_dibaca=${p.id};`);
      expect(cookie).toContain('Path=/berita');
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Lax');
    });

    it('counts each post a browser reads separately', async () => {
      await start();
      const a = await post({ slug: 'pertama' });
      const b = await post({ slug: 'kedua' });
      const reader = browser(t.app);
      await reader.get(`/berita/${a.slug}`).set('User-Agent', CHROME);
      expect(viewsShown((await reader.get(`/berita/${b.slug}`).set('User-Agent', CHROME)).text)).toBe('1');
      await reader.get(`/berita/${a.slug}`).set('User-Agent', CHROME);
      await t.services.postViews.flush();
      expect([await storedViews(a.id), await storedViews(b.id)]).toEqual([1, 1]);
    });

    it.each([
      ['Googlebot', GOOGLEBOT],
      ['curl', 'curl/8.5.0'],
      ['HeadlessChrome', HEADLESS],
      ['an empty user agent', ''],
    ])('does not count %s', async (_who, userAgent) => {
      await start();
      const p = await post({ slug: 'dibaca' });
      for (let i = 0; i < 3; i++) {
        const res = await request(t.app).get(`/berita/${p.slug}`).set('User-Agent', userAgent);
        expect(res.status).toBe(200);
        expect(viewsShown(res.text)).toBe('0');
      }
      await t.services.postViews.flush();
      expect(await storedViews(p.id)).toBe(0);
    });

    it('does not count a request without any User-Agent header', async () => {
      await start();
      const p = await post({ slug: 'dibaca' });
      const res = await request(t.app).get(`/berita/${p.slug}`).unset('User-Agent');
      expect(res.status).toBe(200);
      expect(viewsShown(res.text)).toBe('0');
      await t.services.postViews.flush();
      expect(await storedViews(p.id)).toBe(0);
    });

    it('shows views not yet written, and a second flush adds nothing', async () => {
      await start();
      const p = await post({ slug: 'dibaca' });
      expect(viewsShown((await get(`/berita/${p.slug}`)).text)).toBe('1');
      expect(viewsShown((await get(`/berita/${p.slug}`)).text)).toBe('2');
      expect(await storedViews(p.id)).toBe(0);
      expect(t.services.postViews.pendingFor(p.id)).toBe(2);

      expect(await t.services.postViews.flush()).toBe(1);
      expect(await storedViews(p.id)).toBe(2);
      expect(await t.services.postViews.flush()).toBe(0);
      expect(await storedViews(p.id)).toBe(2);
      expect(viewsShown((await get(`/berita/${p.slug}`)).text)).toBe('3');
    });

    it('shows large counts the Indonesian way', async () => {
      await start();
      const p = await post({ slug: 'populer' });
      await sql`UPDATE posts SET view_count = 28289412 WHERE id = ${p.id}`.execute(t.db.q);
      expect(viewsShown((await get(`/berita/${p.slug}`)).text)).toBe('28.289.413');
    });

    it.each([
      ['letters', 'abc'],
      ['a list with a bad item', '1.2.x'],
      ['a trailing dot', '1.'],
      ['broken percent-encoding', '%E0%A4%A'],
      ['markup', '%3Cscript%3E'],
      ['a huge number', '9'.repeat(4_000)],
      ['too many items', Array.from({ length: 150 }, (_, i) => i + 100).join('.')],
    ])('ignores a garbage ikrar_dibaca cookie (%s): the view counts', async (_what, value) => {
      await start();
      const p = await post({ slug: 'dibaca' });
      const res = await get(`/berita/${p.slug}`).set('Cookie', `ikrar_dibaca=${value}`);
      expect(res.status).toBe(200);
      expect(viewsShown(res.text)).toBe('1');
      await t.services.postViews.flush();
      expect(await storedViews(p.id)).toBe(1);
    });
  });

  describe('the Atom feed', () => {
    it('is well-formed Atom with absolute links, newest first, only visible posts', async () => {
      await start();
      const older = await post({ title: 'Berita Lama', slug: 'lama', publishedAt: hoursAgo(48) });
      const newer = await post({ title: 'Berita Baru', slug: 'baru', publishedAt: hoursAgo(2) });
      await post({ title: 'Draf', slug: 'draf', status: 'draft', publishedAt: null });
      await post({ title: 'Terjadwal', slug: 'terjadwal', publishedAt: hoursAhead(2) });

      const res = await get('/feed.xml');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/atom\+xml/);
      const feed = parseFeed(res.text);
      expect(textOf(feed.title)).toBe('Berita dan pengumuman Ikrar');
      expect(feed.link.find((l) => l['@_rel'] === 'self')?.['@_href']).toBe(`${BASE_URL}/feed.xml`);
      expect(feed.link.find((l) => l['@_rel'] === 'alternate')?.['@_href']).toBe(`${BASE_URL}/berita`);
      expect(feed.entries.map(entryHref)).toEqual([
        `${BASE_URL}/berita/${newer.slug}`,
        `${BASE_URL}/berita/${older.slug}`,
      ]);
      expect(feed.entries.map((e) => e.id)).toEqual([
        `${BASE_URL}/berita/${newer.slug}`,
        `${BASE_URL}/berita/${older.slug}`,
      ]);
      expect(feed.entries.map((e) => asFeedReaderShowsIt(e.title))).toEqual(['Berita Baru', 'Berita Lama']);
      expect(feed.entries[0]?.published).toBe(newer.publishedAt);
    });

    it('holds at most the 30 newest posts', async () => {
      await start();
      for (let i = 31; i >= 0; i--)
        await post({ title: `Berita ${i}`, slug: `berita-${i}`, publishedAt: hoursAgo(i + 1) });
      const feed = parseFeed((await get('/feed.xml')).text);
      expect(feed.entries).toHaveLength(30);
      expect(entryHref(feed.entries[0] as AtomEntry)).toBe(`${BASE_URL}/berita/berita-0`);
      expect(entryHref(feed.entries[29] as AtomEntry)).toBe(`${BASE_URL}/berita/berita-29`);
    });

    it('links a cover as an absolute JPEG, announced with the type it is served with', async () => {
      await start();
      const coverId = await makeCover(t.services);
      await post({ slug: 'dengan-sampul', coverId, coverAlt: 'Foto' });
      const [entry] = parseFeed((await get('/feed.xml')).text).entries;
      const enclosure = entry?.link.find((l) => l['@_rel'] === 'enclosure');
      expect(enclosure?.['@_href']).toBe(`${BASE_URL}/berita/gambar/${coverId}/bagikan.jpg`);
      expect(enclosure?.['@_type']).toBe('image/jpeg');
      const served = await get(`/berita/gambar/${coverId}/bagikan.jpg`);
      expect(served.headers['content-type']).toBe(enclosure?.['@_type']);
    });

    it('keeps & and < in a title as the characters they are', async () => {
      await start();
      const title = 'Rapat <Tim> Hukum & HAM: 5 < 6 && "kutip"';
      await post({ title, excerpt: 'Biro Hukum & HAM <Setda>', slug: 'rapat-hukum' });
      const [entry] = parseFeed((await get('/feed.xml')).text).entries;
      expect(asFeedReaderShowsIt(entry?.title)).toBe(title);
      expect(asFeedReaderShowsIt(entry?.summary)).toBe('Biro Hukum & HAM <Setda>');
    });

    it('stays well-formed when a title contains "]]>" more than once', async () => {
      await start();
      const title = 'Kode ]]> pertama dan ]]> kedua';
      await post({ title, slug: 'kode-cdata' });
      const res = await get('/feed.xml');
      expect(XMLValidator.validate(res.text)).toBe(true);
      expect(hasStrayCdataEnd(res.text)).toBe(false);
      const [entry] = parseFeed(res.text).entries;
      expect(asFeedReaderShowsIt(entry?.title)).toBe(title);
    });

    it('cannot be made to carry extra elements by a crafted title', async () => {
      await start();
      const title = 'Info ]]>x]]></title><link href="https://phish.example/"/><title><![CDATA[Info';
      const p = await post({ title, slug: 'info' });
      const res = await get('/feed.xml');
      expect(hasStrayCdataEnd(res.text)).toBe(false);
      const [entry] = parseFeed(res.text).entries;
      expect(entry?.link.map((l) => l['@_href'])).toEqual([`${BASE_URL}/berita/${p.slug}`]);
      expect(asFeedReaderShowsIt(entry?.title)).toBe(title);
    });
  });

  describe('the sitemap and robots.txt', () => {
    it('lists the visible posts with absolute URLs and last modification, and no draft', async () => {
      await start();
      const a = await post({ slug: 'pertama', publishedAt: hoursAgo(5) });
      const b = await post({ slug: 'kedua', publishedAt: hoursAgo(1) });
      await post({ slug: 'draf', status: 'draft', publishedAt: null });
      await post({ slug: 'terjadwal', publishedAt: hoursAhead(1) });

      const res = await get('/sitemap.xml');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/xml/);
      expect(XMLValidator.validate(res.text)).toBe(true);
      const { urlset } = xmlParser.parse(res.text) as Sitemap;
      const posts = urlset.url.filter((u) => u.loc.startsWith(`${BASE_URL}/berita/`));
      expect(posts).toEqual([
        { loc: `${BASE_URL}/berita/${b.slug}`, lastmod: b.updatedAt },
        { loc: `${BASE_URL}/berita/${a.slug}`, lastmod: a.updatedAt },
      ]);
      for (const u of urlset.url) expect(u.loc.startsWith(`${BASE_URL}/`)).toBe(true);
      expect(urlset.url.map((u) => u.loc)).toContain(`${BASE_URL}/berita`);
      expect(res.text).not.toContain('draf');
      expect(res.text).not.toContain('terjadwal');
    });

    it('robots.txt keeps crawlers out of /admin and points to the absolute sitemap', async () => {
      await start();
      const res = await get('/robots.txt');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      const lines = res.text.split('\n');
      expect(lines).toContain('User-agent: *');
      expect(lines).toContain('Disallow: /admin');
      expect(lines).toContain(`Sitemap: ${BASE_URL}/sitemap.xml`);
      expect(lines).not.toContain('Disallow: /berita');
      expect(lines).not.toContain('Disallow: /');
    });
  });

  describe('cover images', () => {
    it('serves a visible post’s cover as WebP and JPEG, cached for good', async () => {
      await start();
      const coverId = await makeCover(t.services);
      await post({ slug: 'dengan-sampul', coverId, coverAlt: 'Foto' });

      for (const width of [480, 960, 1600]) {
        const webp = await get(`/berita/gambar/${coverId}/${width}.webp`);
        expect(webp.status).toBe(200);
        expect(webp.headers['content-type']).toBe('image/webp');
        expect(webp.headers['cache-control']).toContain('immutable');
        const bytes = webp.body as Buffer;
        expect(bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
        expect(bytes.subarray(8, 12).toString('latin1')).toBe('WEBP');
      }
      const share = await get(`/berita/gambar/${coverId}/bagikan.jpg`);
      expect(share.status).toBe(200);
      expect(share.headers['content-type']).toBe('image/jpeg');
      expect(share.headers['cache-control']).toContain('immutable');
    });

    it('shows the cover on the post page and in the list', async () => {
      await start();
      const coverId = await makeCover(t.services);
      const p = await post({ slug: 'dengan-sampul', coverId, coverAlt: 'Foto rapat "koordinasi"' });
      const page = (await get(`/berita/${p.slug}`)).text;
      expect(page).toContain(`src="/berita/gambar/${coverId}/960.webp"`);
      expect(page).toContain('alt="Foto rapat &#34;koordinasi&#34;"');
      expect((await get('/berita')).text).toContain(`src="/berita/gambar/${coverId}/960.webp"`);
    });

    it('hides a cover used only by a draft from the public, but not from a logged-in admin', async () => {
      await start();
      const coverId = await makeCover(t.services);
      await post({ slug: 'draf', status: 'draft', publishedAt: null, coverId, coverAlt: 'Foto' });

      for (const file of ['960.webp', 'bagikan.jpg']) {
        expect((await get(`/berita/gambar/${coverId}/${file}`)).status).toBe(404);
      }
      const { agent } = await loggedInAdmin(t);
      const staff = await agent.get(`/berita/gambar/${coverId}/960.webp`);
      expect(staff.status).toBe(200);
      expect(staff.headers['content-type']).toBe('image/webp');
      expect(staff.headers['cache-control']).toBe('private, no-store');
    });

    it('hides a scheduled post’s cover until the post appears', async () => {
      await start();
      const coverId = await makeCover(t.services);
      await post({ slug: 'terjadwal', publishedAt: hoursAhead(1), coverId, coverAlt: 'Foto' });
      expect((await get(`/berita/gambar/${coverId}/960.webp`)).status).toBe(404);
      t.clock.advance(2 * HOUR);
      expect((await get(`/berita/gambar/${coverId}/960.webp`)).status).toBe(200);
    });

    it.each([
      ['999.webp'],
      ['x.webp'],
      ['..%2Fetc'],
      ['..%2F..%2Fetc%2Fpasswd'],
      ['bagikan.png'],
      ['960.jpg'],
      ['960.WEBP'],
      ['960.webp%00'],
      ['960'],
      [''],
    ])('answers an unknown file name %j with 404', async (file) => {
      await start();
      const coverId = await makeCover(t.services);
      await post({ slug: 'dengan-sampul', coverId, coverAlt: 'Foto' });
      const res = await get(`/berita/gambar/${coverId}/${file}`);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
    });

    it.each([['99999'], ['0'], ['abc'], ['-1'], ['1e0'], ['12345678901']])(
      'answers an unknown image id %j with 404',
      async (id) => {
        await start();
        const coverId = await makeCover(t.services);
        await post({ slug: 'dengan-sampul', coverId, coverAlt: 'Foto' });
        expect(coverId).toBe(1);
        const res = await get(`/berita/gambar/${id}/960.webp`);
        expect(res.status).toBe(404);
      },
    );

    it('answers a path that climbs out of the image folder with 404', async () => {
      await start();
      const coverId = await makeCover(t.services);
      await post({ slug: 'dengan-sampul', coverId, coverAlt: 'Foto' });
      expect((await get(`/berita/gambar/${coverId}/../../../etc/passwd`)).status).toBe(404);
      expect((await get('/berita/gambar/../../package.json')).status).toBe(404);
    });
  });
});

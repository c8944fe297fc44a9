import { XMLParser } from 'fast-xml-parser';
import { sql } from 'kysely';
import sanitizeHtml from 'sanitize-html';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Role } from '../../src/directory/types.js';
import { postFormValues } from '../../src/news/post-input.js';
import type { Post } from '../../src/news/types.js';
import { toLocalInput } from '../../src/web/datetime-input.js';
import { type Agent, browser, fetchCsrfToken, loggedInAdmin, loggedInAs } from '../helpers/http.js';
import { binaryParser, postForm } from '../helpers/pacts.js';
import { jpeg, makeCover, makePost } from '../helpers/posts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const LIST = '/admin/berita';
const NEW = '/admin/berita/baru';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const A_BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36';

type Fields = Record<string, string>;
interface Upload {
  bytes: Buffer;
  name: string;
}

/** A complete, valid form as an admin fills it in: published now, no cover. */
const VALID: Fields = {
  title: 'Sosialisasi Netralitas ASN Menjelang Pilkada',
  slug: '',
  category: 'berita',
  excerpt: 'Badan Kepegawaian Daerah mengingatkan seluruh ASN untuk menjaga netralitas.',
  body: 'Seluruh ASN diminta **menjaga netralitas** selama masa kampanye.\n\n- Tidak memihak\n- Tidak berkampanye',
  status: 'published',
  published_at: '',
  cover_id: '',
  cover_alt: '',
  action: 'save',
};

// A browser sends the form's parts in page order, the file between cover_alt and status: when a file is refused
// for its size, the server never reads the parts after it (status, published_at, action).
const BEFORE_FILE = [
  'title',
  'slug',
  'category',
  'pinned',
  'excerpt',
  'body',
  'status',
  'published_at',
  'cover_id',
  'remove_cover',
  'cover_alt',
];

const SVG_WITH_SCRIPT = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="400"><script>alert(1)</script></svg>',
  'utf8',
);
const HTML_PAGE = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>', 'utf8');
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const png = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 4, background: { r: 31, g: 81, b: 48, alpha: 0.5 } } })
    .png()
    .toBuffer();
const gif = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#1f5130' } })
    .gif()
    .toBuffer();
const webp = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#1f5130' } })
    .webp()
    .toBuffer();

/** Every element of a page as an HTML parser sees it (sanitize-html only walks the tags here). */
function elementsIn(html: string): { name: string; attribs: Record<string, string> }[] {
  const elements: { name: string; attribs: Record<string, string> }[] = [];
  sanitizeHtml(html, { onOpenTag: (name, attribs) => elements.push({ name, attribs: { ...attribs } }) });
  return elements;
}

/** Nothing on the page runs script except the app's own files: no inline script, handlers, frames or javascript:. */
function expectNoInjectedMarkup(html: string): void {
  expect(html).not.toMatch(/javascript:/i);
  for (const { name, attribs } of elementsIn(html)) {
    expect(name).not.toMatch(/^(iframe|object|embed)$/);
    if (name === 'script') expect(attribs.src).toMatch(/^\/(static|vendor)\//);
    if (name === 'img') expect(attribs.src).not.toBe('x');
    for (const attribute of Object.keys(attribs)) expect(attribute).not.toMatch(/^on/i);
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('writing news as staff', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  // --- Helpers ---------------------------------------------------------------------------------------------

  const postCount = () => t.services.posts.countAll();
  const imageCount = async () =>
    (await sql<{ n: number }>`SELECT count(*) AS n FROM post_images`.execute(t.db.q)).rows[0]?.n;
  const post = async (id: number) => (await t.services.posts.findById(id)) as Post;
  const postEvents = (id: number) => t.services.audit.forTarget('post', String(id));

  const logInAs = (role: Role, unitId: number | null = null) => loggedInAs(t, role, { unitId });

  /** The post form's action on a form page: the multipart form carries its CSRF token in the query string. */
  function formActionIn(html: string): string {
    const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(html)?.[1];
    if (!action) throw new Error('no post form on the page');
    return action.replace(/&amp;/g, '&');
  }

  /** The session's CSRF token, from the form page (for requests to pages this person cannot open). */
  async function tokenOf(agent: Agent): Promise<string> {
    const page = await agent.get(NEW);
    const token = /data-csrf="([^"]+)"/.exec(page.text)?.[1];
    if (!token) throw new Error('no CSRF token on the form page');
    return token;
  }

  /** Sends the form as a browser does: multipart, its parts in page order, the file (if chosen) among them. */
  function send(agent: Agent, action: string, fields: Fields, cover?: Upload) {
    const names = Object.keys(fields);
    const before = names.filter((n) => BEFORE_FILE.includes(n));
    const after = names.filter((n) => !BEFORE_FILE.includes(n));
    let req = agent.post(action);
    for (const name of before) req = req.field(name, fields[name] as string);
    if (cover) req = req.attach('cover', cover.bytes, cover.name);
    for (const name of after) req = req.field(name, fields[name] as string);
    return req;
  }

  /** Opens "Tulis berita" and sends it with VALID overridden by `fields`. */
  async function submitNew(agent: Agent, fields: Fields = {}, cover?: Upload) {
    const page = await agent.get(NEW);
    expect(page.status).toBe(200);
    return send(agent, formActionIn(page.text), { ...VALID, ...fields }, cover);
  }

  /** Opens a post's edit form and sends what it shows, with `fields` changed. */
  async function submitEdit(agent: Agent, id: number, fields: Fields = {}, cover?: Upload) {
    const page = await agent.get(`${LIST}/${id}/ubah`);
    expect(page.status).toBe(200);
    const shown: Fields = { ...postFormValues(await post(id), t.config.timeZone), action: 'save' };
    if (shown.pinned === '') delete shown.pinned;
    return send(agent, formActionIn(page.text), { ...shown, ...fields }, cover);
  }

  function postIdFrom(res: { status: number; text: string; headers: Record<string, string> }): number {
    const id = /^\/admin\/berita\/(\d+)\/ubah$/.exec(res.headers.location ?? '')?.[1];
    if (!id) throw new Error(`not saved (${res.status}): ${res.text.slice(0, 300)}`);
    return Number(id);
  }

  /** The message beside a field of a re-rendered form. */
  const errorBeside = (html: string, field: string) =>
    new RegExp(`<div id="${field}-error" class="invalid-feedback d-block">([^<]*)</div>`).exec(html)?.[1];

  /** The text in the form's body textarea (as the browser shows it: entities decoded). */
  const bodyFieldIn = (html: string) =>
    /<textarea [^>]*id="body"[^>]*>([^<]*)<\/textarea>/
      .exec(html)?.[1]
      ?.replace(/&#34;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');

  const hiddenCoverId = (html: string) =>
    /<input type="hidden" name="cover_id" value="([^"]*)">/.exec(html)?.[1];

  const deletePost = (agent: Agent, id: number) =>
    postForm(agent, `${LIST}/${id}/ubah`, `${LIST}/${id}/hapus`);

  const publicPage = (path: string) => browser(t.app).get(path).set('User-Agent', A_BROWSER);

  async function searchFinds(word: string, slug: string): Promise<boolean> {
    const res = await publicPage(`/berita?q=${encodeURIComponent(word)}`);
    expect(res.status).toBe(200);
    return res.text.includes(`href="/berita/${slug}"`);
  }

  const listRow = (html: string, title: string) => {
    const row = new RegExp(`<tr>(?:(?!</tr>)[\\s\\S])*?>${escapeRegExp(title)}</a>[\\s\\S]*?</tr>`).exec(
      html,
    );
    if (!row) throw new Error(`"${title}" is not in the list`);
    return row[0];
  };
  const stateIn = (row: string) =>
    /<span class="badge text-bg-\w+">(Draf|Terjadwal|Terbit)<\/span>/.exec(row)?.[1];

  // --- Creating, with a cover ------------------------------------------------------------------------------

  describe('creating a post with a cover', () => {
    it('publishes it on the home page, the news list, its own page with the cover, the feed and the sitemap', async () => {
      const { agent } = await loggedInAdmin(t);
      const title = 'Ikrar & Penandatanganan Pakta: “Netral” 2024!';
      const res = await submitNew(
        agent,
        { title, cover_alt: 'Para ASN menandatangani pakta integritas di aula' },
        { bytes: await jpeg(1600, 900), name: 'foto-acara.jpg' },
      );
      expect(res.status).toBe(303);
      const id = postIdFrom(res);
      const saved = await post(id);
      expect(saved).toMatchObject({
        title,
        slug: 'ikrar-dan-penandatanganan-pakta-netral-2024',
        status: 'published',
        publishedAt: t.clock.now().toISOString(),
        coverAlt: 'Para ASN menandatangani pakta integritas di aula',
      });
      expect(saved.coverId).not.toBeNull();

      const edit = await agent.get(res.headers.location as string);
      expect(edit.status).toBe(200);
      expect(edit.text).toContain('Berita tersimpan dan sudah tampil untuk publik.');
      expect(edit.text).toContain(`src="/berita/gambar/${saved.coverId}/960.webp"`);

      const escapedTitle = 'Ikrar &amp; Penandatanganan Pakta: “Netral” 2024!';
      const path = `/berita/${saved.slug}`;
      for (const listing of ['/', '/berita']) {
        const page = await publicPage(listing);
        expect(page.text).toContain(`href="${path}"`);
        expect(page.text).toContain(escapedTitle);
      }

      const page = await publicPage(path);
      expect(page.status).toBe(200);
      expect(page.text).toContain(`<h1 class="h2">${escapedTitle}</h1>`);
      expect(page.text).toContain('<strong>menjaga netralitas</strong>');
      const img = /<img class="img-fluid rounded w-100 news-cover" src="([^"]+)"[^>]*alt="([^"]*)">/.exec(
        page.text,
      );
      expect(img?.[2]).toBe('Para ASN menandatangani pakta integritas di aula');
      const cover = await browser(t.app)
        .get(img?.[1] as string)
        .buffer(true)
        .parse(binaryParser);
      expect(cover.status).toBe(200);
      expect(cover.headers['content-type']).toBe('image/webp');
      expect((await sharp(cover.body as Buffer).metadata()).format).toBe('webp');

      const base = t.config.baseUrl;
      const feed = await publicPage('/feed.xml');
      expect(feed.status).toBe(200);
      expect(feed.text).toContain(`${base}${path}`);
      expect(feed.text).toContain(`${base}/berita/gambar/${saved.coverId}/bagikan.jpg`);
      const sitemap = await publicPage('/sitemap.xml');
      expect(sitemap.text).toContain(`<loc>${base}${path}</loc>`);
    });

    it('gives a second post with the same title the slug with -2, and keeps a slug chosen by hand', async () => {
      const { agent } = await loggedInAdmin(t);
      const title = 'Ikrar & Penandatanganan Pakta: “Netral” 2024!';
      const first = postIdFrom(await submitNew(agent, { title }));
      const second = postIdFrom(await submitNew(agent, { title }));
      const chosen = postIdFrom(await submitNew(agent, { title, slug: 'pakta-netral-pilihan' }));
      expect((await post(first)).slug).toBe('ikrar-dan-penandatanganan-pakta-netral-2024');
      expect((await post(second)).slug).toBe('ikrar-dan-penandatanganan-pakta-netral-2024-2');
      expect((await post(chosen)).slug).toBe('pakta-netral-pilihan');
      expect((await publicPage('/berita/ikrar-dan-penandatanganan-pakta-netral-2024-2')).status).toBe(200);
    });

    it('accepts PNG and WebP covers too, judged by their bytes and not their names', async () => {
      const { agent } = await loggedInAdmin(t);
      const fromPng = postIdFrom(
        await submitNew(
          agent,
          { title: 'Sampul PNG', cover_alt: 'Logo' },
          { bytes: await png(800, 400), name: 'sampul.jpg' },
        ),
      );
      const fromWebp = postIdFrom(
        await submitNew(
          agent,
          { title: 'Sampul WebP', cover_alt: 'Logo' },
          { bytes: await webp(640, 360), name: 'sampul' },
        ),
      );
      // The share JPEG keeps the upload's size when it is under 1200 pixels wide.
      expect((await post(fromPng)).cover?.share).toMatchObject({ width: 800, height: 400 });
      expect((await post(fromWebp)).cover?.share).toMatchObject({ width: 640, height: 360 });
    });

    it('saves without a cover when the file input is sent empty, as a browser does when no file was chosen', async () => {
      const { agent } = await loggedInAdmin(t);
      const id = postIdFrom(await submitNew(agent, {}, { bytes: Buffer.alloc(0), name: 'kosong.jpg' }));
      expect((await post(id)).coverId).toBeNull();
      expect(await imageCount()).toBe(0);
    });
  });

  // --- Validation ------------------------------------------------------------------------------------------

  describe('refusing a form with mistakes, keeping what was typed', () => {
    it.each([
      ['an empty title', { title: '' }, 'title', 'Judul wajib diisi.'],
      ['a body of only spaces', { body: '   \n  ' }, 'body', 'Isi berita wajib diisi.'],
      [
        'a crafted unknown category',
        { category: 'gosip' },
        'category',
        'Pilih kategori Berita atau Pengumuman.',
      ],
      [
        'a slug with capitals and a space',
        { slug: 'Huruf Besar' },
        'slug',
        'Alamat (slug) hanya boleh berisi huruf kecil',
      ],
      [
        'a slug with a double hyphen',
        { slug: 'a--b' },
        'slug',
        'Alamat (slug) hanya boleh berisi huruf kecil',
      ],
      ['a title of 201 characters', { title: 'J'.repeat(201) }, 'title', 'Judul terlalu panjang.'],
      [
        'a control character in the title',
        { title: 'Judul\u0007berbunyi' },
        'title',
        'karakter yang tidak sah',
      ],
      [
        'a date that does not exist',
        { published_at: '2024-02-30T08:00' },
        'published_at',
        'Tanggal terbit harus tanggal dan jam yang sah.',
      ],
      [
        'a date in another format',
        { published_at: '14/02/2024 08.00' },
        'published_at',
        'Tanggal terbit harus tanggal dan jam yang sah.',
      ],
    ])('%s', async (_case, fields: Fields, field, message) => {
      const { agent } = await loggedInAdmin(t);
      const typed = { excerpt: 'Ringkasan yang saya ketik.', body: 'Isi yang *saya* ketik panjang-panjang.' };
      const res = await submitNew(agent, { ...typed, ...fields });
      expect(res.status).toBe(422);
      expect(errorBeside(res.text, field)).toContain(message);
      expect(res.text).toContain(`aria-invalid="true"`);
      for (const [name, value] of Object.entries({ ...typed, ...fields })) {
        if (name === 'title' && /\p{Cc}/u.test(value)) continue;
        if (name === 'excerpt' || name === 'body') expect(res.text).toContain(`>${value}</textarea>`);
        else if (name !== 'category') expect(res.text).toContain(`value="${value}"`);
      }
      expect(await postCount()).toBe(0);
    });

    it('refuses a slug another post already uses', async () => {
      await makePost(t.services, { slug: 'sudah-ada' });
      const { agent } = await loggedInAdmin(t);
      const res = await submitNew(agent, { title: 'Judul baru saya', slug: 'sudah-ada' });
      expect(res.status).toBe(422);
      expect(errorBeside(res.text, 'slug')).toContain('Alamat ini sudah dipakai berita lain');
      expect(res.text).toContain('value="Judul baru saya"');
      expect(await postCount()).toBe(1);
    });

    it('asks for the alternative text of an uploaded cover, keeping the stored cover for the next try', async () => {
      const { agent } = await loggedInAdmin(t);
      const res = await submitNew(
        agent,
        { title: 'Berita dengan sampul' },
        { bytes: await jpeg(), name: 'a.jpg' },
      );
      expect(res.status).toBe(422);
      expect(errorBeside(res.text, 'cover_alt')).toContain('Tuliskan teks alternatif');
      const coverId = hiddenCoverId(res.text);
      expect(coverId).toMatch(/^\d+$/);
      expect(res.text).toContain(`src="/berita/gambar/${coverId}/960.webp"`);
      expect(await postCount()).toBe(0);

      const retried = await submitNew(agent, {
        title: 'Berita dengan sampul',
        cover_id: coverId as string,
        cover_alt: 'Spanduk netralitas ASN',
      });
      const saved = await post(postIdFrom(retried));
      expect(saved.coverId).toBe(Number(coverId));
      expect(saved.coverAlt).toBe('Spanduk netralitas ASN');
      expect(await imageCount()).toBe(1);
    });

    it('keeps a long body in full when a mistake sends the form back', async () => {
      const { agent } = await loggedInAdmin(t);
      const body = Array.from({ length: 60 }, (_, n) => `Paragraf ke-${n + 1} tentang netralitas ASN.`).join(
        '\n\n',
      );
      expect(body.length).toBeGreaterThan(2000);
      const res = await submitNew(agent, { title: '', body });
      expect(res.status).toBe(422);
      expect(bodyFieldIn(res.text)?.length).toBe(body.length);
      expect(bodyFieldIn(res.text)).toBe(body);
    });

    it('keeps a valid cover uploaded with a form that had another mistake, and saves it when corrected', async () => {
      const { agent } = await loggedInAdmin(t);
      const res = await submitNew(
        agent,
        { title: '', cover_alt: 'Suasana apel pagi' },
        { bytes: await jpeg(1200, 675), name: 'apel.jpg' },
      );
      expect(res.status).toBe(422);
      expect(errorBeside(res.text, 'title')).toBe('Judul wajib diisi.');
      const coverId = hiddenCoverId(res.text) as string;
      expect(coverId).toMatch(/^\d+$/);
      expect(res.text).toMatch(new RegExp(`<img src="/berita/gambar/${coverId}/960.webp"[^>]*cover-thumb`));
      expect(res.text).toContain('value="Suasana apel pagi"');
      // The thumbnail is for staff until a visible post uses it.
      expect((await agent.get(`/berita/gambar/${coverId}/480.webp`)).status).toBe(200);
      expect((await browser(t.app).get(`/berita/gambar/${coverId}/480.webp`)).status).toBe(404);

      const id = postIdFrom(
        await submitNew(agent, {
          title: 'Apel Pagi Netralitas',
          cover_id: coverId,
          cover_alt: 'Suasana apel pagi',
        }),
      );
      expect((await post(id)).coverId).toBe(Number(coverId));
      expect((await browser(t.app).get(`/berita/gambar/${coverId}/480.webp`)).status).toBe(200);
    });
  });

  // --- Bad covers ------------------------------------------------------------------------------------------

  describe('refusing a bad cover', () => {
    const unsupported = 'Format gambar ini tidak diterima';
    const unreadable = 'Berkas ini bukan gambar yang dapat dibaca';
    it.each([
      ['an SVG with a script', () => SVG_WITH_SCRIPT, 'cover.svg', unsupported],
      ['an SVG named .png', () => SVG_WITH_SCRIPT, 'cover.png', unsupported],
      ['an HTML page named .png', () => HTML_PAGE, 'cover.png', unreadable],
      ['a GIF', () => gif(800, 400), 'animasi.gif', unsupported],
      [
        'a PNG header followed by garbage',
        () => Buffer.concat([PNG_MAGIC, Buffer.alloc(4000, 0x41)]),
        'rusak.png',
        unreadable,
      ],
      ['a 100×100 image', () => jpeg(100, 100), 'kecil.jpg', 'Gambar sampul terlalu kecil'],
    ])(
      '%s: the form comes back with the message and the input, and nothing is saved',
      async (_case, make, name, message) => {
        const { agent } = await loggedInAdmin(t);
        const bytes = await make();
        const res = await submitNew(
          agent,
          { title: 'Judul tetap ada', cover_alt: 'Teks alt' },
          { bytes, name },
        );
        expect(res.status).toBe(422);
        expect(errorBeside(res.text, 'cover')).toContain(message);
        expect(res.text).toContain('value="Judul tetap ada"');
        expect(res.text).toContain(`>${VALID.body}</textarea>`);
        expect(hiddenCoverId(res.text)).toBe('');
        expect(await postCount()).toBe(0);
        expect(await imageCount()).toBe(0);
      },
    );

    it('answers a file over 2 MB with 413 and the form, keeping the title typed before it', async () => {
      const { agent } = await loggedInAdmin(t);
      const big = Buffer.alloc(2 * 1024 * 1024 + 1, 0x41);
      big[0] = 0xff;
      big[1] = 0xd8;
      big[2] = 0xff;
      const res = await submitNew(
        agent,
        { title: 'Judul sebelum berkas besar' },
        { bytes: big, name: 'besar.jpg' },
      );
      expect(res.status).toBe(413);
      expect(errorBeside(res.text, 'cover')).toContain('Gambar sampul terlalu besar: paling besar 2 MB');
      expect(res.text).toContain('value="Judul sebelum berkas besar"');
      expect(res.text).toContain('enctype="multipart/form-data"');
      expect(await postCount()).toBe(0);
      expect(await imageCount()).toBe(0);
    });

    it.each([
      ['an image that does not exist', '999', 'Gambar sampul tidak ditemukan lagi'],
      ['a non-canonical id', '01', 'Isian tidak sah.'],
      ['text', 'abc', 'Isian tidak sah.'],
    ])('refuses a crafted cover_id of %s', async (_case, coverId, message) => {
      const { agent } = await loggedInAdmin(t);
      const res = await submitNew(agent, { title: 'Sampul palsu', cover_id: coverId, cover_alt: 'Teks alt' });
      expect(res.status).toBe(422);
      expect(res.text).toContain(message);
      expect(res.text).toContain('value="Sampul palsu"');
      expect(res.text).not.toContain('cover-thumb');
      expect(await postCount()).toBe(0);
    });
  });

  // --- XSS -------------------------------------------------------------------------------------------------

  describe('what an author writes never becomes markup', () => {
    const fields = {
      title: '<script>alert(1)</script>',
      excerpt: '"><img src=x onerror=alert(1)>',
      body: [
        'Paragraf pembuka.',
        '<script>alert("isi")</script>',
        '[klik di sini](javascript:alert(1))',
        '<img src=x onerror=alert(2)>',
        '<iframe src="https://jahat.example/"></iframe>',
        'Penutup **tebal**.',
      ].join('\n\n'),
      slug: 'uji-xss',
    };

    it('shows the title and excerpt escaped and the body sanitised on the public page', async () => {
      const { agent } = await loggedInAdmin(t);
      postIdFrom(await submitNew(agent, fields));
      const page = await publicPage('/berita/uji-xss');
      expect(page.status).toBe(200);
      expectNoInjectedMarkup(page.text);
      expect(page.text).toContain('<h1 class="h2">&lt;script&gt;alert(1)&lt;/script&gt;</h1>');
      expect(page.text).toContain('<p class="lead">&#34;&gt;&lt;img src=x onerror=alert(1)&gt;</p>');
      expect(page.text).toContain('<strong>tebal</strong>');
      expect(page.text).toContain('klik di sini');
      for (const listing of ['/', '/berita', '/berita?q=pembuka'])
        expectNoInjectedMarkup((await publicPage(listing)).text);
    });

    it('keeps the title and excerpt as text in the Atom feed, whatever type the entries declare', async () => {
      const { agent } = await loggedInAdmin(t);
      postIdFrom(await submitNew(agent, fields));
      const feed = await publicPage('/feed.xml');
      const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_' }).parse(feed.text);
      const entry = parsed.feed.entry as Record<string, { '#text': string; '@_type': string }>;
      expect(entry.content?.['#text']).not.toMatch(/<script|<iframe|onerror|javascript:/i);
      for (const part of ['title', 'summary'] as const) {
        const { '#text': text, '@_type': type } = entry[part] as { '#text': string; '@_type': string };
        // type="html": a feed reader parses the text as HTML, so text typed by an author must arrive escaped.
        if (type === 'html') expect.soft(elementsIn(text), `${part}: ${text}`).toEqual([]);
        else expect.soft(type ?? 'text').toBe('text');
      }
    });
  });

  // --- The address --------------------------------------------------------------------------------------------

  describe('the address field', () => {
    const addressIn = (html: string) =>
      /<code class="slug-address" id="slug-address" data-base="(https?:\/\/[^"]+\/berita\/)"[^>]*>([^<]*)<\/code>/.exec(
        html,
      );

    it('is called "Alamat (slug)" and shows the address a new post will get', async () => {
      const { agent } = await loggedInAdmin(t);
      const page = (await agent.get(NEW)).text;
      expect(page).toContain('<label for="slug" class="form-label">Alamat (slug)</label>');
      expect(page).not.toMatch(/>Slug/);
      const [, base, shown] = addressIn(page) ?? [];
      expect(base).toBe(`${t.config.baseUrl}/berita/`);
      expect(shown).toBe(`${base}(dibuat dari judul)`);
      expect(page).toMatch(
        /id="slug-hint"[^>]*>[\s\S]*Alamat berita:[\s\S]*<\/div>\s*<input[^>]*id="slug"[^>]*aria-describedby="slug-hint"/,
      );
    });

    it("is the site's own address (BASE_URL), whatever host the editor reached it by", async () => {
      const site = await createTestApp({ BASE_URL: 'https://ikrar.jatengprov.go.id' });
      try {
        const { agent } = await loggedInAdmin(site);
        const saved = await makePost(site.services, { slug: 'apel-siaga-netralitas' });
        const edit = await agent.get(`${LIST}/${saved.id}/ubah`).set('Host', 'ikrar-internal:3000');
        expect(addressIn(edit.text)?.slice(1)).toEqual([
          'https://ikrar.jatengprov.go.id/berita/',
          'https://ikrar.jatengprov.go.id/berita/apel-siaga-netralitas',
        ]);
        expect(edit.text).not.toContain('ikrar-internal');
      } finally {
        await site.close();
      }
    });

    it('shows the address of a saved post, and of a slug refused, beside the mistake', async () => {
      const { agent } = await loggedInAdmin(t);
      const saved = await makePost(t.services, { slug: 'apel-siaga-netralitas' });
      const edit = (await agent.get(`${LIST}/${saved.id}/ubah`)).text;
      const [, base, shown] = addressIn(edit) ?? [];
      expect(shown).toBe(`${base}apel-siaga-netralitas`);

      const refused = await submitNew(agent, { slug: 'Huruf Besar' });
      expect(refused.status).toBe(422);
      expect(addressIn(refused.text)?.[2]).toMatch(/\/berita\/Huruf Besar$/);
      expect(refused.text).toMatch(
        /<input[^>]*id="slug"[^>]*aria-describedby="slug-hint slug-error" aria-invalid="true">/,
      );
    });
  });

  // --- Preview ---------------------------------------------------------------------------------------------

  describe('previewing', () => {
    const preview = (agent: Agent, token: string | null, body: string) => {
      const req = agent.post(`${LIST}/pratinjau`).type('form');
      return (token === null ? req : req.set('x-csrf-token', token)).send({ body });
    };

    it('renders and sanitises Markdown as JSON for the live preview', async () => {
      const { agent } = await loggedInAdmin(t);
      const res = await preview(
        agent,
        await tokenOf(agent),
        '**a**\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))',
      );
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('application/json');
      expect(res.body.html).toContain('<strong>a</strong>');
      expect(res.body.html).not.toMatch(/<script|javascript:/i);
    });

    it('lets an operator preview too, and refuses a body over 100,000 characters with 400', async () => {
      const unit = await t.make.unit();
      const { agent } = await logInAs('operator', unit.id);
      const token = await tokenOf(agent);
      expect((await preview(agent, token, '_miring_')).body.html).toContain('<em>miring</em>');
      const tooLong = await preview(agent, token, 'a'.repeat(100_001));
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.error).toContain('Pratinjau tidak dapat dimuat');
    });

    it('refuses a request without the CSRF header, a signer, and someone not logged in', async () => {
      const { agent } = await loggedInAdmin(t);
      expect((await preview(agent, null, '**a**')).status).toBe(403);

      const { agent: signer } = await logInAs('signer', (await t.make.unit()).id);
      const signerToken = await fetchCsrfToken(signer, '/akun');
      expect((await preview(signer, signerToken, '**a**')).status).toBe(403);

      const anonymous = browser(t.app);
      const anonymousToken = await fetchCsrfToken(anonymous, '/masuk');
      expect((await preview(anonymous, anonymousToken, '**a**')).status).toBe(401);
    });

    it('keeps a long body in full in the form it shows the preview in', async () => {
      const { agent } = await loggedInAdmin(t);
      const body = Array.from({ length: 60 }, (_, n) => `Paragraf ke-${n + 1} tentang netralitas ASN.`).join(
        '\n\n',
      );
      const res = await submitNew(agent, { title: 'Berita panjang', body, action: 'preview' });
      expect(res.status).toBe(200);
      expect(res.text).toContain('<p>Paragraf ke-60 tentang netralitas ASN.</p>');
      expect(bodyFieldIn(res.text)?.length).toBe(body.length);
      expect(bodyFieldIn(res.text)).toBe(body);
    });

    it('shows the rendered preview in the form for the no-script "Pratinjau" button, saving nothing', async () => {
      const { agent } = await loggedInAdmin(t);
      const res = await submitNew(agent, {
        title: 'Judul pratinjau',
        body: 'Teks **penting** di sini.\n\n<script>alert(1)</script>',
        action: 'preview',
      });
      expect(res.status).toBe(200);
      expect(res.text).toMatch(
        /<div class="prose border rounded p-3 post-preview" id="pratinjau"[^>]*><p>Teks <strong>penting<\/strong> di sini.<\/p>/,
      );
      expect(res.text).not.toContain('<script>alert(1)</script>');
      expect(res.text).toContain('value="Judul pratinjau"');
      expect(await postCount()).toBe(0);
    });
  });

  // --- Roles -----------------------------------------------------------------------------------------------

  describe('operators', () => {
    it('write drafts for their own unit', async () => {
      const unit = await t.make.unit({ name: 'Dinas Pendidikan' });
      const { user, agent } = await logInAs('operator', unit.id);
      const list = await agent.get(LIST);
      expect(list.status).toBe(200);
      const form = await agent.get(NEW);
      expect(form.text).toMatch(/id="status-published" value="published" disabled/);

      const res = await submitNew(agent, { title: 'Draf dari Dinas Pendidikan', status: 'draft' });
      expect(res.status).toBe(303);
      const saved = await post(postIdFrom(res));
      expect(saved).toMatchObject({ status: 'draft', unitId: unit.id, authorId: user.id, publishedAt: null });
      expect((await agent.get(res.headers.location as string)).text).toContain('Draf tersimpan.');
      expect((await publicPage(`/berita/${saved.slug}`)).status).toBe(404);

      const edited = await submitEdit(agent, saved.id, { title: 'Draf dari Dinas Pendidikan (revisi)' });
      expect(edited.status).toBe(303);
      expect((await post(saved.id)).title).toBe('Draf dari Dinas Pendidikan (revisi)');
    });

    it('cannot publish: 422 beside the status, and nothing saved', async () => {
      const unit = await t.make.unit();
      const { agent } = await logInAs('operator', unit.id);
      const res = await submitNew(agent, { title: 'Terbitkan sendiri', status: 'published' });
      expect(res.status).toBe(422);
      expect(errorBeside(res.text, 'status')).toContain('Hanya admin yang dapat menerbitkan');
      expect(res.text).toContain('value="Terbitkan sendiri"');
      expect(await postCount()).toBe(0);
    });

    it('cannot publish their own draft by editing it either', async () => {
      const unit = await t.make.unit();
      const { agent } = await logInAs('operator', unit.id);
      const id = postIdFrom(await submitNew(agent, { title: 'Draf saya', status: 'draft' }));
      const res = await submitEdit(agent, id, { status: 'published' });
      expect(res.status).toBe(422);
      expect(errorBeside(res.text, 'status')).toContain('Hanya admin yang dapat menerbitkan');
      expect((await post(id)).status).toBe('draft');
    });

    it("cannot open, change or delete a published post of their unit or another unit's draft", async () => {
      const unit = await t.make.unit();
      const other = await t.make.unit();
      const published = await makePost(t.services, { unitId: unit.id, title: 'Sudah terbit' });
      const othersDraft = await makePost(t.services, {
        unitId: other.id,
        title: 'Draf unit lain',
        status: 'draft',
        publishedAt: null,
      });
      const { agent } = await logInAs('operator', unit.id);
      const token = await tokenOf(agent);
      for (const target of [published, othersDraft]) {
        expect((await agent.get(`${LIST}/${target.id}/ubah`)).status).toBe(403);
        const changed = await send(agent, `${LIST}/${target.id}?_csrf=${encodeURIComponent(token)}`, {
          ...postFormValues(target, t.config.timeZone),
          title: 'Diubah operator',
          status: 'draft',
        });
        expect(changed.status).toBe(403);
        expect((await post(target.id)).title).toBe(target.title);
        const deleted = await agent.post(`${LIST}/${target.id}/hapus`).type('form').send({ _csrf: token });
        expect(deleted.status).toBe(403);
      }
      // Not even their own unit's draft: deleting is an admin's decision.
      const own = await makePost(t.services, {
        unitId: unit.id,
        title: 'Draf unit sendiri',
        status: 'draft',
        publishedAt: null,
      });
      expect((await agent.post(`${LIST}/${own.id}/hapus`).type('form').send({ _csrf: token })).status).toBe(
        403,
      );
      expect(await postCount()).toBe(3);
    });
  });

  describe('operators and what belongs to others', () => {
    it("see only their own unit's posts in the list", async () => {
      const unit = await t.make.unit();
      const other = await t.make.unit();
      await makePost(t.services, { unitId: unit.id, title: 'Kabar unit sendiri' });
      await makePost(t.services, {
        unitId: other.id,
        title: 'Draf rahasia unit lain',
        status: 'draft',
        publishedAt: null,
      });
      const { agent } = await logInAs('operator', unit.id);
      const list = await agent.get(LIST);
      expect(list.text).toContain('Kabar unit sendiri');
      expect(list.text).not.toContain('Draf rahasia unit lain');
    });

    it('cannot pin a post to the home page', async () => {
      const unit = await t.make.unit();
      const { agent } = await logInAs('operator', unit.id);
      expect((await agent.get(NEW)).text).not.toContain('id="pinned"');
      const res = await submitNew(agent, { title: 'Sematkan saya', status: 'draft', pinned: '1' });
      expect(res.status).toBe(422);
      expect(errorBeside(res.text, 'pinned')).toContain('Hanya admin yang dapat menyematkan');
      expect(await postCount()).toBe(0);
    });

    it('cannot use or see a cover someone else uploaded, but can their own', async () => {
      const unit = await t.make.unit();
      const adminsCover = await makeCover(t.services);
      const { agent } = await logInAs('operator', unit.id);
      expect((await agent.get(`/berita/gambar/${adminsCover}/480.webp`)).status).toBe(404);
      const res = await submitNew(agent, {
        title: 'Memakai sampul orang lain',
        status: 'draft',
        cover_id: String(adminsCover),
        cover_alt: 'Sampul',
      });
      expect(res.status).toBe(422);
      expect(errorBeside(res.text, 'cover')).toBeDefined();
      expect(await postCount()).toBe(0);

      const own = await submitNew(
        agent,
        { title: 'Sampul sendiri', status: 'draft', cover_alt: 'Foto kegiatan' },
        { bytes: await jpeg(), name: 'foto.jpg' },
      );
      const saved = await post(postIdFrom(own));
      expect(saved.coverId).not.toBeNull();
      expect((await agent.get(`/berita/gambar/${saved.coverId}/480.webp`)).status).toBe(200);
      expect((await browser(t.app).get(`/berita/gambar/${saved.coverId}/480.webp`)).status).toBe(404);
    });
  });

  describe('a body Markdown cannot parse in reasonable time', () => {
    it('is refused beside the body, quickly, with the text kept', async () => {
      const { agent } = await loggedInAdmin(t);
      const body = '[a]('.repeat(2500);
      const started = Date.now();
      const res = await submitNew(agent, { title: 'Isi yang rumit', body });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(res.status).toBe(422);
      expect(errorBeside(res.text, 'body')).toContain('terlalu rumit');
      expect(bodyFieldIn(res.text)).toBe(body);
      expect(await postCount()).toBe(0);
      const token = await tokenOf(agent);
      const preview = await agent
        .post(`${LIST}/pratinjau`)
        .set('x-csrf-token', token)
        .type('form')
        .send({ body });
      expect(preview.status).toBe(422);
      expect(preview.body.error).toContain('terlalu rumit');
    });
  });

  describe('an upload too large for a post one cannot change', () => {
    const tooLarge = () => ({ bytes: Buffer.alloc(2 * 1024 * 1024 + 1, 0x41), name: 'besar.jpg' });

    it('is refused as forbidden for an operator, not answered with the edit form', async () => {
      const unit = await t.make.unit();
      const published = await makePost(t.services, { unitId: unit.id, title: 'Sudah terbit' });
      const { agent } = await logInAs('operator', unit.id);
      const action = `${LIST}/${published.id}?_csrf=${encodeURIComponent(await tokenOf(agent))}`;
      const res = await send(agent, action, { title: 'Diubah operator' }, tooLarge());
      expect(res.status).toBe(403);
      expect(res.text).not.toContain('Ubah berita');
    });

    it('is a 404 for a post that does not exist', async () => {
      const { agent } = await loggedInAdmin(t);
      const action = `${LIST}/999?_csrf=${encodeURIComponent(await tokenOf(agent))}`;
      expect((await send(agent, action, { title: 'Tidak ada' }, tooLarge())).status).toBe(404);
    });
  });

  describe('publishing as an admin', () => {
    it("publishes an operator's draft and takes it back to draft", async () => {
      const unit = await t.make.unit({ name: 'Dinas Kesehatan' });
      const { agent: operator } = await logInAs('operator', unit.id);
      const id = postIdFrom(await submitNew(operator, { title: 'Vaksinasi ASN', status: 'draft' }));
      const { agent } = await loggedInAdmin(t);

      expect((await submitEdit(agent, id, { status: 'published', published_at: '' })).status).toBe(303);
      const published = await post(id);
      expect(published).toMatchObject({ status: 'published', unitId: unit.id });
      const page = await publicPage(`/berita/${published.slug}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Dinas Kesehatan');
      expect((await operator.get(`${LIST}/${id}/ubah`)).status).toBe(403);

      expect((await submitEdit(agent, id, { status: 'draft' })).status).toBe(303);
      expect((await post(id)).status).toBe('draft');
      expect((await publicPage(`/berita/${published.slug}`)).status).toBe(404);
      expect(await searchFinds('Vaksinasi', published.slug)).toBe(false);
      expect((await operator.get(`${LIST}/${id}/ubah`)).status).toBe(200);
    });

    it('schedules a post for a later WIB time: "Terjadwal" in the list, hidden until then', async () => {
      const { agent } = await loggedInAdmin(t);
      const tomorrow = toLocalInput(new Date(t.clock.now().getTime() + DAY), t.config.timeZone);
      const id = postIdFrom(
        await submitNew(agent, { title: 'Pengumuman Terjadwal', published_at: tomorrow }),
      );
      const scheduled = await post(id);
      expect(scheduled.status).toBe('published');
      expect(toLocalInput(scheduled.publishedAt as string, t.config.timeZone)).toBe(tomorrow);
      expect(stateIn(listRow((await agent.get(LIST)).text, 'Pengumuman Terjadwal'))).toBe('Terjadwal');
      expect((await publicPage(`/berita/${scheduled.slug}`)).status).toBe(404);
      expect((await publicPage('/berita')).text).not.toContain('Pengumuman Terjadwal');
      expect((await publicPage('/feed.xml')).text).not.toContain('Pengumuman Terjadwal');

      t.clock.advance(DAY - 2 * MINUTE);
      expect((await publicPage(`/berita/${scheduled.slug}`)).status).toBe(404);
      t.clock.advance(2 * MINUTE);
      expect((await publicPage(`/berita/${scheduled.slug}`)).status).toBe(200);
      expect((await publicPage('/berita')).text).toContain('Pengumuman Terjadwal');
    });
  });

  // --- Deleting and search ---------------------------------------------------------------------------------

  describe('deleting and searching', () => {
    it('deletes a post everywhere, its search entry included', async () => {
      const { agent } = await loggedInAdmin(t);
      const id = postIdFrom(await submitNew(agent, { title: 'Kabar Zamrudkhatulistiwa' }));
      const { slug } = await post(id);
      expect(await searchFinds('zamrudkhatulistiwa', slug)).toBe(true);

      const res = await deletePost(agent, id);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(LIST);
      expect((await agent.get(LIST)).text).toContain('Berita dihapus.');
      expect(await t.services.posts.findById(id)).toBeUndefined();
      expect((await publicPage(`/berita/${slug}`)).status).toBe(404);
      expect((await agent.get(`${LIST}/${id}/ubah`)).status).toBe(404);
      expect(await searchFinds('zamrudkhatulistiwa', slug)).toBe(false);
      // The search index itself: SQLite's FTS5 table, PostgreSQL's tsvector column of the posts.
      const word = 'zamrudkhatulistiwa';
      const indexed =
        t.db.engine === 'postgres'
          ? sql<{ n: number }>`SELECT count(*) AS n FROM posts WHERE search @@ to_tsquery('simple', ${word})`
          : sql<{ n: number }>`SELECT count(*) AS n FROM posts_fts WHERE posts_fts MATCH ${word}`;
      expect((await indexed.execute(t.db.q)).rows[0]?.n).toBe(0);
    });

    it('finds a post by its new words after an edit, and no longer by the old ones', async () => {
      const { agent } = await loggedInAdmin(t);
      const id = postIdFrom(
        await submitNew(agent, { title: 'Rapat Koordinasi Cendrawasih', body: 'Dibahas soal kenari.' }),
      );
      const { slug } = await post(id);
      expect(await searchFinds('cendrawasih', slug)).toBe(true);
      expect(await searchFinds('kenari', slug)).toBe(true);

      expect(
        (await submitEdit(agent, id, { title: 'Rapat Koordinasi Merpati', body: 'Dibahas soal rajawali.' }))
          .status,
      ).toBe(303);
      expect((await post(id)).slug).toBe(slug);
      expect(await searchFinds('cendrawasih', slug)).toBe(false);
      expect(await searchFinds('kenari', slug)).toBe(false);
      expect(await searchFinds('merpati', slug)).toBe(true);
      expect(await searchFinds('rajawali', slug)).toBe(true);
    });

    it('answers 404 for a post that does not exist or an id that is not one', async () => {
      const { agent } = await loggedInAdmin(t);
      for (const path of [`${LIST}/999/ubah`, `${LIST}/abc/ubah`, `${LIST}/01/ubah`]) {
        expect((await agent.get(path)).status, path).toBe(404);
      }
      expect(
        (await send(agent, `${LIST}/999?_csrf=${encodeURIComponent(await tokenOf(agent))}`, VALID)).status,
      ).toBe(404);
      expect((await deletePost(agent, 999)).status).toBe(404);
      expect(await postCount()).toBe(0);
    });
  });

  // --- Audit -----------------------------------------------------------------------------------------------

  describe('the audit log', () => {
    it('records every step of a post with the admin who took it', async () => {
      const { admin, agent } = await loggedInAdmin(t);
      const res = await submitNew(
        agent,
        { title: 'Berita Teraudit', status: 'draft', cover_alt: 'Gedung kantor' },
        { bytes: await jpeg(), name: 'gedung.jpg' },
      );
      const id = postIdFrom(res);
      const coverId = (await post(id)).coverId as number;
      expect(await t.services.audit.forTarget('post_image', String(coverId))).toMatchObject([
        {
          action: 'post.image_uploaded',
          actorUserId: admin.id,
          details: { width: 1600, height: 900, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
        },
      ]);

      await submitEdit(agent, id, { title: 'Berita Teraudit (ubah)' });
      await submitEdit(agent, id, { status: 'published' });
      await submitEdit(agent, id, { status: 'draft' });
      expect((await deletePost(agent, id)).status).toBe(303);

      const events = await postEvents(id);
      expect(events.map((e) => e.action)).toEqual([
        'post.created',
        'post.updated',
        'post.published',
        'post.unpublished',
        'post.deleted',
      ]);
      for (const event of events) expect(event.actorUserId).toBe(admin.id);
      expect(events[0]?.details).toMatchObject({ title: 'Berita Teraudit', status: 'draft' });
      expect(events[1]?.details).toMatchObject({ title: 'Berita Teraudit (ubah)' });
      expect(events[4]?.details).toMatchObject({ title: 'Berita Teraudit (ubah)', slug: 'berita-teraudit' });
    });

    it("records an operator's draft as theirs", async () => {
      const unit = await t.make.unit();
      const { user, agent } = await logInAs('operator', unit.id);
      const id = postIdFrom(await submitNew(agent, { title: 'Draf operator', status: 'draft' }));
      expect(await postEvents(id)).toMatchObject([{ action: 'post.created', actorUserId: user.id }]);
    });

    it('records nothing for a refused form', async () => {
      const { agent } = await loggedInAdmin(t);
      await submitNew(agent, { title: '' });
      await submitNew(
        agent,
        { title: 'Sampul GIF', cover_alt: 'x' },
        { bytes: await gif(800, 400), name: 'a.gif' },
      );
      const newsEvents = (await t.services.audit.recent(100)).filter((e) => e.action.startsWith('post.'));
      expect(newsEvents).toEqual([]);
    });
  });

  // --- CSRF ------------------------------------------------------------------------------------------------

  describe('CSRF', () => {
    it('refuses a multipart post without the token in its query string, even with it in the body', async () => {
      const { agent } = await loggedInAdmin(t);
      const token = await tokenOf(agent);
      expect((await send(agent, LIST, VALID)).status).toBe(403);
      expect((await send(agent, LIST, { ...VALID, _csrf: token })).status).toBe(403);
      expect((await send(agent, `${LIST}?_csrf=salah`, VALID)).status).toBe(403);
      const withCover = await send(
        agent,
        LIST,
        { ...VALID, cover_alt: 'x' },
        { bytes: await jpeg(), name: 'a.jpg' },
      );
      expect(withCover.status).toBe(403);
      expect(withCover.text).toContain('Formulir kedaluwarsa');
      expect(await postCount()).toBe(0);
      expect(await imageCount()).toBe(0);
    });

    it("refuses another browser's token", async () => {
      const { agent } = await loggedInAdmin(t);
      const stranger = browser(t.app);
      const theirToken = await fetchCsrfToken(stranger, '/masuk');
      expect((await send(agent, `${LIST}?_csrf=${encodeURIComponent(theirToken)}`, VALID)).status).toBe(403);
      expect(await postCount()).toBe(0);
    });
  });

  // --- The list --------------------------------------------------------------------------------------------

  describe('the admin list', () => {
    it('labels drafts, scheduled and published posts and shows their view counts', async () => {
      const now = t.clock.now().getTime();
      await makePost(t.services, { title: 'Masih draf', status: 'draft', publishedAt: null });
      await makePost(t.services, { title: 'Nanti terbit', publishedAt: new Date(now + DAY) });
      const live = await makePost(t.services, { title: 'Sudah terbit', slug: 'sudah-terbit' });
      for (let reader = 0; reader < 3; reader++) {
        const readerBrowser = browser(t.app);
        await readerBrowser.get('/berita/sudah-terbit').set('User-Agent', A_BROWSER);
        // A second read in the same browser session does not count.
        await readerBrowser.get('/berita/sudah-terbit').set('User-Agent', A_BROWSER);
      }
      await t.services.postViews.flush();
      expect((await post(live.id)).viewCount).toBe(3);

      const { agent } = await loggedInAdmin(t);
      const list = (await agent.get(LIST)).text;
      expect(stateIn(listRow(list, 'Masih draf'))).toBe('Draf');
      expect(stateIn(listRow(list, 'Nanti terbit'))).toBe('Terjadwal');
      const liveRow = listRow(list, 'Sudah terbit');
      expect(stateIn(liveRow)).toBe('Terbit');
      expect(liveRow).toContain('<td class="text-end">3</td>');
      expect(liveRow).toContain('href="/berita/sudah-terbit"');
      expect(listRow(list, 'Nanti terbit')).not.toContain('href="/berita/');
    });

    it('shows 25 posts a page, the rest on halaman=2', async () => {
      const now = t.clock.now().getTime();
      for (let n = 1; n <= 26; n++) {
        await makePost(t.services, {
          title: `Berita nomor ${String(n).padStart(2, '0')}`,
          publishedAt: new Date(now - (30 - n) * DAY),
        });
      }
      const { agent } = await loggedInAdmin(t);
      const rows = (html: string) =>
        [...html.matchAll(/<a href="\/admin\/berita\/\d+\/ubah">([^<]+)<\/a>/g)].map((m) => m[1]);
      const first = await agent.get(LIST);
      expect(rows(first.text)).toHaveLength(25);
      expect(rows(first.text)[0]).toBe('Berita nomor 26');
      expect(first.text).toContain('href="?halaman=2"');
      const second = await agent.get(`${LIST}?halaman=2`);
      expect(second.status).toBe(200);
      expect(rows(second.text)).toEqual(['Berita nomor 01']);
    });
  });
});

import { Router } from 'express';
import { Feed } from 'feed';
import type { Config } from '../config.js';
import type { Services } from '../services.js';

const FEED_ENTRIES = 30;
/** A sitemap may list 50,000 URLs; a province publishes far fewer posts. */
const SITEMAP_POSTS = 45_000;
const FIVE_MINUTES = 'public, max-age=300';

/** Public pages worth indexing besides the posts. */
const PUBLIC_PAGES = ['/', '/berita', '/kepatuhan', '/verifikasi'];
/** Pages for logged-in people or one person's documents: never indexed. */
const PRIVATE_PATHS = [
  '/admin',
  '/pakta',
  '/tanda-terima',
  '/akun',
  '/atur-kata-sandi',
  '/lupa-kata-sandi',
  '/masuk',
];

const xmlEscape = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );

/** /feed.xml (Atom), /sitemap.xml and /robots.txt, all with absolute URLs from BASE_URL. */
export function feedRoutes(services: Services, config: Config): Router {
  const router = Router();
  const absolute = (path: string) => `${config.baseUrl}${path}`;

  router.get('/feed.xml', (_req, res) => {
    const now = services.clock.now();
    const posts = services.posts.visibleForListing(now, FEED_ENTRIES);
    const instance = res.locals.instance;
    const feed = new Feed({
      id: absolute('/'),
      title: res.locals.t('news.feed_title', { name: instance.name }),
      description: res.locals.t('app.description'),
      link: absolute('/berita'),
      language: 'id',
      updated: new Date(posts[0]?.updatedAt ?? now),
      generator: 'Ikrar',
      feedLinks: { atom: absolute('/feed.xml') },
      author: { name: instance.name, ...(instance.email ? { email: instance.email } : {}) },
      copyright: instance.name,
      favicon: absolute('/static/img/ikrar.svg'),
    });
    for (const post of posts) {
      feed.addItem({
        id: absolute(`/berita/${post.slug}`),
        link: absolute(`/berita/${post.slug}`),
        title: post.title,
        description: post.excerpt,
        content: post.bodyHtml,
        date: new Date(post.updatedAt),
        published: new Date(post.publishedAt),
        category: [{ term: post.category, name: res.locals.t(`news.category.${post.category}`) }],
        author: [{ name: post.unitName ?? instance.name }],
        ...(post.cover ? { image: { url: absolute(post.cover.share.path), type: 'image/jpeg' } } : {}),
      });
    }
    res.set('Cache-Control', FIVE_MINUTES).type('application/atom+xml; charset=utf-8').send(feed.atom1());
  });

  router.get('/sitemap.xml', (_req, res) => {
    const posts = services.posts.visibleForListing(services.clock.now(), SITEMAP_POSTS);
    const url = (loc: string, lastmod?: string) =>
      `<url><loc>${xmlEscape(loc)}</loc>${lastmod ? `<lastmod>${lastmod}</lastmod>` : ''}</url>`;
    const xml = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
      ...PUBLIC_PAGES.map((path) => url(absolute(path))),
      ...posts.map((post) => url(absolute(`/berita/${post.slug}`), post.updatedAt)),
      '</urlset>',
    ].join('\n');
    res.set('Cache-Control', FIVE_MINUTES).type('application/xml; charset=utf-8').send(xml);
  });

  router.get('/robots.txt', (_req, res) => {
    const lines = [
      'User-agent: *',
      ...PRIVATE_PATHS.map((path) => `Disallow: ${path}`),
      '',
      `Sitemap: ${absolute('/sitemap.xml')}`,
    ];
    res
      .set('Cache-Control', FIVE_MINUTES)
      .type('text/plain; charset=utf-8')
      .send(`${lines.join('\n')}\n`);
  });

  return router;
}

import { Router } from 'express';
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

  // Atom through an EJS view: every text node and attribute is XML-escaped by `<%=` (titles are text, never
  // markup; the body is escaped HTML in a type="html" content element), so no title can break or extend the feed.
  router.get('/feed.xml', (_req, res) => {
    const now = services.clock.now();
    const posts = services.posts.visibleForListing(now, FEED_ENTRIES);
    const updated = posts
      .map((post) => post.updatedAt)
      .sort()
      .at(-1);
    res
      .set('Cache-Control', FIVE_MINUTES)
      .type('application/atom+xml; charset=utf-8')
      .render('news/feed', { posts, absolute, updated: updated ?? now.toISOString() });
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

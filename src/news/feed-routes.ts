import { Router } from 'express';
import type { Clock } from '../core/clock.js';
import type { Config } from '../core/config.js';
import type { PostRepository } from './post-repository.js';

const FEED_ENTRIES = 30;
/** A sitemap may list 50,000 URLs; a province publishes far fewer posts. */
const SITEMAP_POSTS = 45_000;
const FIVE_MINUTES = 'public, max-age=300';

/** Public pages worth indexing besides the posts. */
const PUBLIC_PAGES = ['/', '/berita', '/kepatuhan', '/verifikasi'];
/**
 * Pages for logged-in people or one person's documents: never indexed. The signing pages (/pakta) are not listed:
 * a crawler is sent to /masuk, which is, and the page's own checks (Lighthouse's SEO audit) then judge the page.
 */
const PRIVATE_PATHS = ['/admin', '/tanda-terima', '/akun', '/atur-kata-sandi', '/lupa-kata-sandi', '/masuk'];

/** /feed.xml (Atom), /sitemap.xml and /robots.txt, all with absolute URLs from BASE_URL. */
export function feedRoutes(services: { clock: Clock; posts: PostRepository }, config: Config): Router {
  const router = Router();
  const absolute = (path: string) => `${config.baseUrl}${path}`;

  // Atom through an EJS view: every text node and attribute is XML-escaped by `<%=` (titles are text, never
  // markup; the body is escaped HTML in a type="html" content element), so no title can break or extend the feed.
  router.get('/feed.xml', async (_req, res) => {
    const now = services.clock.now();
    const posts = await services.posts.visibleForListing(now, FEED_ENTRIES);
    const updated = posts
      .map((post) => post.updatedAt)
      .sort()
      .at(-1);
    res
      .set('Cache-Control', FIVE_MINUTES)
      .type('application/atom+xml; charset=utf-8')
      .render('news/feed', { posts, absolute, updated: updated ?? now.toISOString() });
  });

  router.get('/sitemap.xml', async (_req, res) => {
    res
      .set('Cache-Control', FIVE_MINUTES)
      .type('application/xml; charset=utf-8')
      .render('news/sitemap', {
        pages: PUBLIC_PAGES,
        posts: await services.posts.sitemapEntries(services.clock.now(), SITEMAP_POSTS),
        absolute,
      });
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

import ejs from 'ejs';
import { type Request, type Response, Router } from 'express';
import { isbot } from 'isbot';
import type { Clock } from '../core/clock.js';
import type { Config } from '../core/config.js';
import { notFound } from '../web/http-error.js';
import type { PageCache } from '../web/page-cache.js';
import { pageFromQuery } from '../web/pagination.js';
import type { PostRepository } from './post-repository.js';
import { firstReadThisSession } from './read-posts-cookie.js';
import { SEARCH_MAX_CHARS, searchTerms, snippetHtml } from './search-query.js';
import { isValidSlug } from './slug.js';
import { POST_CATEGORIES, type Post, type PostCategory } from './types.js';
import type { ViewCounter } from './view-counter.js';

export const NEWS_PAGE_SIZE = 10;
/**
 * An image id names one upload's bytes forever (a new upload gets a new id), so browsers need never revalidate;
 * but a cover may be withdrawn (a post unpublished for privacy), so shared caches keep it only briefly.
 */
const PUBLIC_IMAGE = 'public, max-age=86400, s-maxage=600, immutable';

/** `?kategori=`: absent or empty for every category; anything else unknown is a 404 (no such listing). */
function categoryFromQuery(value: unknown): PostCategory | null {
  if (value === undefined || value === '') return null;
  if (typeof value === 'string' && (POST_CATEGORIES as readonly string[]).includes(value)) {
    return value as PostCategory;
  }
  throw notFound();
}

/** `?q=` as typed (a repeated parameter counts as none), and whether it was cut to the maximum length. */
function searchFromQuery(value: unknown): { q: string; cut: boolean } {
  const q = typeof value === 'string' ? value.trim() : '';
  return { q: q.slice(0, SEARCH_MAX_CHARS), cut: q.length > SEARCH_MAX_CHARS };
}

/** Crawlers, previews, scripts and headless browsers; a request that names no user agent at all is one too. */
const isBot = (userAgent: string | undefined): boolean => !userAgent?.trim() || isbot(userAgent);

/** A cover no visible post uses yet: for admins, and for the person who uploaded it. */
const mayPreviewImage = (req: Request, uploadedBy: number | null | undefined): boolean =>
  req.user?.role === 'admin' || (req.user !== undefined && uploadedBy === req.user.id);

/** /berita (list, category filter, search), /berita/:slug (one post) and the cover images. */
export function newsRoutes(
  services: { clock: Clock; pageCache: PageCache; postViews: ViewCounter; posts: PostRepository },
  config: Config,
): Router {
  const router = Router();

  router.get('/berita', async (req, res) => {
    const now = services.clock.now();
    const category = categoryFromQuery(req.query.kategori);
    const search = searchFromQuery(req.query.q);
    const terms = searchTerms(search.q);
    const searching = search.q !== '';
    const total = !searching
      ? await services.posts.countVisible(now, category)
      : terms.length === 0
        ? 0
        : await services.posts.countMatches(terms, now, category);
    const page = pageFromQuery(req.query.halaman, total, NEWS_PAGE_SIZE);
    const posts = !searching
      ? await services.posts.pageVisible(now, category, page.size, page.offset)
      : terms.length === 0
        ? []
        : (await services.posts.pageMatches(terms, now, category, page.size, page.offset)).map((hit) => ({
            ...hit,
            snippetHtml: snippetHtml(hit.snippet),
          }));
    await services.pageCache.render(
      res,
      'news/list',
      {
        title: category ? res.locals.t(`news.category.${category}_plural`) : res.locals.t('news.title'),
        posts,
        page,
        category,
        categories: POST_CATEGORIES,
        search,
        searching,
        query: { ...(category ? { kategori: category } : {}), ...(searching ? { q: search.q } : {}) },
        canonical: `${config.baseUrl}/berita?${new URLSearchParams({
          ...(category ? { kategori: category } : {}),
          ...(page.number > 1 ? { halaman: String(page.number) } : {}),
        })}`.replace(/\?$/, ''),
      },
      { validUntil: (await services.posts.nextScheduledAfter(now))?.getTime() },
    );
  });

  router.get('/berita/gambar/:id/:file', async (req, res) => {
    const id = /^[1-9]\d{0,9}$/.test(req.params.id) ? Number(req.params.id) : null;
    const file = /^(?:([1-9]\d{1,3})\.webp|bagikan\.jpg)$/.exec(req.params.file);
    if (id === null || !file) throw notFound();
    const variant = file[1]
      ? await services.posts.variant(id, 'webp', Number(file[1]))
      : await services.posts.shareVariant(id);
    if (!variant) throw notFound();
    const visible = await services.posts.imageIsPublic(id, services.clock.now());
    if (!visible && !mayPreviewImage(req, (await services.posts.image(id))?.createdBy)) throw notFound();
    res.set({
      'Content-Type': variant.mime,
      'Cache-Control': visible ? PUBLIC_IMAGE : 'private, no-store',
      'Content-Disposition': 'inline',
    });
    res.send(variant.bytes);
  });

  router.get('/berita/:slug', async (req, res) => {
    const slug = req.params.slug;
    const now = services.clock.now();
    const post = isValidSlug(slug) ? await services.posts.findVisibleBySlug(slug, now) : undefined;
    if (!post) throw notFound();
    const { t, fmt } = res.locals;
    // Readers count, once per browser session; bots and HEAD requests do not.
    const countRead = (reader: Request, response: Response) => {
      if (reader.method !== 'GET' || isBot(reader.get('user-agent'))) return;
      if (firstReadThisSession(reader, response, post.id, config.production))
        services.postViews.record(post.id);
    };
    // The view count changes with every new reader: the cached page has a hole for it, filled on every response.
    const views = async () =>
      (await services.posts.viewCount(post.id)) + services.postViews.pendingFor(post.id);
    const page = { ...postPage(post, config), neighbours: await services.posts.neighbours(post, now) };
    await services.pageCache.render(res, 'news/post', page, {
      // A scheduled post coming due becomes this one's neighbour.
      validUntil: (await services.posts.nextScheduledAfter(now))?.getTime(),
      onEveryRead: countRead,
      hole: {
        marker: VIEWS_MARKER,
        value: async () => ejs.escapeXML(t('news.views', { count: fmt.formatNumber(await views()) })),
      },
    });
  });

  return router;
}

/** Stands for "Dilihat N kali" in a rendered post (see the page cache's holes). */
const VIEWS_MARKER = '\u0001DILIHAT\u0001';

function postPage(post: Post, config: Config) {
  const url = `${config.baseUrl}/berita/${post.slug}`;
  return {
    title: post.title,
    post,
    viewsText: VIEWS_MARKER,
    shareLinks: shareLinks(url, post.title),
    url,
    canonical: url,
    meta: {
      type: 'article',
      description: post.description,
      image: post.cover && {
        url: `${config.baseUrl}${post.cover.share.path}`,
        width: post.cover.share.width,
        height: post.cover.share.height,
        alt: post.cover.alt,
      },
      publishedAt: post.publishedAt,
    },
  };
}

/** Plain links to share a post: no third-party script runs on our pages. */
function shareLinks(url: string, title: string) {
  const u = encodeURIComponent(url);
  return [
    { key: 'whatsapp', href: `https://wa.me/?text=${encodeURIComponent(`${title} ${url}`)}` },
    { key: 'facebook', href: `https://www.facebook.com/sharer/sharer.php?u=${u}` },
    { key: 'x', href: `https://x.com/intent/post?url=${u}&text=${encodeURIComponent(title)}` },
  ];
}

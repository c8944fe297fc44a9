import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Request, RequestHandler, Response } from 'express';

/** A value a cached page shows that changes more often than the page: filled in on every response. */
export interface PageHole {
  /**
   * Text in the rendered page that stands for the value: unchanged by HTML escaping, and impossible in content
   * (use control characters, which no form accepts).
   */
  marker: string;
  /** The text to show now, already HTML-escaped. */
  value: () => string | Promise<string>;
}

export interface CacheablePage {
  /** Runs for every reader, cached or not (e.g. counting a view). */
  onEveryRead?: (req: Request, res: Response) => void;
  hole?: PageHole;
  /** When the page must be rendered again at the latest (e.g. a scheduled post comes due), epoch ms. */
  validUntil?: number;
}

interface CachedPage extends CacheablePage {
  version: string;
  expires: number;
  /** The page split at the hole's marker (one part when there is no hole). */
  parts: string[];
  /** Whole page when there is no hole, with its ETag: sent as is. */
  body: Buffer | null;
  /** The same compressed once, for the readers who accept gzip (null with a hole). */
  gzipped: Buffer | null;
  /** The headers the app set on the response the page was made for (security headers and the like). */
  headers: [string, string | number | readonly string[]][];
  etag: string | null;
  /** A tag of the parts around the hole, for the ETag of each filled page. */
  partsTag: string;
}

/** Headers of one response only, or set when the bytes are sent: not replayed from a kept page. */
const OWN_HEADERS = new Set([
  'x-request-id',
  'set-cookie',
  'content-length',
  'content-type',
  'content-encoding',
  'etag',
  'vary',
  'x-powered-by',
]);

const etagOf = (body: Buffer): string =>
  `W/"${createHash('sha1').update(body).digest('base64url').slice(0, 27)}"`;

/**
 * Only the parameters the public pages understand make distinct pages: any other parameter (`/?x=1`, `/?x=2`, …)
 * would let one client fill the cache with copies and push out the pages everyone reads. Searches are not kept
 * either: there is no end to them.
 */
const CACHEABLE_PARAMETERS = new Set(['kategori', 'halaman', 'status']);
const cacheableQuery = (req: Request): boolean =>
  Object.keys(req.query).every((name) => CACHEABLE_PARAMETERS.has(name));

/**
 * The public pages as anonymous readers get them, kept in memory for a few seconds: the home page, the news and
 * the compliance list are the same bytes for every reader without a session, and rendering them costs several
 * times sending them. An entry is used only while `version()` (the cache epochs: news, compliance, settings) is
 * unchanged, for at most `ttlMs`, and never past its own `validUntil`; so an edit, a signing or a settings change
 * shows at once (made through another process or node: within the 100 ms for which the app's `version()` keeps a
 * read, see recentEpochs), and only what changes by itself (a view count, "N hari lagi") may lag by up to `ttlMs`.
 * Readers with a session cookie (logged in, or holding a CSRF token) always get a fresh render. A page made in one
 * language is kept apart from the same URL in another (`variant`), and says what chose it (`Vary`).
 */
export function pageCache(options: {
  /** The session cookie's name: a request carrying it is never answered from here. */
  sessionCookie: string;
  version: () => Promise<string>;
  now: () => number;
  ttlMs: number;
  maxEntries: number;
  /**
   * What besides the URL makes a page differ for a reader without a session (its language): `of` names it, part of the
   * key, and `vary` lists the request headers it is read from, named in `Vary` with Accept-Encoding.
   */
  variant?: { of: (req: Request) => string; vary: readonly string[] };
}) {
  const pages = new Map<string, CachedPage>();
  const hasSessionCookie = (req: Request): boolean =>
    (req.headers.cookie ?? '').includes(`${options.sessionCookie}=`);
  const keyOf = (req: Request): string =>
    options.variant ? `${options.variant.of(req)} ${req.originalUrl}` : req.originalUrl;
  // In the order a fresh response names them (the variant's headers, then compression's): a proxy that keeps a copy
  // per variant (nginx by default; deploy/'s keys on the language instead) hashes the names in the order given, and
  // would miss its copies under another order.
  const vary = [...(options.variant?.vary ?? []), 'Accept-Encoding'].join(', ');

  const send = async (res: Response, page: CachedPage) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    if (page.body && page.etag) {
      res.setHeader('ETag', page.etag);
      res.send(page.body);
      return;
    }
    // The page's own tag and the hole's value name these bytes: no need to hash 13 kB on every response.
    const value = (await page.hole?.value()) ?? '';
    res.setHeader(
      'ETag',
      `W/"${page.partsTag}-${createHash('sha1').update(value).digest('base64url').slice(0, 10)}"`,
    );
    res.send(page.parts.join(value));
  };

  /** The kept page for this request, if it may have one and it is current; the version read, null if unreadable. */
  const lookUp = async (
    req: Request,
  ): Promise<{ page: CachedPage | null; version: string | null } | null> => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || hasSessionCookie(req) || !cacheableQuery(req)) {
      return null;
    }
    const page = pages.get(keyOf(req));
    let version: string;
    try {
      version = await options.version();
    } catch {
      // The database cannot be read: let the request go on, so the error page is made with everything it needs.
      return { page: null, version: null };
    }
    return { page: page && page.version === version && page.expires > options.now() ? page : null, version };
  };

  /**
   * Mounted before the request log, compression and the security headers: answers a kept page with the headers its
   * first response had, compressed once when kept rather than on every response; `onServe` logs it. Such a hit was
   * 0.39 ms of a worker, more than half of it in middleware whose work is the same for every reader
   * (`docs/CAPACITY.md`). Any other encoding wish, or a page with a hole asked for compressed, goes on to `serve`,
   * behind compression.
   */
  const serveKept =
    (onServe: (req: Request, res: Response) => void): RequestHandler =>
    async (req, res, next) => {
      const found = await lookUp(req);
      // `serve`, further on, reads the same answer instead of looking again.
      res.locals.pageCacheLookUp = found;
      const page = found?.page;
      if (!page) return next();
      // No encoding asked: the page as kept; gzip accepted: the gzip made once; any other wish (only br, only
      // identity, gzip on a page with a hole) goes on to compression.
      const accepted = req.headers['accept-encoding'];
      const gzip = accepted !== undefined && req.acceptsEncodings('gzip') === 'gzip';
      if (accepted !== undefined && !(gzip && page.gzipped)) return next();
      onServe(req, res);
      for (const [name, value] of page.headers) res.setHeader(name, value);
      res.setHeader('Vary', vary);
      res.removeHeader('X-Powered-By');
      page.onEveryRead?.(req, res);
      if (gzip && page.gzipped && page.etag) {
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        res.setHeader('Content-Encoding', 'gzip');
        res.setHeader('ETag', page.etag.replace(/"$/, '-gz"'));
        res.send(page.gzipped);
        return;
      }
      await send(res, page);
    };

  /** Answers a GET for an anonymous reader from the cache when it holds the page; marks it cacheable otherwise. */
  const serve: RequestHandler = async (req, res, next) => {
    const found =
      'pageCacheLookUp' in res.locals
        ? (res.locals.pageCacheLookUp as Awaited<ReturnType<typeof lookUp>>)
        : await lookUp(req);
    if (!found || found.version === null) return next();
    const { page, version } = found;
    const key = keyOf(req);
    if (page) {
      res.vary(vary);
      page.onEveryRead?.(req, res);
      await send(res, page);
      return;
    }
    // The version as it was before the route reads anything: if another process commits a change while the page
    // is being made, the page is stored under the older version and the next reader gets a fresh one.
    res.locals.pageCache = { key, version };
    next();
  };

  /**
   * Renders a page and sends it; for an anonymous reader (see `serve`) also keeps it. Use in place of
   * `res.render` on public pages whose content depends only on the URL and the database.
   */
  const render = async (res: Response, view: string, locals: object, cacheable: CacheablePage = {}) => {
    const pending = res.locals.pageCache as { key: string; version: string } | undefined;
    cacheable.onEveryRead?.(res.req, res);
    const html = await new Promise<string>((resolve, reject) =>
      res.render(view, locals, (err, out) => (err ? reject(err) : resolve(out))),
    );
    const parts = cacheable.hole ? html.split(cacheable.hole.marker) : [html];
    const body = cacheable.hole ? null : Buffer.from(html);
    const kept = pending !== undefined && res.statusCode === 200;
    const page: CachedPage = {
      ...cacheable,
      // What only a kept page is answered with (by serveKept): made once here, not for a page that is not kept.
      gzipped: body && kept ? gzipSync(body) : null,
      headers: kept
        ? Object.entries(res.getHeaders()).flatMap(([name, value]) =>
            value === undefined || OWN_HEADERS.has(name)
              ? []
              : [[name, value] as [string, string | number | string[]]],
          )
        : [],
      version: pending?.version ?? '',
      expires: Math.min(options.now() + options.ttlMs, cacheable.validUntil ?? Number.POSITIVE_INFINITY),
      parts,
      body,
      etag: body && etagOf(body),
      partsTag: createHash('sha1').update(html).digest('base64url').slice(0, 16),
    };
    if (kept) {
      pages.delete(pending.key);
      if (pages.size >= options.maxEntries) pages.delete(pages.keys().next().value as string);
      pages.set(pending.key, page);
    }
    await send(res, page);
  };

  return { serveKept, serve, render };
}

export type PageCache = ReturnType<typeof pageCache>;

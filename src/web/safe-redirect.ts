import type { Request } from 'express';

const LOCAL_ORIGIN = 'http://ikrar.invalid';

/**
 * The path of `candidate` when it is a path on this site, else null. Refuses absolute URLs, protocol-relative
 * `//host` and `/\host` forms and control characters, checked before and after URL parsing.
 */
export function sameSitePath(candidate: unknown): string | null {
  if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > 2000) return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (!candidate.startsWith('/') || candidate.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(candidate)) {
    return null;
  }
  if (!URL.canParse(candidate, LOCAL_ORIGIN)) return null;
  const url = new URL(candidate, LOCAL_ORIGIN);
  // Dot segments are resolved by now: '/..//evil.example' has become '//evil.example'.
  if (url.origin !== LOCAL_ORIGIN || url.pathname.startsWith('//') || url.pathname.startsWith('/\\'))
    return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The pages going back to after logging in would loop through: login and logout. */
const LOGIN_LOOP = ['/masuk', '/keluar'] as const;

/**
 * Where to go next: `next` when it is a same-site path other than the `refused` ones (by default login and logout,
 * where going back after logging in would loop), else `fallback`.
 */
export function safeNextPath(
  next: unknown,
  fallback: string,
  refused: readonly string[] = LOGIN_LOOP,
): string {
  const path = sameSitePath(next);
  if (!path) return fallback;
  const pathname = path.split(/[?#]/)[0] as string;
  return refused.includes(pathname) ? fallback : path;
}

/**
 * The page a request came from (its Referer: path and query) when that is a page of this site, else `fallback`: where
 * a form's answer leads back to (a stale form to open again, the language switch on a form's error page).
 */
export function sameSiteReferer(req: Request, fallback: string): string {
  const referer = req.get('referer');
  if (!referer || !URL.canParse(referer)) return fallback;
  const url = new URL(referer);
  return url.host === req.get('host') ? (sameSitePath(`${url.pathname}${url.search}`) ?? fallback) : fallback;
}

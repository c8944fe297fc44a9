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

/** Where to go after logging in: `next` when it is a same-site path other than login/logout (a loop), else `fallback`. */
export function safeNextPath(next: unknown, fallback: string): string {
  const path = sameSitePath(next);
  if (!path) return fallback;
  const pathname = path.split(/[?#]/)[0];
  return pathname === '/masuk' || pathname === '/keluar' ? fallback : path;
}

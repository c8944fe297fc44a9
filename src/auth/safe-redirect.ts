const LOCAL_ORIGIN = 'http://ikrar.invalid';

/**
 * Returns `next` when it is a path on this site, otherwise `fallback`. Refuses absolute URLs, protocol-relative
 * `//host` and `/\host` forms, control characters and the login/logout pages themselves (which would loop).
 */
export function safeNextPath(next: unknown, fallback: string): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2000) return fallback;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (!next.startsWith('/') || next.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, LOCAL_ORIGIN);
  } catch {
    return fallback;
  }
  // Check again after parsing: dot segments are resolved by then, and '/..//evil.example' has become '//evil.example'.
  if (url.origin !== LOCAL_ORIGIN || url.pathname.startsWith('//') || url.pathname.startsWith('/\\'))
    return fallback;
  if (url.pathname === '/masuk' || url.pathname === '/keluar') return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

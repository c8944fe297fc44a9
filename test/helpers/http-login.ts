/**
 * Logging in to a running app over HTTP with fetch, as a browser behind the TLS proxy would (no browser, no
 * supertest): shared by the benchmark and the browser and multi-process tests, which start the built app with
 * app-process.ts.
 */

/** `name=value` pairs of a response's Set-Cookie headers, as a Cookie header. */
export const cookiesOf = (res: Response): string =>
  res.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');

/** The CSRF token of the first form in a page. */
export const csrfTokenIn = (html: string): string | undefined =>
  /name="_csrf" value="([^"]+)"/.exec(html)?.[1];

/**
 * Submits the login form as a browser would (the form's CSRF token and cookie first; `headers` go with both
 * requests, e.g. X-Forwarded-Proto for an app behind its TLS proxy); returns the answer and the cookie it set.
 */
export async function submitLogin(
  base: string,
  username: string,
  password: string,
  headers: Record<string, string>,
): Promise<{ cookie: string; response: Response }> {
  const form = await fetch(`${base}/masuk`, { headers });
  const csrf = csrfTokenIn(await form.text());
  const formCookie = cookiesOf(form);
  if (!csrf || !formCookie) throw new Error(`login form: ${form.status}, no CSRF token or cookie`);
  const response = await fetch(`${base}/masuk`, {
    method: 'POST',
    headers: { ...headers, cookie: formCookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, username, password }).toString(),
    redirect: 'manual',
  });
  return { cookie: cookiesOf(response), response };
}

/** Logs in through the login form; returns the session cookie, or throws if the login is refused. */
export async function logIn(
  base: string,
  username: string,
  password: string,
  headers: Record<string, string>,
): Promise<string> {
  const { cookie, response } = await submitLogin(base, username, password, headers);
  if (response.status !== 302 && response.status !== 303)
    throw new Error(`login as ${username}: ${response.status}`);
  if (!cookie) throw new Error(`login as ${username}: no session cookie`);
  return cookie;
}

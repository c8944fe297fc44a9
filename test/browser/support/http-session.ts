import { csrfTokenFrom } from '../../helpers/http.js';
import { DEMO_PASSWORD } from '../pages/signing-pages.js';

/** The cookies a response sets, as a Cookie header. */
export const cookieOf = (res: Response): string =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');

/**
 * Logs in through the login form over plain HTTP (no browser) and returns the session cookie; `headers` go with
 * both requests (X-Forwarded-Proto for an app in production mode behind its TLS proxy). Returns the login's
 * response instead when it is not a redirect, so a test can look at a refusal.
 */
export async function logInOverHttp(
  base: string,
  username: string,
  { password = DEMO_PASSWORD, headers = {} }: { password?: string; headers?: Record<string, string> } = {},
): Promise<{ cookie: string; response: Response }> {
  const form = await fetch(`${base}/masuk`, { headers });
  const token = csrfTokenFrom(await form.text());
  const response = await fetch(`${base}/masuk`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...headers, Cookie: cookieOf(form), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, username, password }),
  });
  return { cookie: cookieOf(response), response };
}

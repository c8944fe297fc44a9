import { cookiesOf, submitLogin } from '../../helpers/http-login.js';
import { DEMO_PASSWORD } from '../pages/signing-pages.js';

/** The cookies a response sets, as a Cookie header. */
export const cookieOf = cookiesOf;

/**
 * Logs in through the login form over plain HTTP (no browser) and returns the session cookie; `headers` go with
 * both requests (X-Forwarded-Proto for an app in production mode behind its TLS proxy). Returns the login's
 * response too, so a test can look at a refusal.
 */
export const logInOverHttp = (
  base: string,
  username: string,
  { password = DEMO_PASSWORD, headers = {} }: { password?: string; headers?: Record<string, string> } = {},
): Promise<{ cookie: string; response: Response }> => submitLogin(base, username, password, headers);

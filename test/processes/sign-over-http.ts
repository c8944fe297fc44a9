import { expect } from 'vitest';
import { cookieOf, logInOverHttp } from '../browser/support/http-session.js';
import { csrfTokenFrom } from '../helpers/http.js';

/** The demo's all-ASN pact, whose page every demo ASN may open. */
export const ALL_ASN_PACT = 2;

export interface Signer {
  email: string;
  fullName: string;
}

/**
 * Logs in on `base`, opens the all-ASN pact and signs `pactId` (the all-ASN pact unless told) as the form does, with
 * the typed name and `drawing` if given; resolves the signing's status and, when it went through, the receipt code.
 * `headers` go with every request (X-Forwarded-For: a client address of its own; X-Forwarded-Proto for an app in
 * production mode reached past its TLS proxy).
 */
export async function logInAndSign(
  base: string,
  signer: Signer,
  {
    pactId = ALL_ASN_PACT,
    drawing = '',
    headers = {},
  }: { pactId?: number; drawing?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; receipt: string | null }> {
  const { cookie, response } = await logInOverHttp(base, signer.email, { headers });
  expect(response.status, signer.email).toBe(302);
  const page = await fetch(`${base}/pakta/${ALL_ASN_PACT}`, { headers: { ...headers, Cookie: cookie } });
  expect(page.status, signer.email).toBe(200);
  const signed = await fetch(`${base}/pakta/${pactId}/tanda-tangan`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      ...headers,
      Cookie: cookieOf(page) || cookie,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      _csrf: csrfTokenFrom(await page.text()),
      consent: '1',
      full_name: signer.fullName,
      signature: drawing,
    }),
  });
  const location = signed.headers.get('location');
  return { status: signed.status, receipt: location ? (location.split('/').pop() ?? null) : null };
}

import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/app-process.js';
import { startOidcProvider, type TestOidcProvider } from '../helpers/oidc-provider.js';
import { MyPactsPage, PactPage, ReceiptPage } from './pages/signing-pages.js';
import { ProviderLoginPage, SsoLoginPage } from './pages/sso-pages.js';
import { type RunningApp, startApp } from './support/app.js';
import { expectAccessible, expectNoHorizontalScroll, launchBrowser, PHONE } from './support/browser.js';

const ALL_ASN_PACT = /Aparatur Sipil Negara Pemerintah Provinsi Jawa Tengah/;

/** The NIP the demo gave an account (read from the app's database, which the app owns). */
function nipOf(databasePath: string, email: string): string {
  const db = new Database(databasePath, { readonly: true });
  try {
    return (db.prepare('SELECT nip FROM users WHERE email = ?').get(email) as { nip: string }).nip;
  } finally {
    db.close();
  }
}

// Dewi Lestari (asn@ikrar.test) logs in on her phone with her government's SSO, a real OpenID provider started by
// the test: "Masuk dengan SSO" on Ikrar's login page, the provider's own login form, and back in Ikrar on her pacts,
// matched by the NIP the provider vouches for. Her login there counts as the check signing asks for: she signs the
// all-ASN pact without being asked for a password.
describe('an ASN logs in with SSO on a phone', () => {
  let provider: TestOidcProvider;
  let app: RunningApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const port = await freePort();
    provider = await startOidcProvider(`http://127.0.0.1:${port}/masuk/sso/kembali`);
    [app, browser] = await Promise.all([startApp({ PORT: String(port), ...provider.env }), launchBrowser()]);
    provider.accounts.set('dewi.lestari', {
      nip: nipOf(app.databasePath, 'asn@ikrar.test'),
      name: 'Dewi Lestari',
    });
    page = await (await browser.newContext(PHONE)).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await provider?.close();
  });

  /** Ikrar's pages only: accessible, and no sideways scrolling at 360 px. */
  const check = async () => {
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
  };

  it('clicks "Masuk dengan SSO", logs in at the provider, lands signed in and signs', async () => {
    await page.goto(`${app.url}/masuk`);
    const login = await new SsoLoginPage(page).verifyOnPage();
    await check();
    await expect(login.ssoButton.textContent()).resolves.toBe(
      'Masuk dengan SSO Pemerintah Provinsi Jawa Tengah',
    );
    await expect(login.password.isVisible()).resolves.toBe(true);
    await login.ssoButton.tap();

    await page.waitForURL((url) => url.origin === provider.issuer);
    await (await new ProviderLoginPage(page).verifyOnPage()).logIn('dewi.lestari');

    await page.waitForURL((url) => url.origin === app.url && url.pathname === '/pakta');
    const myPacts = await new MyPactsPage(page).verifyOnPage();
    await check();
    await myPacts.readAndSign(ALL_ASN_PACT).tap();

    const pact = await new PactPage(page, ALL_ASN_PACT).verifyOnPage();
    await expect(pact.document.textContent()).resolves.toContain('Dewi Lestari');
    await expect(page.getByLabel('Kata sandi', { exact: true }).count()).resolves.toBe(0);
    await pact.signWithTypedName('Dewi Lestari');
    await new ReceiptPage(page).verifyOnPage();
    await check();
  });
});

import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_PASSWORD,
  type FocusedElement,
  focused,
  hasVisibleFocus,
  LoginPage,
  MyPactsPage,
  PactPage,
  ReceiptPage,
  tabUntil,
} from './pages/signing-pages.js';
import { expectAccessible, LAPTOP } from './support/browser.js';
import { useJourney } from './support/journey.js';

const ALL_ASN_PACT = /Aparatur Sipil Negara Pemerintah Provinsi Jawa Tengah/;

// Dewi Lestari (asn@ikrar.test) uses no mouse: she logs in, finds the all-ASN pact, consents and signs with her
// typed name (the drawing is optional and needs a pointer), with Tab, Shift+Tab, Space, Enter and typing only.
describe('a signer signs with the keyboard only', () => {
  const journey = useJourney();
  let page: Page;

  beforeAll(async () => {
    page = await (await journey.browser.newContext(LAPTOP)).newPage();
  });

  /** The element the keyboard is on must show it. */
  const expectFocusVisible = (el: FocusedElement | null) => {
    expect(hasVisibleFocus(el), `no visible focus on ${JSON.stringify(el)}`).toBe(true);
  };

  it('logs in, signs the pact with the typed name and lands on the receipt', async () => {
    await page.goto(`${journey.app.url}/masuk`);
    await new LoginPage(page).verifyOnPage();
    await expectAccessible(page);

    // The username field has the focus as the page opens (autofocus): type, Tab to the password, Enter.
    const username = await focused(page);
    expect(username?.id).toBe('username');
    expectFocusVisible(username);
    await page.keyboard.type('asn@ikrar.test');
    expectFocusVisible(await tabUntil(page, (el) => el.id === 'password', { max: 1 }));
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/pakta');

    await new MyPactsPage(page).verifyOnPage();
    await expectAccessible(page);
    // The first Tab reaches the skip link, which shows itself and takes the keyboard past the menu.
    const skip = await tabUntil(page, (el) => el.tag === 'a', { max: 1 });
    expect(skip.text).toBe('Langsung ke konten utama');
    expectFocusVisible(skip);
    await page.keyboard.press('Enter');
    // Following an in-page link updates the address a moment after the key press.
    await page.waitForURL((url) => url.hash === '#konten', { timeout: 5000 });
    const link = await tabUntil(page, (el) => el.tag === 'a' && el.text === 'Baca dan tandatangani');
    expectFocusVisible(link);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/pakta\/\d+$/);

    const pact = await new PactPage(page, ALL_ASN_PACT).verifyOnPage();
    await expectAccessible(page);
    expectFocusVisible(await tabUntil(page, (el) => el.id === 'consent'));
    await page.keyboard.press('Space');
    await expect(pact.consent.isChecked()).resolves.toBe(true);

    // The privacy notice is linked under the consent it explains, one stop before the name.
    expectFocusVisible(
      await tabUntil(page, (el) => el.tag === 'a' && el.text === 'baca pemberitahuan privasi', { max: 1 }),
    );
    expectFocusVisible(await tabUntil(page, (el) => el.id === 'full_name', { max: 1 }));
    await page.keyboard.type('Dewi Lestari');

    // Past the drawing's "clear" button to the submit button, back with Shift+Tab, and forward again.
    const clear = await tabUntil(page, (el) => el.tag === 'button', { max: 1 });
    expect(clear.text).toBe('Hapus gambar');
    expectFocusVisible(clear);
    const submit = await tabUntil(page, (el) => el.tag === 'button', { max: 1 });
    expect(submit.text).toBe('Tandatangani pakta');
    expectFocusVisible(submit);
    await tabUntil(page, (el) => el.text === 'Hapus gambar', { backwards: true, max: 1 });
    await tabUntil(page, (el) => el.text === 'Tandatangani pakta', { max: 1 });
    await expectAccessible(page);
    await page.keyboard.press('Enter');

    await page.waitForURL(ReceiptPage.PATH);
    const receipt = await new ReceiptPage(page).verifyOnPage();
    await expectAccessible(page);
    await expect(receipt.success.isVisible()).resolves.toBe(true);
    // Signed with the typed name only: no drawing on the receipt.
    await expect(receipt.typedOnly.isVisible()).resolves.toBe(true);
    await expect(receipt.signatureImage.count()).resolves.toBe(0);
    // The PDF link can be reached from the keyboard too.
    expectFocusVisible(await tabUntil(page, (el) => el.text === 'Unduh PDF'));
    expect((await focused(page))?.tag).toBe('a');
  });
});

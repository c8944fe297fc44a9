import type { BrowserContext, Page, Route } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { LoginPage, MyPactsPage, PactPage, ReceiptPage } from './pages/signing-pages.js';
import { expectAccessible, expectNoHorizontalScroll, PHONE } from './support/browser.js';
import { ALL_ASN_PACT } from './support/demo.js';
import { useJourney } from './support/journey.js';

const NAME_MISSING = 'Nama lengkap wajib diisi.';
/** The pact's heading, printed under "PAKTA INTEGRITAS" as on paper. */
const PACT_HEADING = new RegExp(`${ALL_ASN_PACT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

// Dewi Lestari (asn@ikrar.test) signs the all-ASN pact on a phone, scrolls past the long pact to the form, ticks the
// box and draws her signature but forgets her name. The page comes back with the problem in front of her (not at
// the top of the pact with the message 1,500 px below), a link takes her to the field, what she did is still there,
// and the button she taps says it is saving and cannot be tapped twice.
describe('a signer fixes the signing form on a phone', () => {
  const journey = useJourney();
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    context = await journey.browser.newContext(PHONE);
    page = await context.newPage();
  });

  /** What has the focus: 'summary' for the error summary, else the element's id. */
  const focusedOn = () =>
    page.evaluate<string | null>(
      `(() => { const el = document.activeElement; return !el || el === document.body ? null : el.matches('[data-error-summary]') ? 'summary' : el.id; })()`,
    );

  /**
   * Waits until the expression is true in the page; fails after 5 s. (Not page.waitForFunction: its polling
   * evaluates a string, which the pages' CSP refuses.) Not while the page is being left: evaluate waits then.
   */
  const until = async (what: string, expression: string) => {
    for (const started = Date.now(); Date.now() - started < 5000; ) {
      if (await page.evaluate<boolean>(expression)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`never true: ${what}`);
  };

  /** Waits until the whole of the element is on screen (the page scrolls smoothly, as Bootstrap asks). */
  const expectOnScreen = (selector: string) =>
    until(
      `${selector} on screen`,
      `(() => { const r = document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect(); return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; })()`,
    );

  it('sees what is missing, goes to it, keeps what she did, and signs with one tap', async () => {
    await page.goto(`${journey.app.url}/masuk`);
    await (await new LoginPage(page).verifyOnPage()).logIn('asn@ikrar.test');
    await (await new MyPactsPage(page).verifyOnPage()).readAndSign(ALL_ASN_PACT).tap();
    const pact = await new PactPage(page, PACT_HEADING).verifyOnPage();

    await pact.consent.tap();
    await pact.drawSignature({ touch: true });
    await Promise.all([page.waitForURL(/\/tanda-tangan$/), pact.submit.click()]);

    // Back with the problem: the summary has the focus (a screen reader reads it) and is on screen.
    const summary = page.getByRole('alert').filter({ hasText: 'Ada isian yang perlu diperbaiki' });
    await summary.waitFor();
    await expect(focusedOn()).resolves.toBe('summary');
    await expectOnScreen('[data-error-summary]');
    await expect(summary.textContent()).resolves.toContain(NAME_MISSING);
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);

    // What she did is kept: the box is ticked and her drawing is back on the pad.
    await expect(pact.consent.isChecked()).resolves.toBe(true);
    await expect(pact.inkedPixels()).resolves.toBeGreaterThan(100);

    // The summary's link takes her 1,500 px down, into the name field, with its label in view.
    await summary.getByRole('link', { name: NAME_MISSING }).tap();
    await expect(focusedOn()).resolves.toBe('full_name');
    await expectOnScreen('#full_name');
    await expectOnScreen('label[for="full_name"]');
    // The message sits beside the field too.
    await expect(page.locator('#full_name-error').textContent()).resolves.toBe(NAME_MISSING);
    await page.keyboard.type('Dewi Lestari');

    // The signing is held on its way to the server, so that the button can be seen as it is meanwhile. The page
    // reports the button as it changes (page.evaluate waits while a navigation is on its way).
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route(/\/tanda-tangan$/, async (route: Route) => {
      await held;
      await route.continue();
    });
    let reported: (state: { disabled: boolean; text: string }) => void = () => {};
    const busy = new Promise<{ disabled: boolean; text: string }>((resolve) => {
      reported = resolve;
    });
    await page.exposeFunction('reportSubmitButton', (state: { disabled: boolean; text: string }) =>
      reported(state),
    );
    await page.evaluate(`(() => {
      const b = document.querySelector('form.needs-signature-pad button[type="submit"]');
      new MutationObserver(() => {
        if (b.disabled) window.reportSubmitButton({ disabled: b.disabled, text: b.textContent.trim() });
      }).observe(b, { attributes: true, childList: true, characterData: true, subtree: true });
    })()`);
    const sent = pact.submit.click();
    await expect(busy).resolves.toEqual({ disabled: true, text: 'Menyimpan…' });

    release();
    await sent;
    await page.waitForURL(ReceiptPage.PATH);
    const receipt = await new ReceiptPage(page).verifyOnPage();
    await expect(receipt.success.isVisible()).resolves.toBe(true);
    await expect(receipt.signatureImage.isVisible()).resolves.toBe(true);
  });
});

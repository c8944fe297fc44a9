import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { popplerLines, popplerPageCount } from '../helpers/poppler.js';
import { LoginPage, MyPactsPage, PactPage, ReceiptPage } from './pages/signing-pages.js';
import { expectAccessible, expectNoHorizontalScroll, PHONE } from './support/browser.js';
import { useJourney } from './support/journey.js';

const HEADS_PACT = /Kepala Perangkat Daerah/;

// The head of DISKOMINFO (kepala@ikrar.test, who has not signed the heads pact in the demo) signs it on a phone:
// logs in, reads the pact, consents, types their name, draws a signature with a finger, and keeps the PDF receipt.
describe('a Kepala OPD signs the heads pact on a phone', () => {
  const journey = useJourney();
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    context = await journey.browser.newContext({ ...PHONE, acceptDownloads: true });
    page = await context.newPage();
  });

  /** Every page the journey visits: accessible, and no sideways scrolling at 360 px. */
  const check = async () => {
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
  };

  it('logs in, signs with a drawn signature and downloads the PDF receipt', async () => {
    await page.goto(`${journey.app.url}/masuk`);
    const login = await new LoginPage(page).verifyOnPage();
    await check();
    await login.logIn('kepala@ikrar.test');

    const myPacts = await new MyPactsPage(page).verifyOnPage();
    await check();
    await myPacts.readAndSign(HEADS_PACT).tap();

    const pact = await new PactPage(page, HEADS_PACT).verifyOnPage();
    await check();
    // Reads it: the paper names the signer, and the body is there to scroll through before the form.
    await expect(pact.document.textContent()).resolves.toContain('Bambang Setiawan');
    await expect(pact.document.textContent()).resolves.toContain('Dinas Komunikasi dan Informatika');
    await pact.document.locator('.pact-signature-block').scrollIntoViewIfNeeded();

    await pact.consent.tap();
    await expect(pact.consent.isChecked()).resolves.toBe(true);
    await pact.fullName.tap();
    await pact.fullName.pressSequentially('Bambang Setiawan');
    await pact.drawSignature({ touch: true });
    await expect(pact.inkedPixels()).resolves.toBeGreaterThan(100);
    await check();

    // Clicked, not tapped: after the finger stroke (sent through CDP), Chromium's gesture detection swallowed
    // Playwright's tap on the button in about half the runs (no request at all); a click always arrives.
    await Promise.all([page.waitForURL(ReceiptPage.PATH), pact.submit.click()]);
    const receipt = await new ReceiptPage(page).verifyOnPage();
    await check();
    await expect(receipt.success.isVisible()).resolves.toBe(true);
    // The drawing is on the receipt, not the typed-name note.
    await expect(receipt.signatureImage.isVisible()).resolves.toBe(true);
    const src = (await receipt.signatureImage.getAttribute('src')) ?? '';
    expect(src).toMatch(/^data:image\/png;base64,/);
    expect(src.length).toBeGreaterThan(500);
    await expect(receipt.typedOnly.count()).resolves.toBe(0);

    const { download, bytes } = await receipt.downloadPdf();
    // The file is named after the receipt code as printed (in groups of four).
    expect(download.suggestedFilename().replaceAll('-', '')).toBe(`tandaterima${receipt.code()}.pdf`);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bytes.length).toBeGreaterThan(5_000);
    // One sheet, as the paper pact: the signature and the QR code do not fall onto a page of their own.
    expect(popplerPageCount(bytes)).toBe(1);
    const sheet = popplerLines(bytes, 1).join('\n');
    expect(sheet).toContain('Bambang Setiawan');
    expect(sheet).toContain(`Kode tanda terima: ${receipt.code().replace(/(.{4})(?=.)/g, '$1-')}`);
  });

  it('prints the receipt with "Cetak" and goes on to the pact for all ASN, thanked only once', async () => {
    const receipt = await new ReceiptPage(page).verifyOnPage();
    // The print dialog cannot be driven headless: count the calls instead.
    await page.evaluate('window.printed = 0; window.print = () => { window.printed += 1; };');
    await expect(receipt.printButton.isVisible()).resolves.toBe(true);
    await receipt.printButton.click();
    await expect(page.evaluate('window.printed')).resolves.toBe(1);

    await page.reload();
    await new ReceiptPage(page).verifyOnPage();
    await expect(receipt.success.count()).resolves.toBe(0);
    await expect(receipt.nextPact.textContent()).resolves.toMatch(
      /Pakta Integritas Netralitas Aparatur Sipil/,
    );
    await Promise.all([
      page.waitForURL(/\/pakta\/\d+$/),
      receipt.nextPact.getByRole('link', { name: 'Baca dan tandatangani' }).click(),
    ]);
    await new PactPage(page, /Aparatur Sipil Negara/).verifyOnPage();
    await check();
  });
});

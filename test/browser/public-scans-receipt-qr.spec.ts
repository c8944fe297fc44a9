import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { LoginPage, MyPactsPage, PactPage, ReceiptPage, VerificationPage } from './pages/signing-pages.js';
import { expectAccessible, expectNoHorizontalScroll, LAPTOP, PHONE } from './support/browser.js';
import { useJourney } from './support/journey.js';

const ALL_ASN_PACT = /Aparatur Sipil Negara Pemerintah Provinsi Jawa Tengah/;

// Dewi Lestari (asn@ikrar.test) signs the all-ASN pact on her laptop; a member of the public, on their own phone,
// scans the QR code on her receipt and sees that the receipt is valid, with her NIP masked.
describe('a member of the public scans the QR code of a receipt', () => {
  const journey = useJourney();
  let signer: Page;
  let code: string;
  let signerNip: string;
  let qrText: string | null;

  beforeAll(async () => {
    signer = await (await journey.browser.newContext(LAPTOP)).newPage();
  });

  it('signs as Dewi Lestari and shows the receipt with its QR code', async () => {
    await signer.goto(`${journey.app.url}/masuk`);
    const login = await new LoginPage(signer).verifyOnPage();
    await expectAccessible(signer);
    await login.logIn('asn@ikrar.test');

    const myPacts = await new MyPactsPage(signer).verifyOnPage();
    await expectAccessible(signer);
    await myPacts.readAndSign(ALL_ASN_PACT).click();

    const pact = await new PactPage(signer, ALL_ASN_PACT).verifyOnPage();
    await expectAccessible(signer);
    await pact.consent.check();
    await pact.fullName.fill('Dewi Lestari');
    await pact.submit.click();

    await signer.waitForURL(ReceiptPage.PATH);
    const receipt = await new ReceiptPage(signer).verifyOnPage();
    await expectAccessible(signer);
    code = receipt.code();
    // Her full NIP, as the receipt (hers alone) prints it under the signature.
    signerNip = ((await receipt.nip.textContent()) ?? '').replace('NIP.', '').trim();
    expect(signerNip.replace(/\s/g, '')).toMatch(/^\d{18}$/);
    await expect(receipt.qr.isVisible()).resolves.toBe(true);
    qrText = await receipt.scanQr();
  });

  it('decodes the QR code to the public verification address of this receipt', () => {
    const grouped = code.replace(/(.{4})(?=.)/g, '$1-');
    expect(qrText).toBe(`${journey.app.url}/verifikasi/${grouped}`);
  });

  it('opens the address on their own phone, without logging in, and sees the receipt is valid', async () => {
    const context = await journey.browser.newContext(PHONE);
    const page = await context.newPage();
    const response = await page.goto(qrText as string);
    expect(response?.status()).toBe(200);
    const verification = await new VerificationPage(page).verifyOnPage();
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);

    await expect(verification.status.textContent()).resolves.toMatch(/^\s*SAH\b/);
    await expect(verification.fact('Nama').textContent()).resolves.toBe('Dewi Lestari');
    // The NIP is masked: only its last three digits show, and the full NIP is nowhere on the page.
    const nip = ((await verification.fact('NIP').textContent()) ?? '').trim();
    expect(nip).toBe(`******** ****** * ${signerNip.slice(-3)}`);
    await expect(page.content()).resolves.not.toContain(signerNip);
    await expect(page.content()).resolves.not.toContain(signerNip.replace(/\s/g, ''));
    // Nothing that belongs to the signer alone: no drawing, no receipt-only actions.
    await expect(page.getByRole('link', { name: 'Unduh PDF' }).count()).resolves.toBe(0);
    await context.close();
  });
});

import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, LoginPage } from './pages/signing-pages.js';
import { expectAccessible, expectNoHorizontalScroll, PHONE } from './support/browser.js';
import { useJourney } from './support/journey.js';

const WEAK = 'semarang12345';
const STRONG = 'sepeda biru melintas jembatan kayu';

// Dewi Lestari (asn@ikrar.test) changes her password on her phone. The meter under the new password says how
// guessable it is as she types, by the same estimate the server applies when she saves.
describe('a signer chooses a new password with the strength meter', () => {
  const journey = useJourney();
  let page: Page;

  beforeAll(async () => {
    page = await (await journey.browser.newContext(PHONE)).newPage();
    await page.goto(`${journey.app.url}/masuk`);
    await new LoginPage(page).logIn('asn@ikrar.test');
  });

  const strength = () => page.locator('#new_password-strength');

  it('shows the meter once she reaches the field, and says what the server will of what she types', async () => {
    await page.goto(`${journey.app.url}/akun`);
    const meter = page.locator('[data-password-meter] meter');
    const field = page.getByLabel('Kata sandi baru', { exact: true });
    await expect(meter.isHidden()).resolves.toBe(true);
    // The field names the verdict, for a screen reader.
    expect(await field.getAttribute('aria-describedby')).toContain('new_password-strength');

    await field.fill(WEAK);
    await meter.waitFor({ state: 'visible' });
    await strength()
      .filter({ hasText: /ditebak/ })
      .waitFor();
    expect(await strength().textContent()).not.toContain('diterima');

    // The server's rules before the estimate: her own name, and the length.
    await field.fill('lestari di pantai marina');
    await strength().filter({ hasText: 'Memuat NIP, nama, atau nama email Anda' }).waitFor();
    await field.fill('k8#Lq2@x');
    await strength().filter({ hasText: 'Terlalu pendek' }).waitFor();

    await field.fill(STRONG);
    await strength().filter({ hasText: 'diterima' }).waitFor();
    expect(Number(await meter.getAttribute('value'))).toBeGreaterThanOrEqual(3);
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
  });

  it('is refused by the server with the same verdict, and accepted once strong', async () => {
    await page.goto(`${journey.app.url}/akun`);
    await page.getByLabel('Kata sandi saat ini').fill(DEMO_PASSWORD);
    await page.getByLabel('Kata sandi baru', { exact: true }).fill(WEAK);
    await page.getByLabel('Ulangi kata sandi baru').fill(WEAK);
    await page.getByRole('button', { name: 'Simpan kata sandi' }).click();
    await expect(page.getByText('terlalu mudah ditebak').first().isVisible()).resolves.toBe(true);

    await page.getByLabel('Kata sandi saat ini').fill(DEMO_PASSWORD);
    await page.getByLabel('Kata sandi baru', { exact: true }).fill(STRONG);
    await page.getByLabel('Ulangi kata sandi baru').fill(STRONG);
    await page.getByRole('button', { name: 'Simpan kata sandi' }).click();
    await expect(page.getByText('Kata sandi berhasil diganti').isVisible()).resolves.toBe(true);
  });
});

import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from './pages/signing-pages.js';
import { expectAccessible, expectNoHorizontalScroll, PHONE } from './support/browser.js';
import { useJourney } from './support/journey.js';
import { expectLanguage } from './support/languages.js';

// Bambang Setiawan (kepala@ikrar.test) reads English better than Indonesian. On his phone (which asks for Indonesian)
// he switches to English from the header of the home page, signs in, and reads his pacts in English; later, on the
// form the header shows him signed in, he switches back. Only "Home" is relied on of the English texts: the rest is
// found by what it is (a field's name, a link's address).
describe('a reader switches to English on a phone, then signs in', () => {
  const journey = useJourney();
  let page: Page;

  beforeAll(async () => {
    page = await (await journey.browser.newContext(PHONE)).newPage();
  });

  const languageSwitch = () => page.getByRole('navigation', { name: /^(Pilihan bahasa|Language)$/ });

  it('finds the switch in the header without opening the menu, and the page turns English', async () => {
    await page.goto(journey.app.url);
    await expectLanguage(page, 'id');
    const english = languageSwitch().getByRole('link', { name: 'English' });
    await expect(english.isVisible()).resolves.toBe(true);
    expect(await english.getAttribute('lang')).toBe('en');
    await Promise.all([page.waitForURL(`${journey.app.url}/`), english.click()]);
    await expectLanguage(page, 'en');
    await expect(languageSwitch().locator('[aria-current="true"]').textContent()).resolves.toBe('English');
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
  });

  it('signs in and reads his pacts in English', async () => {
    await page.goto(`${journey.app.url}/masuk`);
    await expectLanguage(page, 'en');
    await page.locator('input[name="username"]').fill('kepala@ikrar.test');
    await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
    await Promise.all([
      page.waitForURL(`${journey.app.url}/pakta`),
      page.getByRole('main').locator('button[type="submit"]').click(),
    ]);
    await expectLanguage(page, 'en');
    await page.getByRole('button', { name: /menu/i }).click();
    await expect(
      page.getByRole('navigation').getByRole('link', { name: 'Home', exact: true }).isVisible(),
    ).resolves.toBe(true);
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
  });

  it('switches back with the form the header shows him signed in, and stays in Indonesian', async () => {
    const indonesian = languageSwitch().getByRole('button', { name: 'Bahasa Indonesia' });
    expect(await indonesian.getAttribute('lang')).toBe('id');
    await Promise.all([page.waitForURL(`${journey.app.url}/pakta`), indonesian.click()]);
    await expectLanguage(page, 'id');
    await page.goto(`${journey.app.url}/akun`);
    await expectLanguage(page, 'id');
  });
});

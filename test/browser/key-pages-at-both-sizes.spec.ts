import { describe, expect, it } from 'vitest';
import { expectAccessible, expectNoHorizontalScroll, LAPTOP, PHONE, screenshot } from './support/browser.js';
import { useJourney } from './support/journey.js';
import { expectLanguage, inLanguage, PAGE_LANGUAGES, readIn } from './support/languages.js';

/** The public pages people judge the product by, at a phone's width and a laptop's. */
const PAGES = [
  { name: 'beranda', path: '/' },
  { name: 'berita', path: '/berita' },
  { name: 'kepatuhan', path: '/kepatuhan' },
  { name: 'kepatuhan-pakta-1', path: '/kepatuhan/1' },
  { name: 'layar-pakta-1', path: '/kepatuhan/1/layar' },
  { name: 'kepatuhan-kesepakatan-1', path: '/kepatuhan/kesepakatan/1' },
  { name: 'masuk', path: '/masuk' },
  { name: 'aktivasi', path: '/aktivasi' },
  { name: 'verifikasi', path: '/verifikasi' },
  { name: 'verifikasi-berkas', path: '/verifikasi/berkas' },
  { name: 'privasi', path: '/privasi' },
] as const;

// Anyone on a cheap phone or a laptop, reading Indonesian or English: the key pages fit the screen (no sideways
// scrolling at 360 px), pass axe, and are kept as screenshots (screenshots/, git-ignored; `-en` for English).
describe('the key pages at 360×800 and 1366×768, in both languages', () => {
  const journey = useJourney();

  for (const [size, options] of [
    ['phone', PHONE],
    ['laptop', LAPTOP],
  ] as const) {
    for (const language of PAGE_LANGUAGES) {
      it(`fit a ${size}, pass axe and are kept as screenshots (${language})`, async () => {
        const context = await journey.browser.newContext(options);
        try {
          await readIn(context, journey.app.url, language);
          const page = await context.newPage();
          for (const { name, path } of PAGES) {
            await page.goto(`${journey.app.url}${path}`);
            await page.getByRole('heading', { level: 1 }).first().waitFor();
            await expectLanguage(page, language);
            await expectAccessible(page);
            await expectNoHorizontalScroll(page);
            await screenshot(page, inLanguage(name, language));
          }
        } finally {
          await context.close();
        }
      });
    }
  }

  it('on a phone, open and close the menu with its button', async () => {
    const context = await journey.browser.newContext(PHONE);
    try {
      const page = await context.newPage();
      await page.goto(journey.app.url);
      const button = page.getByRole('button', { name: 'Buka/tutup menu' });
      const news = page
        .getByRole('navigation', { name: 'Navigasi utama' })
        .getByRole('link', { name: 'Berita' });
      await expect.poll(() => news.isVisible()).toBe(false);
      await button.click();
      await expect.poll(() => news.isVisible()).toBe(true);
      expect(await button.getAttribute('aria-expanded')).toBe('true');
      await button.click();
      await expect.poll(() => news.isVisible()).toBe(false);
      expect(await button.getAttribute('aria-expanded')).toBe('false');
    } finally {
      await context.close();
    }
  });
});

import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ComplianceListPage,
  HomePage,
  NewsListPage,
  PactCompliancePage,
  PostPage,
} from './pages/public-pages.js';
import { expectAccessible, expectNoHorizontalScroll, LAPTOP, PHONE } from './support/browser.js';
import { useJourney } from './support/journey.js';

// A member of the public on a phone: reads the home page, opens an announcement, searches the news, and sees which
// OPD heads have not signed the demo pact.
describe('a member of the public reads the news and the compliance list', () => {
  const journey = useJourney();
  let page: Page;

  beforeAll(async () => {
    page = await (await journey.browser.newContext(PHONE)).newPage();
  });

  /** Every page the journey visits: accessible, and no sideways scrolling at 360 px. */
  const check = async () => {
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
  };

  it('reads the home page and opens a pinned announcement', async () => {
    await page.goto(journey.app.url);
    const home = await new HomePage(page).verifyOnPage();
    await check();
    await expect(home.section('Berita terbaru').getByRole('article').count()).resolves.toBeGreaterThan(0);

    const announcement = home.firstAnnouncement();
    const title = ((await announcement.textContent()) ?? '').trim();
    await announcement.click();
    await new PostPage(page, title).verifyOnPage();
    await check();
  });

  it('searches the news', async () => {
    await page.goto(`${journey.app.url}/berita`);
    const news = await new NewsListPage(page).verifyOnPage();
    await check();
    await news.search('netralitas');
    await expect(news.results().count()).resolves.toBeGreaterThan(0);
    await expect(page.getByText(/hasil untuk “netralitas”/).isVisible()).resolves.toBe(true);
    await check();
  });

  it('on a laptop, finds the news cards of a row lined up whether or not they have a cover', async () => {
    const laptop = await (await journey.browser.newContext(LAPTOP)).newPage();
    await laptop.goto(`${journey.app.url}/berita`);
    const news = await new NewsListPage(laptop).verifyOnPage();
    const rows = await news.cardRows();
    // The demo has posts with and without covers side by side.
    const mixed = rows.filter((row) => row.length === 2 && row[0]?.cover !== row[1]?.cover);
    expect(mixed.length).toBeGreaterThan(0);
    // A card without a cover has a band as tall as its neighbour's cover: both titles start at the same height.
    for (const row of rows) {
      const tops = row.map((card) => card.textTop);
      expect(Math.max(...tops) - Math.min(...tops)).toBeLessThanOrEqual(1);
    }
    await laptop.context().close();
  });

  it('sees which OPD heads have not signed the heads pact', async () => {
    await page.goto(`${journey.app.url}/kepatuhan`);
    await new ComplianceListPage(page).verifyOnPage();
    await check();
    const heads = page.getByRole('link', { name: /Kepala Perangkat Daerah/ }).first();
    const title = ((await heads.textContent()) ?? '').trim();
    await heads.click();
    const pact = await new PactCompliancePage(page, title).verifyOnPage();
    await check();
    // DISKOMINFO's head (kepala@ikrar.test) has not signed in the demo.
    const row = pact.table().getByRole('row', { name: /Dinas Komunikasi dan Informatika/ });
    await expect(row.textContent()).resolves.toMatch(/Belum/);
  });
});

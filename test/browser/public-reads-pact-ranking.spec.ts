import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectAccessible, LAPTOP, PHONE, screenshot } from './support/browser.js';
import { useJourney } from './support/journey.js';
import { expectNoClippedCells } from './support/tables.js';

/** The demo's open pacts (seeded in this order): for heads, and for all ASN; both reach the 35 kabupaten/kota. */
const HEADS_PACT = 1;
const ALL_ASN_PACT = 2;

/** The units of the table's rows, in order, as the page names them. */
async function rowNames(page: Page): Promise<string[]> {
  return [
    ...(await page.content()).matchAll(
      /<th scope="row" class="[^"]*table-stack-title[^"]*" data-label="">([^<]*)</g,
    ),
  ].map((m) => (m[1] ?? '').trim().replace(/&amp;/g, '&'));
}

/** Whether the element's box lies within the viewport's width (nobody scrolls sideways to see it). */
async function withinWidth(page: Page, selector: string): Promise<boolean> {
  const box = await page.locator(selector).first().boundingBox();
  const width = page.viewportSize()?.width ?? 0;
  return box !== null && box.width > 0 && box.x >= 0 && box.x + box.width <= width + 1;
}

// A journalist, on a phone and on a laptop, reads a pact's public page: which units are furthest behind (the
// ranking), where the kabupaten/kota stand (the map), the table sorted as they choose, and the same table as a file.
describe('a member of the public reads the ranking, the map and the table of a pact', () => {
  const journey = useJourney();

  for (const [size, options] of [
    ['phone', PHONE],
    ['laptop', LAPTOP],
  ] as const) {
    it(`sees the chart, the map and every cell of the table on a ${size}`, async () => {
      const context = await journey.browser.newContext(options);
      const page = await context.newPage();
      try {
        for (const pact of [HEADS_PACT, ALL_ASN_PACT]) {
          const response = await page.goto(`${journey.app.url}/kepatuhan/${pact}`);
          expect(response?.status()).toBe(200);
          await expect(
            page.getByText(/^Data per \d+ \w+ \d{4} pukul \d\d\.\d\d WIB$/).isVisible(),
          ).resolves.toBe(true);
          await expect(page.locator('.rank-chart-row').first().isVisible()).resolves.toBe(true);
          await expect(page.locator('.rank-chart-row').first().textContent()).resolves.toMatch(/\d+(,\d)?%/);
          await expect(withinWidth(page, '.rank-chart')).resolves.toBe(true);
          await expect(
            page.getByRole('img', { name: /Peta kabupaten\/kota Jawa Tengah/ }).isVisible(),
          ).resolves.toBe(true);
          await expect(withinWidth(page, '.tile-map-svg')).resolves.toBe(true);
          expect(await page.locator('.tile-map-svg g').count()).toBe(35);
          await expect(page.getByRole('table').isVisible()).resolves.toBe(true);
          await screenshot(page, `kepatuhan-${pact}-peringkat`);
          await expectNoClippedCells(page, 'main table', `/kepatuhan/${pact} (${size})`);
          await expectAccessible(page);
        }
      } finally {
        await context.close();
      }
    });
  }

  it('sorts the table by a column header on a laptop, and downloads what it shows', async () => {
    const context = await journey.browser.newContext({ ...LAPTOP, acceptDownloads: true });
    const page = await context.newPage();
    try {
      await page.goto(`${journey.app.url}/kepatuhan/${ALL_ASN_PACT}`);
      const table = page.getByRole('table');
      await expect(
        table.getByRole('columnheader', { name: 'Belum' }).getAttribute('aria-sort'),
      ).resolves.toBe('descending');
      await table.getByRole('link', { name: 'Persentase' }).click();
      await page.waitForURL(/urut=persen&arah=naik/);
      const percent = page.getByRole('table').getByRole('columnheader', { name: /Persentase/ });
      await expect(percent.getAttribute('aria-sort')).resolves.toBe('ascending');
      const shares = await page
        .locator('table tbody td[data-label="Persentase"]')
        .allTextContents()
        .then((cells) => cells.map((cell) => Number(cell.replace('%', '').replace(',', '.'))));
      expect(shares).toEqual([...shares].sort((a, b) => a - b));
      await expectNoClippedCells(page, 'main table');

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Unduh tabel ini (CSV)' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(
        new RegExp(`^kepatuhan-${ALL_ASN_PACT}-v1-\\d{4}-\\d{2}-\\d{2}\\.csv$`),
      );
      const [header, ...rows] = parse(readFileSync(await download.path()), {
        delimiter: ';',
        bom: true,
      }) as string[][];
      expect(header).toEqual(['Unit kerja', 'Jenis', 'Wajib', 'Sudah', 'Belum', 'Persentase']);
      // The file's rows in the page's order, with the shares as the page shows them.
      expect(rows.map((row) => row[0])).toEqual(await rowNames(page));
      expect(rows.map((row) => Number(row[5]?.replace('%', '').replace(',', '.')))).toEqual(shares);
    } finally {
      await context.close();
    }
  });

  it('sorts the stacked table on a phone with the sort form', async () => {
    const context = await journey.browser.newContext(PHONE);
    const page = await context.newPage();
    try {
      await page.goto(`${journey.app.url}/kepatuhan/${ALL_ASN_PACT}`);
      await page.getByLabel('Urutkan menurut').selectOption('nama');
      await page.getByLabel('Arah').selectOption('turun');
      await page.getByRole('button', { name: 'Urutkan', exact: true }).click();
      await page.waitForURL(/urut=nama&arah=turun/);
      const names = await rowNames(page);
      expect(names.length).toBeGreaterThan(10);
      // As the app compares names: lower-cased, letter by letter.
      const key = (name: string) => name.toLocaleLowerCase('id');
      expect(names).toEqual([...names].sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0)));
      await expectNoClippedCells(page, 'main table');
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });
});

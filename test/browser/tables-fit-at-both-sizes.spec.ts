import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LAPTOP, PHONE, screenshot } from './support/browser.js';
import { type Journey, loggedInContext, useJourney } from './support/journey.js';
import { expectNoClippedCells } from './support/tables.js';

const SIZES = { phone: PHONE, laptop: LAPTOP };
type Size = keyof typeof SIZES;

/** The demo's open pacts (seeded in this order): one for heads, one for all ASN; and its NPHD tracker. */
const HEADS_PACT = 1;
const ALL_ASN_PACT = 2;
const NPHD_AGREEMENT = 1;
/** The operator's unit: about 40% of it has signed the all-ASN pact, so its drill-down lists both kinds of people. */
const OWN_UNIT = 'Dinas Komunikasi dan Informatika';

/** Every table of the page's main content. */
const TABLES = 'main table';

/** A fresh context of this size, logged in as `email`. */
const loggedIn = (journey: Journey, size: Size, email: string) =>
  loggedInContext(journey, SIZES[size], email);

/** Opens `path` (200), keeps it as a screenshot, and checks that no cell of its tables is clipped. */
async function visit(page: Page, base: string, path: string, name: string): Promise<void> {
  const response = await page.goto(`${base}${path}`);
  expect(response?.status(), path).toBe(200);
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await screenshot(page, `tabel-${name}`);
  await expectNoClippedCells(page, TABLES, `${path} (${name})`);
}

/**
 * Runs in the page (as text: the test project has no DOM types): how the first row of the first stacked table in
 * `main` shows its cell of the column `label`: the cell's display, the name its `::before` shows ('none' for none),
 * its text, whether the value takes one line, how far across the cell it starts, and the height of the table's head.
 */
const STACKED_CELL = `(label) => {
  const cell = document.querySelector('main table.table-stack > tbody > tr > [data-label="' + label + '"]');
  if (!cell) return null;
  const style = getComputedStyle(cell);
  const before = getComputedStyle(cell, '::before');
  const range = document.createRange();
  range.selectNodeContents(cell);
  const value = range.getBoundingClientRect();
  const box = cell.getBoundingClientRect();
  const height = cell.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  const shown = before.display !== 'none' && before.visibility !== 'hidden' && /^"([^"]*)"/.exec(before.content);
  return {
    display: style.display,
    label: shown ? shown[1] : 'none',
    text: cell.textContent.trim(),
    oneLine: height < 1.5 * parseFloat(style.lineHeight),
    valueAt: (value.left - box.left) / box.width,
    head: cell.closest('table').tHead.getBoundingClientRect().height,
  };
}`;

interface StackedCell {
  display: string;
  label: string;
  text: string;
  oneLine: boolean;
  valueAt: number;
  head: number;
}

/**
 * On a phone, the first card of the page's stacked table reads "Belum" at the left and its number at the right, on
 * one line, and the table's head is out of sight.
 */
async function expectBelumBesideItsNumber(page: Page): Promise<void> {
  const cell = await page.evaluate<StackedCell | null>(`(${STACKED_CELL})('Belum')`);
  expect(cell, `a cell labelled Belum on ${page.url()}`).not.toBeNull();
  expect(cell?.display, page.url()).not.toBe('table-cell');
  expect(cell?.label, page.url()).toBe('Belum');
  expect(cell?.text, page.url()).toMatch(/^[\d.]+$/);
  expect(cell?.oneLine, `"Belum" and its number on one line on ${page.url()}`).toBe(true);
  expect(cell?.valueAt, `the number at the right on ${page.url()}`).toBeGreaterThan(0.5);
  expect(cell?.head, `the table's head on ${page.url()}`).toBeLessThanOrEqual(1);
}

/** On a laptop the same cell is an ordinary table cell, its column named by the table's head alone. */
async function expectBelumAColumn(page: Page): Promise<void> {
  const cell = await page.evaluate<StackedCell | null>(`(${STACKED_CELL})('Belum')`);
  expect(cell?.display, page.url()).toBe('table-cell');
  expect(cell?.label, page.url()).toBe('none');
  await expect(
    page.getByRole('main').getByRole('columnheader', { name: 'Belum' }).first().isVisible(),
  ).resolves.toBe(true);
}

/** The drill-down of the operator's unit in the all-ASN pact, as its link in the report leads to it. */
async function ownUnitPath(page: Page, base: string): Promise<string> {
  await page.goto(`${base}/admin/kepatuhan/${ALL_ASN_PACT}`);
  const href = await page
    .getByRole('main')
    .getByRole('link', { name: OWN_UNIT, exact: true })
    .getAttribute('href');
  expect(href).toMatch(/^\/admin\/kepatuhan\/\d+\/unit\/\d+$/);
  return href as string;
}

// The tables of the reports, the drill-down, the dashboard and the public compliance pages, on a cheap phone and on
// a laptop: every cell can be read where it is, without scrolling sideways (on a phone each row is a card).
describe('the tables at 360×800 and 1366×768', () => {
  const journey = useJourney();
  let unitPath: string;

  // First the operator reminds the people of her unit who have not signed the all-ASN pact, so that its drill-down
  // (people who signed and people who did not) and her dashboard show when each was last reminded: a date, the
  // widest thing in that column.
  it('the operator reminds her unit, whose drill-down lists both signed and unsigned people', async () => {
    const { context, page } = await loggedIn(journey, 'laptop', 'operator@ikrar.test');
    try {
      unitPath = await ownUnitPath(page, journey.app.url);
      await page.goto(`${journey.app.url}${unitPath}`);
      await expect(page.getByRole('heading', { name: /^Tanda tangan \([1-9]/ }).count()).resolves.toBe(1);
      await Promise.all([
        page.waitForEvent('load'),
        page
          .getByRole('button', { name: /^Kirim pengingat ke [\d.]+ orang yang belum menandatangani$/ })
          .click(),
      ]);
      const outstanding = page.getByRole('region', { name: /^Belum menandatangani/ });
      await expect
        .poll(
          async () => {
            await page.goto(`${journey.app.url}${unitPath}`);
            return outstanding.getByRole('cell', { name: /pukul/ }).count();
          },
          { timeout: 15_000 },
        )
        .toBeGreaterThan(0);
    } finally {
      await context.close();
    }
  });

  for (const size of ['phone', 'laptop'] as const) {
    it(`fit a ${size} for the admin: the reports, a unit's drill-down and the dashboard`, async () => {
      const base = journey.app.url;
      const { context, page } = await loggedIn(journey, size, 'admin@ikrar.test');
      try {
        await visit(page, base, '/admin/kepatuhan', `admin-kepatuhan-${size}`);
        await visit(page, base, `/admin/kepatuhan/${HEADS_PACT}`, `admin-laporan-1-${size}`);
        await visit(page, base, `/admin/kepatuhan/${ALL_ASN_PACT}`, `admin-laporan-2-${size}`);
        await (size === 'phone' ? expectBelumBesideItsNumber(page) : expectBelumAColumn(page));
        await visit(page, base, unitPath, `admin-laporan-2-unit-${size}`);
        await visit(page, base, '/admin', `admin-dasbor-${size}`);
      } finally {
        await context.close();
      }
    });

    it(`fit a ${size} for the operator: her dashboard and her unit's drill-down`, async () => {
      const base = journey.app.url;
      const { context, page } = await loggedIn(journey, size, 'operator@ikrar.test');
      try {
        await visit(page, base, '/admin', `operator-dasbor-${size}`);
        await visit(page, base, unitPath, `operator-laporan-2-unit-${size}`);
      } finally {
        await context.close();
      }
    });

    it(`fit a ${size} on the public compliance pages`, async () => {
      const base = journey.app.url;
      const context = await journey.browser.newContext(SIZES[size]);
      try {
        const page = await context.newPage();
        await visit(page, base, '/kepatuhan', `kepatuhan-${size}`);
        await visit(page, base, `/kepatuhan/${HEADS_PACT}`, `kepatuhan-1-${size}`);
        await visit(page, base, `/kepatuhan/${ALL_ASN_PACT}`, `kepatuhan-2-${size}`);
        await (size === 'phone' ? expectBelumBesideItsNumber(page) : expectBelumAColumn(page));
        await visit(
          page,
          base,
          `/kepatuhan/kesepakatan/${NPHD_AGREEMENT}`,
          `kepatuhan-kesepakatan-1-${size}`,
        );
      } finally {
        await context.close();
      }
    });
  }
});

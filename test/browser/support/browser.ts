import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Debian's Chromium: the tests never download a browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless, and quiet on the network (CI has none but the package mirrors). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Headless Chromium with a fresh profile. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export const PHONE = {
  viewport: { width: 360, height: 800 },
  isMobile: true,
  hasTouch: true,
  locale: 'id-ID',
};
export const LAPTOP = { viewport: { width: 1366, height: 768 }, locale: 'id-ID' };

/**
 * axe-core as it is built for browsers (axe.min.js, 580 kB), of the axe-core that @axe-core/playwright itself uses;
 * AxeBuilder would send its unminified source (1.3 MB), the same code: 140 instead of 220 ms to inject here.
 */
const fromAxePlaywright = createRequire(createRequire(import.meta.url).resolve('@axe-core/playwright'));
const AXE_SOURCE = readFileSync(fromAxePlaywright.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * What AxeBuilder evaluates in each frame before a run (twice, each time sending and compiling all of axe) once
 * injectAxe has put axe there.
 */
const AXE_INJECTED =
  'if (typeof window.axe === "undefined") throw new Error("axe-core is not in this frame")';

/**
 * axe-core in every frame of the page's current document, once: a later check of the same document reuses it. As
 * with AxeBuilder, a child frame that cannot take it (gone meanwhile) is left out; the page itself must.
 */
async function injectAxe(page: Page): Promise<void> {
  for (const frame of page.frames()) {
    try {
      if (await frame.evaluate<boolean>('typeof window.axe === "undefined"'))
        await frame.evaluate(AXE_SOURCE);
    } catch (err) {
      if (frame === page.mainFrame()) throw err;
    }
  }
}

/**
 * WCAG 2.1 A and AA, as axe-core knows them: the page must have no violation at all. Legacy mode runs axe in the
 * page itself instead of opening a blank page per run to reach cross-origin frames, which our pages never have:
 * a third faster. Every rule still runs on every element and every violation is reported with all its elements;
 * `resultTypes` only spares axe listing each element that passed (a selector for each), which nothing reads: a
 * quarter faster on pages with long tables. axe is injected once per document (injectAxe) rather than twice per
 * check by AxeBuilder, which then configures and runs it as before.
 */
export async function expectAccessible(page: Page): Promise<void> {
  await injectAxe(page);
  const results = await new AxeBuilder({ page, axeSource: AXE_INJECTED })
    // Before withTags, which adds runOnly to these options (options() replaces them).
    .options({ resultTypes: ['violations'] })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .setLegacyMode(true)
    .analyze();
  const found = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`,
  );
  expect(found, `axe on ${page.url()}`).toEqual([]);
}

/** Fails when the page scrolls sideways (content wider than the viewport). */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
  expect(overflow, `horizontal overflow on ${page.url()}`).toBeLessThanOrEqual(0);
}

/** Where journeys leave screenshots for people to look at (git-ignored). */
export const SCREENSHOTS = 'screenshots';

/**
 * A full-page screenshot named after the page and the viewport, e.g. screenshots/beranda-360x800.png. Images that
 * load lazily (below the fold) are loaded first, as they would be by the time someone scrolled to them.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const size = page.viewportSize();
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.evaluate(`Promise.all([...document.querySelectorAll('img[loading="lazy"]')].map((img) => {
    img.loading = 'eager';
    return img.decode().catch(() => undefined);
  }))`);
  await page.screenshot({
    path: join(SCREENSHOTS, `${name}-${size?.width ?? 0}x${size?.height ?? 0}.png`),
    fullPage: true,
  });
}

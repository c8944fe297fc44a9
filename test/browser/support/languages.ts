import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { LANGUAGES, type Language } from '../../../src/web/i18n.js';

/** Every language a page is checked in: Indonesian (the instance's) first, then English. */
export const PAGE_LANGUAGES: readonly Language[] = LANGUAGES;

/** A page's name for its screenshot or report in a language: Indonesian keeps the name, English adds `-en`. */
export const inLanguage = (name: string, language: Language): string =>
  language === 'id' ? name : `${name}-${language}`;

/** The switch's cookie for an HTTP client (Lighthouse): what a browser that chose `language` sends. */
export const languageCookie = (language: Language): string => `lang=${language}`;

/**
 * Has every page of the context asked for in `language`, as the switch in the header leaves a browser: its `lang`
 * cookie (whatever the context's own Accept-Language).
 */
export async function readIn(context: BrowserContext, baseUrl: string, language: Language): Promise<void> {
  await context.clearCookies({ name: 'lang' });
  await context.addCookies([{ name: 'lang', value: language, url: baseUrl }]);
}

/** Fails unless the page says it is written in `language` (`<html lang>`). */
export async function expectLanguage(page: Page, language: Language): Promise<void> {
  expect(await page.locator('html').getAttribute('lang'), page.url()).toBe(language);
}

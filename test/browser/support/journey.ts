import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { LoginPage } from '../pages/signing-pages.js';
import { type RunningApp, startApp } from './app.js';
import { launchBrowser } from './browser.js';

export interface Journey {
  app: RunningApp;
  browser: Browser;
}

/**
 * One journey file's app and Chromium, started together before its tests and stopped after them. Read them inside
 * hooks and tests (they exist once the first beforeAll has run).
 */
export function useJourney(): Journey {
  const journey = {} as Journey;
  beforeAll(async () => {
    [journey.app, journey.browser] = await Promise.all([startApp(), launchBrowser()]);
  });
  afterAll(async () => {
    await journey.browser?.close();
    await journey.app?.stop();
  });
  return journey;
}

/** A fresh browser context of this size (viewport options), logged in through the login page as `email`. */
export async function loggedInContext(
  journey: Journey,
  size: BrowserContextOptions,
  email: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await journey.browser.newContext(size);
  const page = await context.newPage();
  await page.goto(`${journey.app.url}/masuk`);
  await (await new LoginPage(page).verifyOnPage()).logIn(email);
  return { context, page };
}

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
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

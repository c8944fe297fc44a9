import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * A page as a person sees it. `verifyOnPage` checks that the browser really shows this page (its main heading)
 * before a journey acts on it, so a journey that lands elsewhere fails where it went wrong.
 */
export abstract class PageObject {
  constructor(readonly page: Page) {}

  /** The page's one level-1 heading. */
  get heading(): Locator {
    return this.page.getByRole('heading', { level: 1 });
  }

  protected abstract readonly expectedHeading: string | RegExp;

  async verifyOnPage(): Promise<this> {
    await this.heading.waitFor();
    const text = (await this.heading.textContent())?.trim() ?? '';
    if (typeof this.expectedHeading === 'string') expect(text).toBe(this.expectedHeading);
    else expect(text).toMatch(this.expectedHeading);
    return this;
  }
}

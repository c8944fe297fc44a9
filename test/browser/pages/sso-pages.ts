import type { Locator } from 'playwright-core';
import { PageObject } from './page-object.js';
import { LoginPage } from './signing-pages.js';

/** `/masuk` when SSO is configured: the password form and, above it, the provider's button. */
export class SsoLoginPage extends LoginPage {
  get ssoButton(): Locator {
    return this.page.getByRole('link', { name: /^Masuk dengan SSO / });
  }
}

/** The test provider's own login form (oidc-provider's development interactions: any password passes). */
export class ProviderLoginPage extends PageObject {
  protected readonly expectedHeading = 'Sign-in';

  async logIn(login: string): Promise<void> {
    await this.page.getByPlaceholder('Enter any login').fill(login);
    await this.page.getByPlaceholder('and password').fill('apa-saja');
    await this.page.getByRole('button', { name: 'Sign-in' }).click();
  }
}

import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AdminDashboardPage,
  PactAdminPage,
  PactFormPage,
  PactListPage,
  PactPreviewPage,
} from './pages/admin-pages.js';
import { LoginPage } from './pages/signing-pages.js';
import { expectAccessible, LAPTOP } from './support/browser.js';
import { useJourney } from './support/journey.js';

const TITLE = 'Pakta Integritas Netralitas ASN pada Pemilihan Kepala Desa 2025';
const BODY = `Dengan ini saya menyatakan **sanggup**:

1. Menjaga netralitas ASN dalam pemilihan kepala desa.
2. Tidak memihak kepada calon tertentu, termasuk di *media sosial*.
3. Melaporkan pelanggaran netralitas yang saya ketahui.
`;

/** A wall-clock time in WIB as a datetime-local input takes it, `days` from now. */
const wib = (days: number) =>
  new Date(Date.now() + 7 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 16);

// An admin on a laptop drafts a pact in Markdown, previews it as a signer would see it, opens it, and finds it
// among the open pacts on the dashboard.
describe('an admin drafts, previews and opens a pact', () => {
  const journey = useJourney();
  let page: Page;

  beforeAll(async () => {
    page = await (await journey.browser.newContext(LAPTOP)).newPage();
  });

  it('logs in and lands on the dashboard', async () => {
    await page.goto(`${journey.app.url}/masuk?next=/admin`);
    const login = await new LoginPage(page).verifyOnPage();
    await expectAccessible(page);
    await login.logIn('admin@ikrar.test', 'ikrar-demo');
    expect(new URL(page.url()).pathname).toBe('/admin');
    await new AdminDashboardPage(page).verifyOnPage();
    await expectAccessible(page);
  });

  it('drafts a new pact', async () => {
    await new AdminDashboardPage(page).navLink('Pakta').click();
    const list = await new PactListPage(page).verifyOnPage();
    await expectAccessible(page);
    await list.newPact();

    const form = await new PactFormPage(page).verifyOnPage();
    await expectAccessible(page);
    await form.fill({
      title: TITLE,
      body: BODY,
      place: 'Semarang',
      audience: 'all',
      opensAt: wib(-1 / 24),
      deadline: wib(14),
    });
    await form.save();

    const pact = await new PactAdminPage(page, TITLE).verifyOnPage();
    await expectAccessible(page);
    await expect(pact.flash().first().textContent()).resolves.toContain('Draf pakta disimpan.');
    await expect(pact.status().textContent()).resolves.toBe('Draf');
  });

  it('previews it as a signer will see it', async () => {
    await new PactAdminPage(page, TITLE).preview();
    const preview = await new PactPreviewPage(page, TITLE).verifyOnPage();
    await expectAccessible(page);
    await expect(preview.notice().isVisible()).resolves.toBe(true);
    // The Markdown is rendered: bold text and a numbered list of three commitments.
    const document = page.getByRole('main');
    await expect(document.locator('strong', { hasText: 'sanggup' }).count()).resolves.toBe(1);
    await expect(document.locator('ol > li').count()).resolves.toBeGreaterThanOrEqual(3);
    await expect(document.getByText('Tidak memihak kepada calon tertentu').isVisible()).resolves.toBe(true);
    await expect(preview.submit().isDisabled()).resolves.toBe(true);
    await page.goBack();
  });

  it('opens it and sees it on the dashboard', async () => {
    const pact = await new PactAdminPage(page, TITLE).verifyOnPage();
    await pact.open();
    await pact.verifyOnPage();
    await expectAccessible(page);
    await expect(pact.flash().first().textContent()).resolves.toContain('Pakta dibuka untuk ditandatangani.');
    await expect(pact.status().textContent()).resolves.toBe('Dibuka');

    await pact.navLink('Dasbor').click();
    const dashboard = await new AdminDashboardPage(page).verifyOnPage();
    await expectAccessible(page);
    const card = dashboard.pactCard(TITLE);
    await expect(card.count()).resolves.toBe(1);
    // Nobody has signed it yet.
    await expect(card.textContent()).resolves.toMatch(/0 dari [\d.]+/);
    await expect(card.getByRole('link', { name: TITLE }).getAttribute('href')).resolves.toMatch(
      /^\/admin\/kepatuhan\/\d+$/,
    );
  });
});

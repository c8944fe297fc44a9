import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { OperatorDashboardPage } from './pages/admin-pages.js';
import { LoginPage, MyPactsPage, PactPage, ReceiptPage } from './pages/signing-pages.js';
import { expectAccessible, expectNoHorizontalScroll, LAPTOP, PHONE, screenshot } from './support/browser.js';
import { type Journey, loggedInContext, useJourney } from './support/journey.js';
import { expectLanguage, inLanguage, readIn } from './support/languages.js';

const SIZES = { phone: PHONE, laptop: LAPTOP };
type Size = keyof typeof SIZES;

/** The demo's two open pacts (seeded in this order): one for heads, one for all ASN. Kepala has signed neither. */
const HEADS_PACT = { id: 1, title: /Kepala Perangkat Daerah/ };
const ALL_ASN_PACT = { id: 2, title: /Aparatur Sipil Negara Pemerintah Provinsi Jawa Tengah Tahun \d{4}/ };
/** The unit of the demo's operator and Kepala, as its row in a compliance report names it. */
const OWN_UNIT = 'Dinas Komunikasi dan Informatika';

/** The admin's pages: pacts and compliance (then a unit's drill-down), then news, people and the system. */
const ADMIN_PACTS_AND_COMPLIANCE = [
  ['admin-dasbor', '/admin'],
  ['admin-pakta', '/admin/pakta'],
  ['admin-pakta-baru', '/admin/pakta/baru'],
  ['admin-pakta-1', `/admin/pakta/${HEADS_PACT.id}`],
  ['admin-pakta-1-pratinjau', `/admin/pakta/${HEADS_PACT.id}/pratinjau`],
  ['admin-kepatuhan', '/admin/kepatuhan'],
  ['admin-kepatuhan-1', `/admin/kepatuhan/${HEADS_PACT.id}`],
] as const;
/** The unit agreements (the demo's NPHD tracker is the first), then one kabupaten's record form. */
const ADMIN_AGREEMENTS = [
  ['admin-kesepakatan', '/admin/kesepakatan'],
  ['admin-kesepakatan-baru', '/admin/kesepakatan/baru'],
  ['admin-kesepakatan-1', '/admin/kesepakatan/1'],
] as const;
const ADMIN_PEOPLE_NEWS_AND_SYSTEM = [
  ['admin-berita', '/admin/berita'],
  ['admin-berita-baru', '/admin/berita/baru'],
  ['admin-unit', '/admin/unit'],
  ['admin-pengguna', '/admin/pengguna'],
  // The demo admin is the first account: its page, and the anonymising form, which refuses an active account at once.
  ['admin-pengguna-1', '/admin/pengguna/1'],
  ['admin-pengguna-1-anonimkan', '/admin/pengguna/1/anonimkan'],
  ['admin-impor', '/admin/pengguna/impor'],
  ['admin-audit', '/admin/audit'],
  ['admin-ledger', '/admin/ledger'],
  ['admin-outbox', '/admin/outbox'],
  ['admin-pengaturan', '/admin/pengaturan'],
] as const;

/**
 * The page on screen in `language`: its level-1 heading shown, no axe violation, no sideways scrolling; kept as a
 * screenshot.
 */
async function checkShown(page: Page, name: string, language: 'id' | 'en'): Promise<void> {
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await expectLanguage(page, language);
  await expectAccessible(page);
  await expectNoHorizontalScroll(page);
  await screenshot(page, inLanguage(name, language));
}

/**
 * The page on screen checked as the journey reached it (in Indonesian), then asked for again in English (the
 * switch's cookie) and checked, then again in Indonesian, where the journey's next step reads it.
 */
async function check(page: Page, name: string): Promise<void> {
  await checkShown(page, name, 'id');
  const url = page.url();
  const { origin } = new URL(url);
  await readIn(page.context(), origin, 'en');
  await page.goto(url);
  await checkShown(page, name, 'en');
  await readIn(page.context(), origin, 'id');
  await page.goto(url);
  await page.getByRole('heading', { level: 1 }).first().waitFor();
}

/** Opens `path`, expects `status`, and checks the page. */
async function visit(page: Page, base: string, path: string, name: string, status = 200): Promise<void> {
  const response = await page.goto(`${base}${path}`);
  expect(response?.status(), path).toBe(status);
  await check(page, name);
}

/** Follows a unit's name in a compliance report to that unit's drill-down, and checks it. */
async function drillDown(page: Page, name: string): Promise<void> {
  await Promise.all([
    page.waitForURL(/\/admin\/kepatuhan\/\d+\/unit\/\d+$/),
    page.getByRole('main').getByRole('link', { name: OWN_UNIT, exact: true }).click(),
  ]);
  await check(page, name);
}

/** A fresh context of this size, logged in as `email`. */
const loggedIn = (journey: Journey, size: Size, email: string) =>
  loggedInContext(journey, SIZES[size], email);

/** Kepala (signed neither demo pact): My pacts, a pact's signing page, signing it, the receipt, the account. */
async function kepalaSigns(journey: Journey, size: Size): Promise<void> {
  // Each size signs a pact of its own: on the phone the heads pact with a finger-drawn signature, on the laptop the
  // all-ASN pact with the typed name only.
  const pact = size === 'phone' ? HEADS_PACT : ALL_ASN_PACT;
  const { context, page } = await loggedIn(journey, size, 'kepala@ikrar.test');
  try {
    const myPacts = await new MyPactsPage(page).verifyOnPage();
    await check(page, 'pakta-saya');
    await myPacts.readAndSign(pact.title).click();

    const sign = await new PactPage(page, pact.title).verifyOnPage();
    expect(new URL(page.url()).pathname).toBe(`/pakta/${pact.id}`);
    await check(page, `pakta-${pact.id}-tandatangani`);
    if (size === 'phone') {
      await sign.consent.check();
      await sign.fullName.fill('Bambang Setiawan');
      await sign.drawSignature({ touch: true });
      await expect(sign.inkedPixels()).resolves.toBeGreaterThan(100);
      await Promise.all([page.waitForURL(ReceiptPage.PATH), sign.submit.click()]);
    } else {
      await sign.signWithTypedName('Bambang Setiawan');
    }

    const receipt = await new ReceiptPage(page).verifyOnPage();
    await expect(receipt.success.isVisible()).resolves.toBe(true);
    await check(page, `tanda-terima-pakta-${pact.id}`);

    await visit(page, journey.app.url, '/akun', 'akun');
    // Everything Ikrar holds about him: his signing just now (drawn on the phone), his reminder, his audit trail.
    await visit(page, journey.app.url, '/akun/data', 'akun-data');
  } finally {
    await context.close();
  }
}

/** The provincial admin: every page of the admin area, and one unit's drill-down from a compliance report. */
async function adminLooksAround(journey: Journey, size: Size): Promise<void> {
  const base = journey.app.url;
  const { context, page } = await loggedIn(journey, size, 'admin@ikrar.test');
  try {
    for (const [name, path] of ADMIN_PACTS_AND_COMPLIANCE) await visit(page, base, path, name);
    // The last page checked is the heads pact's report: one unit's drill-down from its table.
    await drillDown(page, 'admin-kepatuhan-1-unit');
    for (const [name, path] of ADMIN_PEOPLE_NEWS_AND_SYSTEM) await visit(page, base, path, name);
    for (const [name, path] of ADMIN_AGREEMENTS) await visit(page, base, path, name);
    // The last is the NPHD tracker: a signed kabupaten's record form, with its scan and its history.
    await Promise.all([
      page.waitForURL(/\/admin\/kesepakatan\/1\/unit\/\d+$/),
      page.getByRole('link', { name: 'Ubah Kabupaten Cilacap', exact: true }).click(),
    ]);
    await check(page, 'admin-kesepakatan-1-unit');
  } finally {
    await context.close();
  }
}

/**
 * The operator of DISKOMINFO mistypes her password, then logs in: her dashboard, her unit's compliance, and what
 * she gets for an admin-only page and for a page that does not exist.
 */
async function operatorAndErrors(journey: Journey, size: Size): Promise<void> {
  const base = journey.app.url;
  const context = await journey.browser.newContext(SIZES[size]);
  try {
    const page = await context.newPage();
    // A wrong password: an alert says so at once, both fields point at it, and what she typed as NIP/email stays.
    await page.goto(`${base}/masuk`);
    const login = await new LoginPage(page).verifyOnPage();
    await login.username.fill('operator@ikrar.test');
    await login.password.fill('bukan-kata-sandinya');
    await Promise.all([page.waitForEvent('load'), login.submit.click()]);
    const failure = page.getByRole('main').getByRole('alert');
    await failure.waitFor();
    await expect(failure.textContent()).resolves.toMatch(/\S/);
    const failureId = (await failure.getAttribute('id')) ?? '';
    expect(failureId).not.toBe('');
    for (const field of [login.username, login.password]) {
      await expect(field.getAttribute('aria-describedby')).resolves.toContain(failureId);
    }
    await expect(login.username.inputValue()).resolves.toBe('operator@ikrar.test');
    await checkShown(page, 'masuk-gagal', 'id');
    // The same failure in English (the answer to a form: typed again rather than reloaded).
    await readIn(context, base, 'en');
    await page.goto(`${base}/masuk`);
    await page.locator('input[name="username"]').fill('operator@ikrar.test');
    await page.locator('input[name="password"]').fill('bukan-kata-sandinya');
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('main').locator('button[type="submit"]').click(),
    ]);
    await page.getByRole('main').getByRole('alert').waitFor();
    await checkShown(page, 'masuk-gagal', 'en');
    await readIn(context, base, 'id');
    await page.goto(`${base}/masuk`);
    await login.verifyOnPage();

    await login.logIn('operator@ikrar.test');
    await visit(page, base, '/admin', 'operator-dasbor');
    // Her dashboard is about her unit: its title, no pacts menu, and who of hers has not signed, with the button.
    const dashboard = await new OperatorDashboardPage(page).verifyOnPage();
    await expect(dashboard.navLink('Pakta').count()).resolves.toBe(0);
    const outstanding = dashboard.outstanding(ALL_ASN_PACT.title);
    await expect(
      outstanding.getByRole('columnheader', { name: 'Jabatan' }).first().isVisible(),
    ).resolves.toBe(true);
    await expect(
      outstanding
        .getByRole('button', { name: new RegExp(`^Kirim pengingat ke \\d+ orang di ${OWN_UNIT}$`) })
        .isVisible(),
    ).resolves.toBe(true);
    // Her report of the all-ASN pact has her unit (and those under it); then her unit's drill-down.
    await visit(page, base, `/admin/kepatuhan/${ALL_ASN_PACT.id}`, 'operator-kepatuhan-2');
    await drillDown(page, 'operator-kepatuhan-2-unit');
    // Excusing one of them (the form only: the journey changes nothing).
    const exempt = await page
      .getByRole('link', { name: /^Kecualikan / })
      .first()
      .getAttribute('href');
    // Recording one of them as signed on paper, and the ceremony's unit chooser (forms only, nothing saved).
    const paper = await page
      .getByRole('link', { name: /^Catat tanda tangan kertas / })
      .first()
      .getAttribute('href');
    await visit(page, base, exempt as string, 'operator-pengecualian');
    await visit(page, base, paper as string, 'operator-kertas-catat');
    await visit(page, base, `/admin/kepatuhan/${ALL_ASN_PACT.id}/kertas`, 'operator-kertas');
    // Her people, and the activation letters she prints for those without an account yet.
    await visit(page, base, '/admin/pengguna?aktivasi=belum', 'operator-pengguna-belum-aktivasi');
    await visit(page, base, '/admin/surat-aktivasi', 'operator-surat-aktivasi');

    await visit(page, base, '/admin/pakta', 'galat-403', 403);
    await visit(page, base, '/tidak-ada', 'galat-404', 404);
  } finally {
    await context.close();
  }
}

// Everyone who logs in, on a cheap phone and on a laptop, in Indonesian and in English: every page they can reach
// passes axe, does not scroll sideways at 360 px (wide tables scroll inside their own .table-responsive box) and is
// kept as a screenshot (screenshots/, git-ignored; `-en` for English). Each role has a fresh context.
describe('the signed-in pages at 360×800 and 1366×768, in both languages', () => {
  const journey = useJourney();

  for (const size of ['phone', 'laptop'] as const) {
    it(
      `fit a ${size} and pass axe for a Kepala, through signing to the receipt`,
      () => kepalaSigns(journey, size),
      120_000,
    );
    it(`fit a ${size} and pass axe for the admin`, () => adminLooksAround(journey, size), 240_000);
    it(
      `fit a ${size} and pass axe for an operator, and on a failed login, 403 and 404`,
      () => operatorAndErrors(journey, size),
      180_000,
    );
  }
});
